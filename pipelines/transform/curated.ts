/**
 * The curated zone: each build writes its marts under `curated/builds/<id>/` with a manifest,
 * and `curated/current.json` points at the build in force. Switching is one small write, so a
 * reader sees the old build or the new, never half of one; a failed build never moves it. The
 * write is a compare-and-swap on the pointer a build started from (ADR 027), so of two builds
 * racing from one pointer only one switches in, and the other builds again on top of it.
 */
import { z } from 'zod';
import { getJson, getText, putJson, type ObjectStore } from '../store/object-store.js';
import type { Audience } from './model.js';

export const CURRENT_KEY = 'curated/current.json';

const columnSchema = z.object({ name: z.string(), type: z.string(), description: z.string() });

export const manifestSchema = z.object({
  build_id: z.string(),
  built_at: z.string(),
  as_of: z.string(),
  /** `full`, or the contracts this build recomputed. */
  scope: z.union([z.literal('full'), z.array(z.string())]),
  previous_build: z.string().nullable(),
  models: z.record(
    z.string(),
    z.object({
      layer: z.string(),
      partition: z.enum(['contract', 'global']),
      description: z.string(),
      columns: z.array(columnSchema),
      /** Object keys of the model's Parquet files, by contract id (or `all`). */
      files: z.record(z.string(), z.string()),
      rows: z.number().int(),
      /**
       * Rows in each file, by the same keys as `files`: an incremental build adds up the files it
       * carries over without opening them (ADR 047). Missing from builds made before it.
       */
      file_rows: z.record(z.string(), z.number().int()).optional(),
    }),
  ),
  /**
   * The receipts the build's marts include, by contract: how many, and the newest id. Receipts
   * are never deleted, so a contract with more receipts in the store than this count has marts
   * that lag its returns (./lag.ts). Missing from builds made before ADR 027.
   */
  receipts: z
    .record(z.string(), z.object({ count: z.number().int(), newest: z.string() }))
    .optional(),
  /**
   * The receipts index the build read its receipts from (./receipts-index.ts): the next build
   * reads only the receipts and actions it lacks. Missing from builds made before issue 12's.
   */
  receipts_index: z.string().optional(),
  /**
   * A SHA-256 of the reference data the build was made with: a global model's rows are carried
   * into an incremental build (`incrementalSql`) only from a build with the same (ADR 047).
   */
  reference_sha256: z.string().optional(),
});

export type BuildManifest = z.infer<typeof manifestSchema>;

export function buildPrefix(buildId: string): string {
  return `curated/builds/${buildId}/`;
}

/**
 * The published tables' own prefix (ADR 020): their files and Athena symlinks live under it, so
 * an IAM grant can name them, and nothing else, for the readers who may see only those.
 */
export const PUBLISHED_PREFIX = 'curated/published/';

/** Where a build's published model files go: `curated/published/builds/<id>/`. */
export function publishedBuildPrefix(buildId: string): string {
  return `${PUBLISHED_PREFIX}builds/${buildId}/`;
}

/** The folder a build writes a model's files to: published models under their own prefix. */
export function modelFilesPrefix(buildId: string, model: string, audience: Audience): string {
  return `${audience === 'published' ? publishedBuildPrefix(buildId) : buildPrefix(buildId)}${model}/`;
}

export function manifestKey(buildId: string): string {
  return `${buildPrefix(buildId)}manifest.json`;
}

export async function readCurrentManifest(store: ObjectStore): Promise<BuildManifest | null> {
  const pointer = await getJson<{ build_id: string }>(store, CURRENT_KEY);
  if (!pointer) return null;
  const manifest = await getJson(store, manifestKey(pointer.build_id));
  if (!manifest)
    throw new Error(
      `${CURRENT_KEY} points at build ${pointer.build_id}, whose manifest is missing`,
    );
  return manifestSchema.parse(manifest);
}

/** The build in force as a build starts from it: the pointer's exact text and its manifest. */
export interface CurrentBuild {
  /** `curated/current.json` as read, to compare against when switching; null before the first build. */
  pointer: string | null;
  manifest: BuildManifest | null;
}

/** Reads the pointer and the manifest it names, for a build to start from. */
export async function readCurrentBuild(store: ObjectStore): Promise<CurrentBuild> {
  const pointer = await getText(store, CURRENT_KEY);
  if (pointer === null) return { pointer, manifest: null };
  const { build_id } = z.object({ build_id: z.string() }).parse(JSON.parse(pointer));
  const manifest = await getJson(store, manifestKey(build_id));
  if (!manifest)
    throw new Error(`${CURRENT_KEY} points at build ${build_id}, whose manifest is missing`);
  return { pointer, manifest: manifestSchema.parse(manifest) };
}

/**
 * Puts a finished build in force, but only on top of the build it started from: the manifest
 * first, then one compare-and-swap of the pointer (`putIfUnchanged`). False when another build
 * switched in since `base` was read: nothing changed for readers, and this build's manifest is
 * removed again so the build counts as a failed one's leftovers (./retention.ts clears them).
 */
export async function switchOnTopOf(
  store: ObjectStore,
  base: CurrentBuild,
  manifest: BuildManifest,
): Promise<boolean> {
  await putJson(store, manifestKey(manifest.build_id), manifest);
  const pointer =
    JSON.stringify(
      { build_id: manifest.build_id, switched_at: new Date().toISOString() },
      null,
      2,
    ) + '\n';
  const switched = await store.putIfUnchanged(CURRENT_KEY, base.pointer, pointer, {
    contentType: 'application/json',
  });
  if (!switched) await store.delete(manifestKey(manifest.build_id)).catch(() => undefined);
  return switched;
}
