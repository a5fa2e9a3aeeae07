/**
 * The two ways the marts are built: in full (`outturn rebuild`), or for the contracts a new
 * return touched (after each ingest). Both give the same tables.
 */
import { writeSymlinkManifests } from '../analytics/athena-manifests.js';
import { isoDate, today } from '../calendar/days.js';
import type { ObjectStore } from '../store/object-store.js';
import { buildCurated, type BuildResult } from './build.js';
import { pruneBuilds, type RetentionResult } from './retention.js';
import { inputsFromStore } from './store-inputs.js';

export interface RebuildOptions {
  /** ISO date the marts are as at; default today. */
  asOf?: string;
  contracts?: readonly string[];
  onProgress?: (step: string, done: number, total: number) => void;
  /** The clock the build is stamped with (its id and `built_at`); default the real one. */
  now?: Date;
  /** Participant rows built at once (build.ts BATCH_ROWS); tests use 1 for a contract a batch. */
  batchRows?: number;
}

export interface RebuildResult extends BuildResult {
  /** The Athena symlink manifests rewritten for the new build (none for a local store). */
  athenaManifests: string[];
  /** Old builds cleared from the curated zone (./retention.ts), or why that failed: the new build is in force either way. */
  pruned: RetentionResult | { error: string };
}

/**
 * Builds, switches the build in, then points Athena's tables at it when the store is S3 and
 * clears builds no longer needed — whoever rebuilds (the transform function, the CLI loading a
 * deployment, the local app).
 */
export async function rebuild(
  store: ObjectStore,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const built = await buildCurated({
    store,
    // Read afresh for each attempt: a build that lost the race builds on the new state (ADR 027).
    inputs: (base) => inputsFromStore(store, base),
    asOf: options.asOf ?? isoDate(today()),
    scope: options.contracts ? { contracts: options.contracts } : 'full',
    onProgress: options.onProgress,
    now: options.now,
    batchRows: options.batchRows,
  });
  const athenaManifests = await writeSymlinkManifests(store, built.manifest);
  let pruned: RebuildResult['pruned'];
  try {
    pruned = await pruneBuilds(store, built.manifest);
  } catch (e) {
    pruned = { error: e instanceof Error ? e.message : String(e) };
  }
  return { ...built, athenaManifests, pruned };
}
