/**
 * Approval and locking (ADR 032), through the real ingest: an accepted return is locked until its
 * manager reopens it; a month closes 60 days (the default) after its deadline. plp-test's
 * deadline is the 10th working day of the next month: for January 2025, Friday 14 February.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  IngestRefusedError,
  ingestReturn,
  listReceipts,
} from '../../../pipelines/ingest/ingest.js';
import { actOnVersion } from '../../../pipelines/ingest/version-action.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import {
  closingOf,
  reopenReturn,
  ReopenRefusedError,
  returnStateOf,
} from '../../../pipelines/review/approval.js';
import { reviewReturn } from '../../../pipelines/review/review.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participants } from '../../fixtures/returns.js';

/** The test reference with the programmes' closing left to the default (60 days). */
function closingReference(): ReferenceData {
  const base = testReference();
  return parseReferenceData({
    ...base,
    programmes: base.programmes.map(({ returns_close_after_days: _, ...p }) => p),
  });
}

let p: PipelineFixture;
const at = (iso: string) => new Date(`${iso}T09:00:00.000Z`);

function send(period: string, n: number, now: Date) {
  return ingestReturn({
    store: p.store,
    bytes: bytesOf(csvOf(participants(n))),
    fileName: `${period}-${n}.csv`,
    contractId: 'plp-test',
    period,
    submittedBy: 'acme-user',
    reference: p.reference,
    now,
  });
}

async function refusal(promise: Promise<unknown>): Promise<IngestRefusedError> {
  const e = await promise.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(IngestRefusedError);
  return e as IngestRefusedError;
}

beforeAll(async () => {
  p = await pipelineWith(closingReference(), [
    {
      contractId: 'plp-test',
      period: '2025-01',
      rows: participants(3),
      submittedAt: '2025-02-05T10:00:00.000Z',
    },
  ]);
});

describe('closing', () => {
  it('is the deadline plus the programme’s days, 60 when it says none, never when it says null', () => {
    const contract = p.reference.contracts.find((c) => c.id === 'plp-test')!;
    const plp = p.reference.programmes.find((x) => x.id === 'plp')!;
    expect(closingOf(contract, plp, '2025-01')).toEqual({
      deadline: '2025-02-14',
      closesOn: '2025-04-15',
    });
    expect(closingOf(contract, { ...plp, returns_close_after_days: 0 }, '2025-01')).toEqual({
      deadline: '2025-02-14',
      closesOn: '2025-02-14',
    });
    expect(closingOf(contract, { ...plp, returns_close_after_days: null }, '2025-01')).toEqual({
      deadline: '2025-02-14',
      closesOn: null,
    });
  });

  it('takes a return on the closing day and refuses one the day after, writing nothing', async () => {
    // February's deadline is Friday 14 March 2025; 60 days on is 13 May.
    expect((await send('2025-02', 2, at('2025-05-13'))).receipt.status).toBe('accepted');
    const before = (await p.store.list('')).length;
    const e = await refusal(send('2025-02', 4, at('2025-05-14')));
    expect(e.reason).toBe('closed');
    expect(e.failure).toBe('conflict');
    expect(e.message).toBe(
      "Returns for February 2025 on contract plp-test closed on 13 May 2025, after the deadline of 14 March 2025, so it cannot be changed. If it needs correcting, ask the contract's manager to reopen it, saying what you need to correct.",
    );
    expect((await p.store.list('')).length).toBe(before);
  });

  it('opens again when the manager reopens it, with a reason, until it is approved', async () => {
    const contract = p.reference.contracts.find((c) => c.id === 'plp-test')!;
    await expect(
      reopenReturn(
        p.store,
        p.reference,
        { contract, period: '2025-02', reason: ' ', by: 'cm-north' },
        at('2025-05-20'),
      ),
    ).rejects.toBeInstanceOf(ReopenRefusedError);
    const reopening = await reopenReturn(
      p.store,
      p.reference,
      { contract, period: '2025-02', reason: 'Two starts were missing', by: 'cm-north' },
      at('2025-05-20'),
    );
    expect(reopening).toMatchObject({ reopened: 'closed', by: 'cm-north' });
    const state = await returnStateOf(p.store, p.reference, contract, '2025-02', at('2025-05-21'));
    expect(state).toMatchObject({ state: 'open', reopened: { reason: 'Two starts were missing' } });
    expect((await send('2025-02', 4, at('2025-05-21'))).receipt.status).toBe('accepted');
    await expect(
      reopenReturn(
        p.store,
        p.reference,
        { contract, period: '2025-02', reason: 'again', by: 'cm-north' },
        at('2025-05-22'),
      ),
    ).rejects.toThrow(/is open already/);
  });
});

