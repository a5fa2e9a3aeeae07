/**
 * Validates a folder of returns listed in a manifest (the demo's `returns/manifest.json`), each
 * against the reference data for its contract and period, reporting progress as it goes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadReferenceData } from '../reference/load.js';
import type { ValidationReport } from './report.js';
import { readManifest, type ManifestEntry } from '../demo/manifest.js';
import { validateReturn } from './validate-return.js';

export interface BatchResult {
  entry: ManifestEntry;
  report: ValidationReport;
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
    const { report } = validateReturn(bytes, entry.file, {
      contractId: entry.contract_id,
      period: entry.period,
      reference,
    });
    const result = { entry, report };
    results.push(result);
    onProgress(results.length, manifest.length, result);
  }
  return results;
}
