/**
 * Loads a demo folder (as written by `writeDemo`) into a store: its reference data, then every
 * return in `returns/manifest.json`, in submission order, as if each had been uploaded by its
 * provider at the time the manifest gives. Running it again changes nothing: the reference
 * files are rewritten only when they differ, and every return is recognised as a duplicate.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadReferenceData } from '../reference/load.js';
import type { ObjectStore } from '../store/object-store.js';
import { readManifest, type ManifestEntry } from '../demo/manifest.js';
import { ingestReturn } from './ingest.js';
import type { Receipt } from './receipt.js';
import { putReference } from './reference-store.js';

export interface BatchEntryResult {
  entry: ManifestEntry;
  receipt: Receipt;
  duplicate: boolean;
}

export interface IngestBatchSummary {
  /** Entries in the manifest. */
  total: number;
  /** Newly accepted (duplicates not counted). */
  accepted: number;
  /** Newly rejected (duplicates not counted). */
  rejected: number;
  /** Already received: the earlier receipt stands. */
  duplicates: number;
  /** Data rows in the newly accepted returns. */
  rows: number;
  results: BatchEntryResult[];
}

export interface IngestBatchOptions {
  onProgress?: (done: number, total: number, last: BatchEntryResult) => void;
}

/**
 * @example
 * await writeDemo('/tmp/demo', { contracts: 3, months: 4 });
 * const summary = await ingestDemoFolder(store, '/tmp/demo', { onProgress: (done, total) => bar(done / total) });
 */
export async function ingestDemoFolder(
  store: ObjectStore,
  demoDir: string,
  options: IngestBatchOptions = {},
): Promise<IngestBatchSummary> {
  const reference = await loadReferenceData(join(demoDir, 'reference'));
  const manifest = await readManifest(demoDir);
  await putReference(store, reference);

  const summary: IngestBatchSummary = {
    total: manifest.length,
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    rows: 0,
    results: [],
  };
  for (const entry of manifest) {
    const bytes = new Uint8Array(await readFile(join(demoDir, entry.file)));
    const { receipt, duplicate } = await ingestReturn({
      store,
      bytes,
      fileName: entry.file,
      contractId: entry.contract_id,
      period: entry.period,
      submittedBy: entry.submitted_by,
      reference,
      now: new Date(entry.submitted_at),
    });
    if (duplicate) summary.duplicates++;
    else if (receipt.status === 'accepted') {
      summary.accepted++;
      summary.rows += receipt.counts.rows;
    } else summary.rejected++;
    const result = { entry, receipt, duplicate };
    summary.results.push(result);
    options.onProgress?.(summary.results.length, manifest.length, result);
  }
  return summary;
}
