/**
 * The curated zone: each build writes its marts under `curated/builds/<id>/` with a manifest,
 * and `curated/current.json` points at the build in force. Switching is one small write, so a
 * reader sees the old build or the new, never half of one; a failed build never moves it.
 */
import { z } from 'zod';
import { getJson, putJson, type ObjectStore } from '../store/object-store.js';
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
    }),
  ),
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

/** Puts a finished build in force: the single write that readers switch on. */
export async function switchTo(store: ObjectStore, manifest: BuildManifest): Promise<void> {
  await putJson(store, manifestKey(manifest.build_id), manifest);
  await putJson(store, CURRENT_KEY, {
    build_id: manifest.build_id,
    switched_at: new Date().toISOString(),
  });
}
