/**
 * Issue 15.2 (ADR 027): a build that fails after the receipt is written is never left silent.
 * The marts' manifest records the receipts they include; the next upload (this one again, or
 * another) finds the marts behind and rebuilds. The failure is injected with FaultyStore, which
 * refuses the build's uploads to curated/ as a full disk would; everything else is real.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { inlinePipeline } from '../../../functions/web/pipeline.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { FaultyStore } from '../store/faulty-store.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { currentLag, describeMissing, martsLag } from '../../../pipelines/transform/lag.js';
import { pipelineWith, type Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participants } from '../../fixtures/returns.js';

const asOf = '2026-11-26';
const now = new Date(`${asOf}T09:00:00.000Z`);
const reference: ReferenceData = testReference();

let p: Pipeline;
beforeEach(async () => {
  p = await pipelineWith(reference, [
    { contractId: 'plp-test', period: '2025-01', rows: participants(2) },
  ]);
});

function send(store: typeof p.store, contractId: string, period: string, n: number) {
  return inlinePipeline.submitReturn(store, {
    contract: reference.contracts.find((c) => c.id === contractId)!,
    period,
    fileName: `${contractId}-${period}.csv`,
    bytes: bytesOf(csvOf(participants(n))),
    submittedBy: 'admin',
    reference,
    from: '127.0.0.1',
    now,
  });
}

async function inMarts(): Promise<string[]> {
  const rows = await p.query(
    `select contract_id || ' ' || period as r from returns_status where status like 'accepted%' order by 1`,
  );
  return rows.map((r) => String(r.r));
}

describe('after a build that failed', () => {
  it('the marts are known to lag, and re-sending the same file rebuilds them', async () => {
    expect(await currentLag(p.store)).toEqual({ contracts: [], missing: [] });
    const full = new FaultyStore(
      p.store,
      (op, key) => op === 'putFile' && key.startsWith('curated/'),
    );
    const failed = await send(full, 'plp-test', '2025-02', 3);
    if (failed.queued) throw new Error('expected the inline pipeline');
    expect(failed.result.receipt.status).toBe('accepted');
    expect(failed.marts).toMatchObject({ rebuilt: false });
    expect(await inMarts()).toEqual(['plp-test 2025-01']);

    const lag = await currentLag(p.store);
    expect(lag).toEqual({
      contracts: ['plp-test'],
      missing: [
        { contract_id: 'plp-test', period: '2025-02', receipt_id: failed.result.receipt.id },
      ],
    });
    expect(describeMissing(lag.missing)).toBe('the return for plp-test 2025-02');

    // The provider sends the same file again: already received, but the marts now catch up.
    const again = await send(p.store, 'plp-test', '2025-02', 3);
    if (again.queued) throw new Error('expected the inline pipeline');
    expect(again.result.duplicate).toBe(true);
    expect(again.marts).toMatchObject({ rebuilt: true });
    expect(await inMarts()).toEqual(['plp-test 2025-01', 'plp-test 2025-02']);
    expect(await currentLag(p.store)).toEqual({ contracts: [], missing: [] });
  });

  it('the next upload of another contract’s return rebuilds the lagging contract too', async () => {
    const full = new FaultyStore(
      p.store,
      (op, key) => op === 'putFile' && key.startsWith('curated/'),
    );
    await send(full, 'plp-test', '2025-02', 3);
    const other = await send(p.store, 'vrs-test', '2025-01', 2);
    if (other.queued) throw new Error('expected the inline pipeline');
    expect(other.marts).toMatchObject({ rebuilt: true });
    expect(await inMarts()).toEqual(['plp-test 2025-01', 'plp-test 2025-02', 'vrs-test 2025-01']);
    expect(await readCurrentManifest(p.store)).toMatchObject({
      scope: ['plp-test', 'vrs-test'],
      receipts: { 'plp-test': { count: 2 }, 'vrs-test': { count: 1 } },
    });
  });

  it('counts a build from before the manifest recorded receipts as including none', async () => {
    const manifest = (await readCurrentManifest(p.store))!;
    const { receipts: _, ...older } = manifest;
    expect((await martsLag(p.store, older)).contracts).toEqual(['plp-test']);
    expect((await martsLag(p.store, null)).contracts).toEqual(['plp-test']);
  });
});
