/**
 * Rendered pages, kept per build of the marts: a dashboard page depends only on the marts in
 * force and its parameters, so once rendered it can be served again until a new build is
 * switched in (the key starts with the build id read from curated/current.json, so a new build
 * is never served from an old page).
 *
 * Bounded by bytes, not by entries: any signed-in commissioner can vary a page's filters over
 * thousands of valid combinations, so the cache holds at most `MAX_BYTES` of pages whatever is
 * asked, the least recently used going first (docs/decisions/030-one-page-system.md).
 */
import { getJson, type ObjectStore } from '../../pipelines/store/object-store.js';
import { reopenScopesInUse } from '../../pipelines/analytics/restricted.js';
import { CURRENT_KEY } from '../../pipelines/transform/curated.js';
import { openCurated } from '../../pipelines/transform/query.js';

export interface RenderedPage {
  html: string;
  status: number;
}

/** The most the cached pages may hold together (UTF-16 code units, about bytes for this markup). */
export const MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  page: Promise<RenderedPage>;
  /** Known once rendered; 0 while rendering. */
  size: number;
}

const pages = new Map<string, Entry>();
let held = 0;

function evict(): void {
  for (const [key, entry] of pages) {
    if (held <= MAX_BYTES) return;
    if (entry.size === 0) continue; // still rendering
    pages.delete(key);
    held -= entry.size;
  }
}

/** The build each store's pages were last rendered under. */
const seen = new WeakMap<ObjectStore, string>();

/**
 * Whether this is the first page under a newly switched-in build. Once that page is rendered
 * (so it does not wait behind them), the engines the next pages will need are opened in the
 * background: the restricted engines of the scopes in use, and the full engine with its copy
 * into memory (docs/decisions/034-pages-under-load.md).
 */
function noticeBuild(store: ObjectStore, buildId: string): boolean {
  const before = seen.get(store);
  if (before === buildId) return false;
  seen.set(store, buildId);
  return before !== undefined;
}

function openEnginesAhead(store: ObjectStore, buildId: string): void {
  reopenScopesInUse(store, buildId);
  void openCurated(store, { inMemory: true }).then(
    (db) => db.close(),
    () => undefined,
  );
}

/** What the cache holds now, for tests and the benchmark. */
export function cachedBytes(): number {
  return held;
}

/**
 * The page for `key` under the marts in force, rendered once per build.
 *
 * @example const page = await cachedPage(store, `contract|${id}`, () => render());
 */
export async function cachedPage(
  store: ObjectStore,
  key: string,
  render: () => Promise<RenderedPage>,
): Promise<RenderedPage> {
  const pointer = await getJson<{ build_id: string }>(store, CURRENT_KEY);
  if (!pointer) return render();
  const switched = noticeBuild(store, pointer.build_id);
  const full = `${pointer.build_id}|${key}`;
  const hit = pages.get(full);
  if (hit) {
    // Most recently used last, so eviction takes the least recently used first.
    pages.delete(full);
    pages.set(full, hit);
    return hit.page;
  }
  const entry: Entry = { page: render(), size: 0 };
  pages.set(full, entry);
  if (switched)
    entry.page.then(
      () => openEnginesAhead(store, pointer.build_id),
      () => openEnginesAhead(store, pointer.build_id),
    );
  entry.page.then(
    (page) => {
      if (pages.get(full) !== entry) return;
      entry.size = page.html.length + full.length;
      held += entry.size;
      evict();
    },
    () => {
      if (pages.get(full) === entry) pages.delete(full);
    },
  );
  return entry.page;
}

/** Each cached page's bytes as last sent, with the parts they were sent with. */
const sent = new WeakMap<RenderedPage, { parts: string; bytes: Uint8Array<ArrayBuffer> }>();

/**
 * The page as UTF-8 bytes with `parts` (each on a line of its own, in order, '' left out) at the
 * top of its main content, after `main`: what `html.replace(main, main + '\n' + part)` would
 * give, for each part in reverse order. Encoded again only when the parts change: a contract page
 * is 600 KB of HTML, and encoding it and copying the additions into it at every request cost
 * more under load than the rest of the request (docs/decisions/049).
 *
 * @example return c.body(pageBytes(page, [banner, states], MAIN), 200, { 'Content-Type': 'text/html; charset=UTF-8' });
 */
export function pageBytes(
  page: RenderedPage,
  parts: readonly string[],
  main: string,
): Uint8Array<ArrayBuffer> {
  const added = parts
    .filter((p) => p !== '')
    .map((p) => `\n${p}`)
    .join('');
  const last = sent.get(page);
  if (last?.parts === added) return last.bytes;
  const at = page.html.indexOf(main);
  const html =
    at < 0
      ? page.html
      : `${page.html.slice(0, at + main.length)}${added}${page.html.slice(at + main.length)}`;
  const bytes = Buffer.from(html) as Uint8Array<ArrayBuffer>;
  sent.set(page, { parts: added, bytes });
  return bytes;
}
