/**
 * Route × role cases for confirming, discarding and withdrawing versions (routes/versions.ts,
 * ADR 023). The matrix asks every caller in turn, so the cases must not change state: those
 * allowed get 409 (plp-test's January version is in force, not held, so there is nothing to
 * confirm or discard; February's first version is replaced, so it cannot be withdrawn); the
 * rest are refused before the version is looked at. test/functions/web/versions.test.ts
 * follows each step through when it succeeds.
 */
import { listReceipts } from '../../../../pipelines/ingest/ingest.js';
import { participants } from '../../../fixtures/returns.js';
import type { Case, CasesFor, Expect } from './common.js';

const submitPlp = (anonymous: number, ok: number): Expect => ({
  anonymous,
  'acme-user': ok,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
});
const withdrawPlp = (anonymous: number, ok: number): Expect => ({
  ...submitPlp(anonymous, ok),
  'cm-north': ok,
});
const reason = () => new URLSearchParams({ reason: 'route matrix' });

export const cases: CasesFor = async (f): Promise<Case[]> => {
  // February, twice: the second a small correction, so the first is replaced (superseded).
  await f.pipeline.ingest([
    {
      contractId: 'plp-test',
      period: '2025-02',
      rows: participants(6),
      submittedAt: '2025-03-05T10:00:00.000Z',
    },
    {
      contractId: 'plp-test',
      period: '2025-02',
      rows: participants(6, () => ({ start_date: '' })),
      submittedAt: '2025-03-06T10:00:00.000Z',
    },
  ]);
  const receipts = await listReceipts(f.pipeline.store, { contractId: 'plp-test' });
  const jan = receipts.find((r) => r.period === '2025-01' && r.status === 'accepted')!;
  const febFirst = receipts.find((r) => r.period === '2025-02' && r.version === 1)!;
  const page = (r: typeof jan, action: string) =>
    `/contracts/${r.contract_id}/returns/${r.id}/${action}`;
  const api = (r: typeof jan, action: string) =>
    `/api/returns/${r.contract_id}/${r.period}/${r.id}/${action}`;
  return [
    {
      route: 'POST /contracts/:id/returns/:receipt/confirm',
      url: page(jan, 'confirm'),
      form: reason,
      expect: submitPlp(302, 409),
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/discard',
      url: page(jan, 'discard'),
      form: reason,
      expect: submitPlp(302, 409),
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/withdraw',
      url: page(febFirst, 'withdraw'),
      form: reason,
      expect: withdrawPlp(302, 409),
    },
    // A receipt of another contract under this one: not found, to those who may act here.
    {
      route: 'POST /contracts/:id/returns/:receipt/withdraw',
      url: `/contracts/vrs-south/returns/${febFirst.id}/withdraw`,
      form: reason,
      expect: {
        anonymous: 302,
        'acme-user': 403,
        'north-user': 404,
        'partner-north': 403,
        'cm-north': 403,
        comm: 403,
        admin: 404,
      },
    },
    {
      route: 'POST /api/returns/:contract/:period/:id/confirm',
      url: api(jan, 'confirm'),
      form: reason,
      expect: submitPlp(401, 409),
    },
    {
      route: 'POST /api/returns/:contract/:period/:id/discard',
      url: api(jan, 'discard'),
      form: reason,
      expect: submitPlp(401, 409),
    },
    {
      route: 'POST /api/returns/:contract/:period/:id/withdraw',
      url: api(febFirst, 'withdraw'),
      form: reason,
      expect: withdrawPlp(401, 409),
    },
  ];
};
