/**
 * `returns/manifest.json` of a demo folder: every return sent, in submission order, with who
 * sent it and when. Read by whatever replays the demo (ingest, validation of every return).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { periodSchema, slug } from '../reference/schema.js';

export const manifestEntrySchema = z.object({
  contract_id: slug,
  period: periodSchema,
  file: z.string().min(1),
  submitted_at: z.iso.datetime(),
  submitted_by: z.string().min(1),
  version: z.number().int().positive(),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export async function readManifest(dir: string): Promise<ManifestEntry[]> {
  const path = join(dir, 'returns', 'manifest.json');
  const parsed = z.array(manifestEntrySchema).safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}
