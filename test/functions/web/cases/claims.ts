/**
 * Route × role cases for claims verification (functions/web/routes/claims.ts, ADR 040). The
 * fixture's plp-test claims no job entries, so a month's sample is not found (404) by those who
 * may see it; the recording and the sample with evidence are in test/functions/web/claims.test.ts.
 */
import type { Case, CasesFor, Expect } from './common.js';
import { seePlp, seeVrsSouth, signedIn } from './common.js';

const noComm = (e: Expect): Expect => ({ ...e, comm: 403 });
const contract = 'GET /contracts/:id/claims';
const sample = 'GET /contracts/:id/claims/:period/:kind';
const record = 'POST /contracts/:id/claims/:period/:kind';
const programme = 'GET /programmes/:programme/claims-verification';
const commissioners = (comm: number): Expect => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'cm-north': 403,
  comm,
  admin: 200,
  'partner-north': 403,
});
// The lead provider (acme holds plp-test) and admins record; the manager and others may not.
const recordPlp = (ok: number): Expect => ({
  anonymous: 302,
  'acme-user': ok,
  'north-user': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
  'partner-north': 403,
});
const answers = () => new URLSearchParams({ 'evidence-1': 'held', 'note-1': '' });

export const cases: CasesFor = (): Case[] => [
  { route: contract, url: '/contracts/plp-test/claims', expect: noComm(seePlp(302)) },
  {
    route: contract,
    url: '/contracts/plp-test/claims?table=verification&format=csv',
    expect: noComm(seePlp(302)),
  },
  {
    route: contract,
    url: '/contracts/plp-test/claims?table=payments&format=xlsx',
    expect: noComm(seePlp(302)),
  },
  { route: contract, url: '/contracts/vrs-south/claims', expect: noComm(seeVrsSouth(302)) },
  { route: contract, url: '/contracts/no-such-contract/claims', expect: signedIn(302, 404) },
  {
    route: sample,
    url: '/contracts/plp-test/claims/2025-01/job_entry',
    expect: noComm({ ...seePlp(302), 'acme-user': 404, 'cm-north': 404, admin: 404 }),
  },
  {
    route: sample,
    url: '/contracts/plp-test/claims/January/job_entry',
    expect: noComm({ ...seePlp(302), 'acme-user': 400, 'cm-north': 400, admin: 400 }),
  },
  {
    route: sample,
    url: '/contracts/plp-test/claims/2025-01/starts',
    expect: noComm({ ...seePlp(302), 'acme-user': 400, 'cm-north': 400, admin: 400 }),
  },
  {
    route: record,
    url: '/contracts/plp-test/claims/2025-01/job_entry',
    form: answers,
    expect: recordPlp(404),
  },
  {
    route: record,
    url: '/contracts/vrs-south/claims/2025-01/job_entry',
    form: answers,
    expect: { ...recordPlp(403), 'north-user': 404, admin: 404 },
  },
  { route: programme, url: '/programmes/plp/claims-verification', expect: commissioners(200) },
  {
    route: programme,
    url: '/programmes/plp/claims-verification?table=contracts&format=csv',
    expect: commissioners(200),
  },
  { route: programme, url: '/programmes/agg/claims-verification', expect: commissioners(403) },
];
