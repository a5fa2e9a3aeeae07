/**
 * Validates a folder of returns listed in a manifest (the demo's `returns/manifest.json`), each
 * against the reference data for its contract and period, reporting progress as it goes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadReferenceData } from '../reference/load.js';
import { periodSchema, slug } from '../reference/schema.js';
import type { ValidationReport } from './report.js';
import { validateReturn } from './validate-return.js';

export const manifestEntrySchema = z.object({
  contract_id: slug,
  period: periodSchema,
  file: z.string().min(1),
  submitted_at: z.iso.datetime(),
  submitted_by: z.string().min(1),
  version: z.number().int().positive(),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export interface BatchResult {
  entry: ManifestEntry;
  report: ValidationReport;
}

export async function readManifest(dir: string): Promise<ManifestEntry[]> {
  const path = join(dir, 'returns', 'manifest.json');
  const parsed = z.array(manifestEntrySchema).safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function validateBatch(
  dir: string,
  onProgress: (done: number, total: number, last: BatchResult) => void = () => {},
): Promise<BatchResult[]> {
  const reference = await loadReferenceData(join(dir, 'reference'));
  const manifest = await readManifest(dir);
  const results: BatchResult[] = [];
  for (const entry of manifest) {
    const bytes = new Uint8Array(await readFile(join(dir, entry.file)));
    const { report } = validateReturn(bytes, entry.file, { contractId: entry.contract_id, period: entry.period, reference });
    const result = { entry, report };
    results.push(result);
    onProgress(results.length, manifest.length, result);
  }
  return results;
}
