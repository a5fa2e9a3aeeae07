import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../../pipelines/demo/index.js';
import { ingestDemoFolder } from '../../../pipelines/ingest/ingest-batch.js';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import { loadReferenceData } from '../../../pipelines/reference/load.js';
import { readManifest } from '../../../pipelines/demo/manifest.js';
import { parquet, query, snapshot, tempStore } from './helpers.js';

let demo: string;
beforeAll(async () => {
  demo = await mkdtemp(join(tmpdir(), 'outturn-demo-'));
  await writeDemo(demo, { contracts: 3, months: 4 });
});

describe('ingestDemoFolder', () => {
  it('loads the reference data and accepts every return in the manifest, in order; a second run changes nothing', async () => {
    const store = await tempStore();
    const manifest = await readManifest(demo);
    expect(manifest.length).toBeGreaterThan(0);
    const seen: number[] = [];
    const summary = await ingestDemoFolder(store, demo, {
      onProgress: (done, total) => seen.push(done * 1000 + total),
    });

    expect(seen).toEqual(manifest.map((_, i) => (i + 1) * 1000 + manifest.length));
    expect(await loadReference(store)).toEqual(await loadReferenceData(join(demo, 'reference')));
    expect(summary).toMatchObject({
      total: manifest.length,
      accepted: manifest.length,
      rejected: 0,
      duplicates: 0,
    });

    const receipts = await listReceipts(store);
    expect(receipts).toHaveLength(manifest.length);
    // Each receipt is its manifest entry: who sent it, when, and the version (a resubmission is 2).
    for (const [i, entry] of manifest.entries()) {
      const r = summary.results[i]!.receipt;
      expect(r).toMatchObject({
        status: 'accepted',
        contract_id: entry.contract_id,
        period: entry.period,
        submitted_by: entry.submitted_by,
        version: entry.version,
      });
      expect(r.submitted_at).toBe(new Date(entry.submitted_at).toISOString());
      const bytes = await readFile(join(demo, entry.file));
      expect(Buffer.from((await store.get(r.raw_key))!).equals(bytes)).toBe(true);
    }

    // The rows counted are the rows staged.
    const files = await Promise.all(receipts.map((r) => store.localFile(r.staged_key!)));
    const staged = await query(
      `SELECT count(*)::INTEGER AS n FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`,
    );
    expect(staged).toEqual([{ n: summary.rows }]);
    expect(summary.rows).toBe(receipts.reduce((s, r) => s + r.counts.rows, 0));
    expect(summary.rows).toBeGreaterThan(0);
    const first = await query(
      `SELECT DISTINCT contract_id, period, version FROM ${parquet(files[0]!)}`,
    );
    expect(first).toEqual([
      { contract_id: manifest[0]!.contract_id, period: manifest[0]!.period, version: 1 },
    ]);

    const before = await snapshot(store);
    const again = await ingestDemoFolder(store, demo);
    expect(again).toMatchObject({
      total: manifest.length,
      accepted: 0,
      rejected: 0,
      duplicates: manifest.length,
      rows: 0,
    });
    expect(again.results.map((r) => r.receipt)).toEqual(summary.results.map((r) => r.receipt));
    expect(await snapshot(store)).toEqual(before);
  });
});
