/**
 * Rendered pages, kept per build of the marts: a dashboard page depends only on the marts in
 * force and its parameters, so once rendered it can be served again until a new build is
 * switched in (the key starts with the build id read from curated/current.json, so a new build
 * is never served from an old page). Bounded, oldest out first.
 */
import { getJson, type ObjectStore } from '../../pipelines/store/object-store.js';
import { CURRENT_KEY } from '../../pipelines/transform/curated.js';

export interface RenderedPage {
  html: string;
  status: number;
}

const MAX_PAGES = 500;
const pages = new Map<string, Promise<RenderedPage>>();

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
  const full = `${pointer.build_id}|${key}`;
  const hit = pages.get(full);
  if (hit) return hit;
  const rendering = render();
  pages.set(full, rendering);
  rendering.catch(() => pages.delete(full));
  while (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
  return rendering;
}
