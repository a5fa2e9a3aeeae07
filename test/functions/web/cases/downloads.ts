/**
 * Route × role cases for table downloads (functions/web/routes/downloads.ts): each table from
 * the page that shows it (`?table=…&format=…`), and the older download URLs, which redirect there.
 */
import type { Case, CasesFor, Expect } from './common.js';

const contract = 'GET /contracts/:id';
const programme = 'GET /programmes/:programme';
const oldContract = 'GET /contracts/:id/download/:file';
const oldProgramme = 'GET /programmes/:programme/download/:file';

// Contract downloads: true figures for those who may see the contract; its commissioners get
// the same tables from the suppressed marts, through their restricted engine.
const truePlp: Expect = {
  anonymous: 302,
  'acme-user': 200,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 200,
  comm: 200,
  admin: 200,
};
const trueSouth: Expect = {
  anonymous: 302,
  'acme-user': 403,
  'north-user': 200,
  'partner-north': 403,
  'cm-north': 403,
  comm: 200,
  admin: 200,
};
// Programme downloads: the programme's commissioners and admins.
const commPlp: Expect = {
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm: 200,
  admin: 200,
};
// The portfolio: everyone signed in but commissioners.
const portfolio: Expect = {
  anonymous: 302,
  'acme-user': 200,
  'north-user': 200,
  'partner-north': 403,
  'cm-north': 200,
  comm: 403,
  admin: 200,
};
const with_ = (base: Expect, status: number): Expect =>
  Object.fromEntries(
    Object.entries(base).map(([who, s]) => [who, s === 200 ? status : s]),
  ) as Expect;

const redirect = (status: number): Expect => ({
  anonymous: status,
  'acme-user': status,
  'north-user': status,
  'partner-north': status,
  'cm-north': status,
  comm: status,
  admin: status,
});

export const cases: CasesFor = (): Case[] => [
  {
    route: oldContract,
    url: '/contracts/plp-test/download/performance.csv',
    expect: redirect(301),
    location: /^\/contracts\/plp-test\?table=performance&format=csv$/,
  },
  {
    route: oldProgramme,
    url: '/programmes/vrs/download/breakdown.csv?breakdown=sex',
    expect: redirect(301),
    location: /^\/programmes\/vrs\?breakdown=sex&table=breakdown&format=csv$/,
  },
  { route: programme, url: '/programmes/plp?table=costs&format=csv', expect: commPlp },
  { route: programme, url: '/programmes/plp?format=csv', expect: with_(commPlp, 404) },
  {
    route: programme,
    url: '/programmes/plp?table=outcomes&format=csv&period=2025-13',
    expect: with_(commPlp, 400),
  },
  { route: 'GET /portfolio', url: '/portfolio?table=measures&format=csv', expect: portfolio },
  { route: 'GET /portfolio', url: '/portfolio?table=measures&format=xlsx', expect: portfolio },
  { route: contract, url: '/contracts/plp-test?table=performance&format=csv', expect: truePlp },
  { route: contract, url: '/contracts/plp-test?table=performance&format=xlsx', expect: truePlp },
  { route: contract, url: '/contracts/vrs-south?table=performance&format=csv', expect: trueSouth },
  // A table only the commissioners' page has: for the others, a table the page does not have.
  {
    route: contract,
    url: '/contracts/vrs-south?table=costs&format=csv',
    expect: { ...trueSouth, 'north-user': 404, admin: 404 },
  },
  // The intervention level's months of change (ADR 039): on the commissioners' page only.
  {
    route: contract,
    url: '/contracts/plp-test?table=levels&format=csv',
    expect: { ...truePlp, 'acme-user': 404, 'cm-north': 404, admin: 404 },
  },
  {
    route: contract,
    url: '/contracts/vrs-south?table=levels&format=xlsx',
    expect: { ...trueSouth, 'north-user': 404, admin: 404 },
  },
  {
    route: contract,
    url: '/contracts/plp-test?table=nothing&format=csv',
    expect: with_(truePlp, 404),
  },
  {
    route: contract,
    url: '/contracts/plp-test?table=performance&format=pdf',
    expect: with_(truePlp, 400),
  },
  {
    route: contract,
    url: '/contracts/no-such-contract?table=performance&format=csv',
    expect: {
      anonymous: 302,
      'acme-user': 404,
      'north-user': 404,
      'partner-north': 404,
      'cm-north': 404,
      comm: 404,
      admin: 404,
    },
  },
  { route: programme, url: '/programmes/plp?table=performance&format=csv', expect: commPlp },
  { route: programme, url: '/programmes/plp?table=outcomes&format=xlsx', expect: commPlp },
  { route: programme, url: '/programmes/vrs?table=timeliness&format=csv', expect: commPlp },
  {
    route: programme,
    url: '/programmes/vrs?table=breakdown&format=csv&breakdown=sex',
    expect: commPlp,
  },
  {
    route: programme,
    url: '/programmes/vrs?table=breakdown&format=csv',
    expect: with_(commPlp, 400),
  },
  {
    route: programme,
    url: '/programmes/agg?table=performance&format=csv',
    expect: { ...commPlp, comm: 403 },
  },
  {
    route: programme,
    url: '/programmes/plp?table=nothing&format=csv',
    expect: with_(commPlp, 404),
  },
  {
    route: programme,
    url: '/programmes/plp?table=performance&format=pdf',
    expect: with_(commPlp, 400),
  },
  {
    route: programme,
    url: '/programmes/no-such-programme?table=performance&format=csv',
    expect: { ...commPlp, comm: 404, admin: 404 },
  },
];
