import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../../pipelines/demo/index.js';
import { readManifest, type ManifestEntry } from '../../../pipelines/demo/manifest.js';
import { loadReferenceData } from '../../../pipelines/reference/load.js';
import type { ValidationReport } from '../../../pipelines/validate/report.js';
import { validateReturn } from '../../../pipelines/validate/validate-return.js';

/** Every return in a demo folder's manifest, validated against the reference data for its contract and period. */
async function validateBatch(
  dir: string,
  onProgress: (done: number) => void = () => {},
): Promise<{ entry: ManifestEntry; report: ValidationReport }[]> {
  const reference = await loadReferenceData(join(dir, 'reference'));
  const results: { entry: ManifestEntry; report: ValidationReport }[] = [];
  for (const entry of await readManifest(dir)) {
    const bytes = new Uint8Array(await readFile(join(dir, entry.file)));
    const { report } = validateReturn(bytes, entry.file, {
      contractId: entry.contract_id,
      period: entry.period,
      reference,
    });
    results.push({ entry, report });
    onProgress(results.length);
  }
  return results;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outturn-batch-'));
  await writeDemo(dir);
});

describe('every return the demo writes', () => {
  it('is accepted against the reference data, with only the planted warnings', async () => {
    const seen: number[] = [];
    const results = await validateBatch(dir, (done) => seen.push(done));
    const manifest = JSON.parse(
      await readFile(join(dir, 'returns/manifest.json'), 'utf8'),
    ) as unknown[];
    expect(results).toHaveLength(manifest.length);
    expect(seen.at(-1)).toBe(manifest.length);
    const rejected = results.filter((r) => r.report.status !== 'accepted');
    expect(rejected.map((r) => `${r.entry.file}: ${r.report.problems[0]?.message}`)).toEqual([]);

    // The demo plants first-contact-after-start rows in one contract (anomalies.json).
    const anomalies = JSON.parse(await readFile(join(dir, 'anomalies.json'), 'utf8'));
    const planted = new Set<string>(
      anomalies.warnings.map((w: { contract_id: string }) => w.contract_id),
    );
    const warned = new Set(
      results.filter((r) => r.report.warningCount > 0).map((r) => r.entry.contract_id),
    );
    expect([...warned]).toEqual([...planted]);
    const rules = new Set(results.flatMap((r) => r.report.problems.map((p) => p.rule)));
    expect([...rules]).toEqual(['row.contact_after_start']);
  });

  it('is rejected once a planted error is written into it, and nothing else changes', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'returns/manifest.json'), 'utf8')) as {
      file: string;
    }[];
    const target = join(dir, manifest[5]!.file);
    const text = await readFile(target, 'utf8');
    const lines = text.split('\r\n');
    lines[3] = lines[3]!.replace(/^[^,]+/, 'AB123456C');
    await writeFile(target, lines.join('\r\n'));
    const results = await validateBatch(dir);
    const bad = results.filter((r) => r.report.status === 'rejected');
    expect(bad.map((r) => r.entry.file)).toEqual([manifest[5]!.file]);
    expect(bad[0]!.report.problems[0]).toMatchObject({
      rule: 'personal_data.ni_number',
      row: 4,
      column: 'participant_id',
    });
    await writeFile(target, text);
  });
});
