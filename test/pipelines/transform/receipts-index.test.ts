/**
 * The receipts index (ADR 033): a build reads the receipts and version actions written since
 * the build in force, and what it reads through the index is what reading every receipt gives,
 * through held, confirmed, withdrawn and restored versions. A missing or damaged index only
 * means reading them all. And a full rebuild done a contract at a time gives the marts of one
 * done all at once.
 */
import { describe, expect, it } from 'vitest';
import { ingestReturn } from '../../../pipelines/ingest/ingest.js';
import { actOnVersion } from '../../../pipelines/ingest/version-action.js';
import { putJson, type ObjectStore } from '../../../pipelines/store/object-store.js';
import { readCurrentBuild, readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { inputsFromStore } from '../../../pipelines/transform/store-inputs.js';
import { contractBatches } from '../../../pipelines/transform/build.js';
import { csvTemplate } from '../../../pipelines/returns/templates.js';
import { pipelineWith } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participant } from '../../fixtures/returns.js';

const asOf = '2026-11-26';

const jan = [
  participant({ participant_id: 'A-1' }),
  participant({ participant_id: 'A-2', first_contact_date: '', start_date: '' }),
];
const feb = [...jan, participant({ participant_id: 'A-3', referral_date: '2025-02-03' })];

/** What a build on top of the build in force reads, through its index, and what reading every receipt gives. */
async function bothWays(store: ObjectStore) {
  const indexed = await inputsFromStore(store, await readCurrentBuild(store));
  const whole = await inputsFromStore(store);
  return { indexed, whole };
}

async function snapshot(store: ObjectStore): Promise<Record<string, unknown[]>> {
  const db = await openCurated(store);
  try {
    const out: Record<string, unknown[]> = {};
    for (const name of Object.keys(db.manifest.models).sort())
      out[name] = (await db.query(`select * from ${name} order by all`)).rows;
    return out;
  } finally {
    db.close();
  }
}

describe('the receipts index', () => {
  it('is read instead of every receipt, gives what reading them all gives, and reads only what is new', async () => {
    const p = await pipelineWith(testReference(), [], asOf);
    const send = (period: string, bytes: Uint8Array, day: number) =>
      ingestReturn({
        store: p.store,
        bytes,
        fileName: `${period}.csv`,
        contractId: 'plp-test',
        period,
        submittedBy: 'acme-user',
        reference: p.reference,
        now: new Date(`2025-04-${String(day).padStart(2, '0')}T10:00:00.000Z`),
      });
    const act = (action: 'confirm' | 'withdraw', version: number, day: number) =>
      actOnVersion({
        store: p.store,
        reference: p.reference,
        action,
        contractId: 'plp-test',
        period: '2025-02',
        version,
        by: 'acme-user',
        now: new Date(`2025-04-${String(day).padStart(2, '0')}T12:00:00.000Z`),
      });
    const build = () => rebuild(p.store, { asOf, contracts: ['plp-test'] });

    await send('2025-01', bytesOf(csvOf(jan)), 1);
    const first = await build();
    // No build before it: every receipt read.
    expect(first.timings[0]!.step).toMatch(/^read the inputs \(1 receipts and actions read, 0 /);
    expect(first.manifest.receipts_index).toMatch(/^curated\/builds\/.+\/receipts-index\.json$/);

    await send('2025-02', bytesOf(csvOf(feb)), 2); // v1, in force
    await send('2025-02', bytesOf(csvTemplate('participant')), 3); // v2, held (empty)
    let ways = await bothWays(p.store);
    expect(ways.indexed.receiptsIndex).toMatchObject({ read: 2, reused: 1 });
    expect(ways.indexed.receipts).toEqual(ways.whole.receipts);
    expect(ways.indexed.receipts.map((r) => r.state)).toEqual(['in_force', 'in_force', 'held']);
    await build();

    await act('confirm', 2, 4); // v2 in force, v1 superseded
    await build();
    await act('withdraw', 2, 5); // v1 back in force
    await send('2025-02', bytesOf(csvOf([...feb].reverse())), 6); // v3
    await send('2025-02', bytesOf(csvOf(feb)), 7); // v1's bytes again: v4, a restore
    ways = await bothWays(p.store);
    expect(ways.indexed.receiptsIndex).toMatchObject({ read: 3, reused: 4 });
    expect(ways.indexed.receipts).toEqual(ways.whole.receipts);
    expect(ways.indexed.receipts.map((r) => [r.version, r.state, r.restores_version])).toEqual([
      [1, 'in_force', null],
      [1, 'superseded', null],
      [2, 'withdrawn', null],
      [3, 'superseded', null],
      [4, 'in_force', 1],
    ]);
    const built = await build();
    const incremental = await snapshot(p.store);

    // Nothing new: the next build names the same index and reads nothing.
    const again = await rebuild(p.store, { asOf, contracts: [] });
    expect(again.manifest.receipts_index).toBe(built.manifest.receipts_index);
    expect(again.timings[0]!.step).toMatch(/\(0 receipts and actions read, 7 from/);

    // A damaged index is not trusted: every receipt is read, and the marts are the same.
    await putJson(p.store, again.manifest.receipts_index!, { format: 1, receipts: 'damaged' });
    const fallback = await rebuild(p.store, { asOf });
    expect(fallback.timings[0]!.step).toMatch(/\(7 receipts and actions read, 0 from/);
    expect(await snapshot(p.store)).toEqual(incremental);
    // Retention keeps the index the build in force names.
    expect(await p.store.exists((await readCurrentManifest(p.store))!.receipts_index!)).toBe(true);
  }, 120_000);
});

describe('a full rebuild a contract at a time', () => {
  it('gives the marts of one built all at once', async () => {
    const vrs = feb.map((r) => ({ ...r, participant_id: `V${r.participant_id}` }));
    const p = await pipelineWith(testReference(), [
      { contractId: 'plp-test', period: '2025-01', rows: jan },
      { contractId: 'vrs-test', period: '2025-01', rows: vrs.slice(0, 2) },
      { contractId: 'plp-test', period: '2025-02', rows: feb },
      { contractId: 'vrs-test', period: '2025-02', rows: vrs },
    ]);
    const inputs = await inputsFromStore(p.store);
    expect(contractBatches(inputs, ['plp-test', 'vrs-test'], 1)).toEqual([
      ['plp-test'],
      ['vrs-test'],
    ]);
    expect(contractBatches(inputs, ['plp-test', 'vrs-test'], 6)).toEqual([
      ['plp-test', 'vrs-test'],
    ]);
    await rebuild(p.store, { asOf });
    const whole = await snapshot(p.store);
    const batched = await rebuild(p.store, { asOf, batchRows: 1 });
    expect(batched.manifest.scope).toBe('full');
    expect(await snapshot(p.store)).toEqual(whole);
  }, 120_000);
});
