/**
 * Reference data kept in the object store (`reference/<file>.json`, one JSON array per file,
 * the same files as a demo folder's `reference/`), so every process and every Lambda reads the
 * one copy. Loading checks it as `loadReferenceData` checks a folder: every error names the
 * file and the path of the bad value.
 */
import { parseReferenceData, parseReferenceTexts } from '../reference/load.js';
import { referenceFiles, type ReferenceData } from '../reference/schema.js';
import { getText, zones, type ObjectStore } from '../store/object-store.js';

type Key = keyof typeof referenceFiles;
const keys = Object.keys(referenceFiles) as Key[];

/** `reference/programmes.json` and so on. */
export function referenceKey(key: Key): string {
  return `${zones.reference}${referenceFiles[key].file}`;
}

/**
 * Reads and checks the reference data in the store.
 *
 * @throws ReferenceDataError naming each missing, unreadable or invalid file and the bad values in it.
 */
export async function loadReference(store: ObjectStore): Promise<ReferenceData> {
  const texts = await Promise.all(keys.map((key) => getText(store, referenceKey(key))));
  return parseReferenceTexts(
    Object.fromEntries(keys.map((key, i) => [key, texts[i] ?? null])) as Record<Key, string | null>,
    (file) => `${store.description} (expected reference/${file})`,
  );
}

interface Cached {
  at: number;
  data: Promise<ReferenceData>;
}

const cache = new WeakMap<ObjectStore, Cached>();

/**
 * The reference data, re-read at most every `maxAgeMs`: a web server needs it on every
 * request to know who is asking and what they may see, and reading and checking five files
 * each time costs more than the page. `putReference` forgets the cached copy at once.
 */
export function loadReferenceCached(
  store: ObjectStore,
  maxAgeMs = 5_000,
  now = Date.now(),
): Promise<ReferenceData> {
  const hit = cache.get(store);
  if (hit && now - hit.at < maxAgeMs) return hit.data;
  const data = loadReference(store);
  cache.set(store, { at: now, data });
  data.catch(() => cache.get(store)?.data === data && cache.delete(store));
  return data;
}

export function forgetReference(store: ObjectStore): void {
  cache.delete(store);
}

/**
 * Checks reference data and writes it to the store, one file per kind. Nothing is written if it
 * is invalid, and a file already holding the same text is left alone, so loading the same
 * reference data twice changes nothing.
 */
export async function putReference(store: ObjectStore, data: ReferenceData): Promise<void> {
  const checked = parseReferenceData(data);
  for (const key of keys) {
    const text = JSON.stringify(checked[key], null, 2) + '\n';
    if ((await getText(store, referenceKey(key))) !== text)
      await store.put(referenceKey(key), text, { contentType: 'application/json' });
  }
  forgetReference(store);
}
