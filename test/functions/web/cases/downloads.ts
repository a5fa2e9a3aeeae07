/** Route × role cases for table downloads (functions/web/routes/downloads.ts). */
import type { Case, CasesFor, Expect } from './common.js';

const contract = 'GET /contracts/:id/download/:file';
const programme = 'GET /programmes/:programme/download/:file';

// Contract downloads hold true figures: those who may see the contract, but not commissioners.
const truePlp: Expect = {
  anonymous: 302,
  'acme-user': 200,
  'north-user': 403,
  'cm-north': 200,
  comm: 403,
  admin: 200,
};
const trueSouth: Expect = {
  anonymous: 302,
  'acme-user': 403,
  'north-user': 200,
  'cm-north': 403,
  comm: 403,
  admin: 200,
};
// Programme downloads: the programme's commissioners and admins.
const commPlp: Expect = {
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'cm-north': 403,
  comm: 200,
  admin: 200,
};
const with_ = (base: Expect, status: number): Expect =>
  Object.fromEntries(
    Object.entries(base).map(([who, s]) => [who, s === 200 ? status : s]),
  ) as Expect;

export const cases: CasesFor = (): Case[] => [
  { route: contract, url: '/contracts/plp-test/download/performance.csv', expect: truePlp },
  { route: contract, url: '/contracts/plp-test/download/performance.xlsx', expect: truePlp },
  { route: contract, url: '/contracts/vrs-south/download/performance.csv', expect: trueSouth },
  { route: contract, url: '/contracts/plp-test/download/nothing.csv', expect: with_(truePlp, 404) },
  {
    route: contract,
    url: '/contracts/plp-test/download/performance.pdf',
    expect: with_(truePlp, 400),
  },
  {
    route: contract,
    url: '/contracts/no-such-contract/download/performance.csv',
    expect: {
      anonymous: 302,
      'acme-user': 404,
      'north-user': 404,
      'cm-north': 404,
      comm: 404,
      admin: 404,
    },
  },
  { route: programme, url: '/programmes/plp/download/performance.csv', expect: commPlp },
  { route: programme, url: '/programmes/plp/download/outcomes.xlsx', expect: commPlp },
  { route: programme, url: '/programmes/vrs/download/timeliness.csv', expect: commPlp },
  {
    route: programme,
    url: '/programmes/vrs/download/breakdown.csv?breakdown=sex',
    expect: commPlp,
  },
  { route: programme, url: '/programmes/vrs/download/breakdown.csv', expect: with_(commPlp, 400) },
  {
    route: programme,
    url: '/programmes/agg/download/performance.csv',
    expect: { ...commPlp, comm: 403 },
  },
  { route: programme, url: '/programmes/plp/download/nothing.csv', expect: with_(commPlp, 404) },
  {
    route: programme,
    url: '/programmes/plp/download/performance.pdf',
    expect: with_(commPlp, 400),
  },
  {
    route: programme,
    url: '/programmes/no-such-programme/download/performance.csv',
    expect: { ...commPlp, comm: 404, admin: 404 },
  },
];