describe('locking', () => {
  it('an accepted return refuses a new upload and a withdrawal, naming who approved it', async () => {
    const [january] = await listReceipts(p.store, { contractId: 'plp-test', period: '2025-01' });
    await reviewReturn(
      p.store,
      {
        contractId: 'plp-test',
        receiptId: january!.id,
        decision: 'accepted',
        message: null,
        by: 'cm-north',
      },
      at('2025-02-20'),
    );
    const e = await refusal(send('2025-01', 5, at('2025-02-21')));
    expect(e.reason).toBe('locked');
    expect(e.message).toBe(
      'The return for January 2025 on contract plp-test was approved by Colin Manager on 20 February 2025, so it is locked and cannot be changed. If it needs correcting, ask Colin Manager (or another manager of the contract) to reopen it, saying what you need to correct.',
    );
    await expect(
      actOnVersion({
        store: p.store,
        reference: p.reference,
        action: 'withdraw',
        contractId: 'plp-test',
        period: '2025-01',
        version: 1,
        by: 'acme-user',
        now: at('2025-02-21'),
      }),
    ).rejects.toMatchObject({ problem: 'locked' });
  });

  it('a query after the acceptance unlocks it; a reopening does; accepting again locks it', async () => {
    const contract = p.reference.contracts.find((c) => c.id === 'plp-test')!;
    const [january] = await listReceipts(p.store, { contractId: 'plp-test', period: '2025-01' });
    await reopenReturn(
      p.store,
      p.reference,
      { contract, period: '2025-01', reason: 'A start date is wrong', by: 'cm-north' },
      at('2025-02-22'),
    );
    const v2 = (await send('2025-01', 4, at('2025-02-23'))).receipt;
    expect(v2.status).toBe('accepted');
    await reviewReturn(
      p.store,
      {
        contractId: 'plp-test',
        receiptId: v2.id,
        decision: 'accepted',
        message: null,
        by: 'admin',
      },
      at('2025-02-24'),
    );
    expect((await refusal(send('2025-01', 6, at('2025-02-25')))).message).toMatch(
      /approved by Ada Admin/,
    );
    await reviewReturn(
      p.store,
      {
        contractId: 'plp-test',
        receiptId: january!.id,
        decision: 'queried',
        message: 'Check row 2',
        by: 'cm-north',
      },
      at('2025-02-26'),
    );
    expect((await send('2025-01', 6, at('2025-02-27'))).receipt.status).toBe('accepted');
    // A query made before the closing day (15 April) does not keep it open after it; one made after does.
    expect(
      (await returnStateOf(p.store, p.reference, contract, '2025-01', at('2025-04-20'))).state,
    ).toBe('closed');
    const v3 = (await listReceipts(p.store, { contractId: 'plp-test', period: '2025-01' })).at(-1)!;
    await reviewReturn(
      p.store,
      {
        contractId: 'plp-test',
        receiptId: v3.id,
        decision: 'queried',
        message: 'Row 3?',
        by: 'cm-north',
      },
      at('2025-04-20'),
    );
    expect(
      (await returnStateOf(p.store, p.reference, contract, '2025-01', at('2025-04-21'))).state,
    ).toBe('open');
  });
});
