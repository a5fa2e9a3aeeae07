import { beforeAll, describe, expect, it } from 'vitest';
import { ingestReturn, listReceipts } from '../../../pipelines/ingest/ingest.js';
import type { Receipt } from '../../../pipelines/ingest/receipt.js';
import { canReview } from '../../../pipelines/access/index.js';
import {
  checkAnswers,
  MESSAGE_MAX,
  newestReviews,
  ReviewRefusedError,
  reviewReturn,
  reviewsFor,
} from '../../../pipelines/review/review.js';
import { pipelineWith, type Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participant, participants } from '../../fixtures/returns.js';

let p: Pipeline;
let accepted: Receipt;
let rejected: Receipt;
const T = new Date('2026-11-26T12:00:00.000Z');

beforeAll(async () => {
  p = await pipelineWith(testReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(3) },
  ]);
  accepted = (await listReceipts(p.store, { contractId: 'plp-test' }))[0]!;
  const bad = csvOf([participant({ referral_date: 'not a date' })]);
  const input = {
    store: p.store,
    bytes: bytesOf(bad),
    fileName: 'bad.csv',
    contractId: 'plp-test',
    period: '2025-02',
    submittedBy: 'acme-user',
    reference: p.reference,
    now: T,
  };
  rejected = (await ingestReturn(input)).receipt;
  expect([accepted.status, rejected.status]).toEqual(['accepted', 'rejected']);
});

describe('checkAnswers', () => {
  it('needs a decision, and a message for a query, of at most 2000 characters', () => {
    expect(checkAnswers({ decision: 'accepted', message: '' })).toEqual({
      ok: true,
      decision: 'accepted',
      message: null,
    });
    expect(checkAnswers({ decision: 'queried', message: ' Row 2\r\nplease ' })).toEqual({
      ok: true,
      decision: 'queried',
      message: 'Row 2\nplease',
    });
    expect(checkAnswers({ decision: 'queried', message: '  ' })).toMatchObject({
      ok: false,
      errors: { message: expect.stringMatching(/^Enter a message/) },
    });
    expect(checkAnswers({ decision: 'maybe', message: 'x' })).toMatchObject({
      ok: false,
      errors: { decision: expect.any(String) },
    });
    expect(checkAnswers({ decision: undefined, message: undefined })).toMatchObject({
      ok: false,
      errors: { decision: expect.any(String) },
    });
    expect(checkAnswers({ decision: 'queried', message: 'x'.repeat(MESSAGE_MAX) }).ok).toBe(true);
    expect(
      checkAnswers({ decision: 'queried', message: 'x'.repeat(MESSAGE_MAX + 1) }),
    ).toMatchObject({
      ok: false,
      errors: { message: 'The message must be 2000 characters or fewer' },
    });
  });
});

describe('reviewReturn and reviewsFor', () => {
  it('stores one object per decision; the newest counts, even within one millisecond', async () => {
    const first = await reviewReturn(
      p.store,
      {
        contractId: 'plp-test',
        receiptId: accepted.id,
        decision: 'accepted',
        message: '',
        by: 'cm-north',
      },
      T,
    );
    const second = await reviewReturn(
      p.store,
      {
        contractId: 'plp-test',
        receiptId: accepted.id,
        decision: 'queried',
        message: 'Check row 2',
        by: 'cm-north',
      },
      T,
    );
    expect(first).toEqual({
      receipt_id: accepted.id,
      contract_id: 'plp-test',
      period: '2025-01',
      decision: 'accepted',
      message: null,
      by: 'cm-north',
      at: '2026-11-26T12:00:00.000Z',
    });
    expect(second.at).toBe('2026-11-26T12:00:00.001Z');
    expect(await p.store.list('reviews/')).toEqual([
      `reviews/plp-test/2025-01/20261126T120000000Z-${accepted.id}.json`,
      `reviews/plp-test/2025-01/20261126T120000001Z-${accepted.id}.json`,
    ]);
    const all = await reviewsFor(p.store, 'plp-test');
    expect(all.map((r) => r.decision)).toEqual(['accepted', 'queried']);
    expect(newestReviews(all).get(accepted.id)).toMatchObject({
      decision: 'queried',
      message: 'Check row 2',
    });
    expect(await reviewsFor(p.store, 'plp-test', '2025-02')).toEqual([]);
    expect(await reviewsFor(p.store, 'vrs-test')).toEqual([]);
  });

  it('refuses a rejected receipt, an unknown one and a query without a message, storing nothing', async () => {
    const before = (await p.store.list('reviews/')).length;
    const refusal = (e: unknown) => (e instanceof ReviewRefusedError ? e.reason : e);
    const attempt = (receiptId: string, decision: string, message: string) =>
      reviewReturn(
        p.store,
        { contractId: 'plp-test', receiptId, decision, message, by: 'cm-north' },
        T,
      ).catch(refusal);
    expect(await attempt(rejected.id, 'accepted', '')).toBe('not_accepted');
    expect(await attempt('20250101T000000000Z-00000000', 'accepted', '')).toBe('no_receipt');
    expect(await attempt(accepted.id, 'queried', '')).toBe('invalid');
    expect((await p.store.list('reviews/')).length).toBe(before);
  });

  it('a damaged review is an error naming its key', async () => {
    await p.store.put('reviews/agg-test/2025-01/bad.json', '{"decision":"perhaps"}');
    await expect(reviewsFor(p.store, 'agg-test')).rejects.toThrow(
      'reviews/agg-test/2025-01/bad.json',
    );
  });
});

describe('canReview', () => {
  it('the contract’s manager and admins only', () => {
    const ref = testReference();
    const contract = (id: string) => ref.contracts.find((c) => c.id === id)!;
    const user = (id: string) => ref.users.find((u) => u.id === id)!;
    expect(
      ['acme-user', 'north-user', 'cm-north', 'comm', 'admin'].filter((u) =>
        canReview(user(u), contract('plp-test')),
      ),
    ).toEqual(['cm-north', 'admin']);
    expect(canReview(user('cm-north'), { ...contract('plp-test'), portfolio: 'south' })).toBe(
      false,
    );
  });
});
