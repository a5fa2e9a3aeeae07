/**
 * Athena's view of the marts in force (ADR 015): for each exported model, one
 * `curated/athena/<model>/symlink.txt` listing the current build's Parquet files as `s3://` URIs,
 * one a line. The Glue tables are SymlinkTextInputFormat tables over these folders, so a new
 * build is picked up by rewriting small text files, with no Glue API call and no crawler.
 * A published model's symlink sits under the published prefix instead
 * (`curated/published/athena/<model>/`, ADR 020), beside its files.
 */
import { PUBLISHED_PREFIX, type BuildManifest } from '../transform/curated.js';
import { audienceOfName } from '../transform/registry.js';
import type { ObjectStore } from '../store/object-store.js';

export const ATHENA_PREFIX = 'curated/athena/';
export const PUBLISHED_ATHENA_PREFIX = `${PUBLISHED_PREFIX}athena/`;

/** The folder a model's Glue table reads its symlink from. */
export function athenaPrefix(model: string): string {
  const root = audienceOfName(model) === 'published' ? PUBLISHED_ATHENA_PREFIX : ATHENA_PREFIX;
  return `${root}${model}/`;
}

export function symlinkKey(model: string): string {
  return `${athenaPrefix(model)}symlink.txt`;
}

/**
 * The symlink file of every model in a build: its files' URIs, sorted, each line ending in a
 * newline (an empty file for a model with no rows: Athena then reads no files).
 *
 * @example symlinkManifests(manifest, (key) => store.uri!(key)).get('performance')
 *   // 's3://outturn-working/curated/builds/2026…/performance/plp-a.parquet\n…'
 */
export function symlinkManifests(
  manifest: BuildManifest,
  uriOf: (key: string) => string,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of Object.keys(manifest.models).sort()) {
    const keys = Object.values(manifest.models[name]!.files).sort();
    out.set(name, keys.map((k) => `${uriOf(k)}\n`).join(''));
  }
  return out;
}

/**
 * Writes the symlink files for a build, and empties those of models it no longer has (the
 * transform function may write the curated zone but never delete from it, so a retired model's
 * table reads no rows rather than an old build's). Run after the build is switched in; if it
 * fails, the next build puts things right. A store with no `uri` (a local directory) has no
 * Athena to read it: nothing is written.
 */
export async function writeSymlinkManifests(
  store: ObjectStore,
  manifest: BuildManifest,
): Promise<string[]> {
  if (!store.uri) return [];
  const uriOf = store.uri.bind(store);
  const files = symlinkManifests(manifest, uriOf);
  // A symlink left where no current model's is (a retired model, or one that moved prefix) is emptied.
  const current = new Set([...files.keys()].map(symlinkKey));
  const stale: string[] = [];
  for (const root of [ATHENA_PREFIX, PUBLISHED_ATHENA_PREFIX])
    for (const key of await store.list(root))
      if (/symlink\.txt$/.test(key) && !current.has(key)) stale.push(key);
  const written: string[] = [];
  for (const key of stale.sort()) {
    await store.put(key, '', { contentType: 'text/plain; charset=utf-8' });
    written.push(key);
  }
  for (const [model, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await store.put(symlinkKey(model), text, { contentType: 'text/plain; charset=utf-8' });
    written.push(symlinkKey(model));
  }
  return written;
}
