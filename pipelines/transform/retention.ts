/**
 * Old builds out of the curated zone. Every build is written beside the others (ADR 009), so
 * without this the zone grows by a build's worth of files each time a return arrives — a few
 * hundred MB a build at national scale, paid for in S3 every month.
 *
 * What is kept: the build in force, the newest `keep` builds that were switched in, and anything
 * written within `graceMs` of the newest build (a reader may still be on the build just switched
 * out; a build still being written has no manifest yet). An incremental build's manifest names
 * files of the builds before it, so every file a kept manifest names is kept too, whichever
 * build's folder it is in. Everything else under `curated/builds/` (and the published tables'
 * `curated/published/builds/`) is deleted: switched-out
 * builds and the leftovers of builds that failed.
 */
import type { ObjectStore } from '../store/object-store.js';
import { getJson } from '../store/object-store.js';
import { manifestKey, manifestSchema, PUBLISHED_PREFIX, type BuildManifest } from './curated.js';

export interface RetentionOptions {
  /** Switched-in builds kept besides the one in force. Default 3. */
  keep?: number;
  /** Builds this much older than the newest are old enough to go. Default an hour. */
  graceMs?: number;
}

export interface RetentionResult {
  /** The builds kept whole or in part (their files named by a kept manifest). */
  kept: string[];
  /** Object keys deleted. */
  deleted: string[];
}

const BUILDS = 'curated/builds/';
/** The published tables of each build are under their own prefix (ADR 020), cleared alike. */
const PUBLISHED_BUILDS = `${PUBLISHED_PREFIX}builds/`;

/** When a build id says it was started: ids begin with a compact ISO time (`20261126T085136615Z-…`). */
export function buildTime(buildId: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(buildId);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(t.getTime()) ? null : t;
}

/**
 * Deletes the curated files no kept build needs. Run after a build is switched in.
 *
 * @example const { deleted } = await pruneBuilds(store, manifest); // after rebuild's switch
 */
export async function pruneBuilds(
  store: ObjectStore,
  current: BuildManifest,
  options: RetentionOptions = {},
): Promise<RetentionResult> {
  const keep = options.keep ?? 3;
  const graceMs = options.graceMs ?? 60 * 60 * 1000;
  if (!Number.isInteger(keep) || keep < 0)
    throw new TypeError('pruneBuilds: keep must be a whole number, 0 or more');

  const keys = [...(await store.list(BUILDS)), ...(await store.list(PUBLISHED_BUILDS))];
  const byBuild = new Map<string, string[]>();
  for (const key of keys) {
    const root = key.startsWith(PUBLISHED_BUILDS) ? PUBLISHED_BUILDS : BUILDS;
    const id = key.slice(root.length).split('/')[0]!;
    if (!byBuild.has(id)) byBuild.set(id, []);
    byBuild.get(id)!.push(key);
  }

  // Anything started within the grace period of the current build stays, manifest or not.
  const newest = buildTime(current.build_id) ?? new Date(current.built_at);
  const recent = (id: string) => {
    const t = buildTime(id);
    return t === null || newest.getTime() - t.getTime() < graceMs;
  };
  // Switched-in builds have manifests: the newest `keep` of them (by id, which sorts by time).
  const withManifest = [...byBuild.keys()]
    .filter((id) => id !== current.build_id && byBuild.get(id)!.includes(manifestKey(id)))
    .sort()
    .reverse();
  const keptIds = new Set([
    current.build_id,
    ...withManifest.slice(0, keep),
    ...[...byBuild.keys()].filter(recent),
  ]);

  const needed = new Set<string>();
  for (const id of keptIds) {
    const manifest = id === current.build_id ? current : await readManifest(store, id);
    if (!manifest) continue;
    needed.add(manifestKey(id));
    if (manifest.receipts_index) needed.add(manifest.receipts_index);
    for (const model of Object.values(manifest.models))
      for (const key of Object.values(model.files)) needed.add(key);
  }

  const deleted: string[] = [];
  for (const [id, files] of byBuild) {
    if (keptIds.has(id)) continue;
    // The manifest goes last, so a prune stopped part-way leaves a build that is still recognised.
    const order = [
      ...files.filter((k) => k !== manifestKey(id)),
      ...files.filter((k) => k === manifestKey(id)),
    ];
    for (const key of order) {
      if (needed.has(key)) continue;
      await store.delete(key);
      deleted.push(key);
    }
  }
  const kept = [...byBuild.keys()]
    .filter((id) => keptIds.has(id) || (byBuild.get(id) ?? []).some((k) => needed.has(k)))
    .sort();
  return { kept, deleted };
}

async function readManifest(store: ObjectStore, buildId: string): Promise<BuildManifest | null> {
  const value = await getJson(store, manifestKey(buildId));
  return value === null ? null : manifestSchema.parse(value);
}
