/** Route × role cases for ad-hoc analytics queries (functions/web/routes/analytics.ts). */
import type { Case, CasesFor, Expect } from './common.js';

const page = 'GET /analytics';
const run = 'POST /analytics';
const api = 'POST /api/analytics/query';

// Commissioners, contract managers and admins query the suppressed marts; providers none.
const suppressed: Expect = {
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 200,
  comm: 200,
  admin: 200,
};
// The true figures: admins only; the others are refused the table (403), providers the page.
const trueFigures: Expect = { ...suppressed, 'cm-north': 403, comm: 403 };
const api_ = (e: Expect): Expect => ({ ...e, anonymous: 401 });

const form = (sql: string) => () => new URLSearchParams({ sql, params: '' });
const json =
  (sql: string, params: unknown[] = []) =>
  () =>
    JSON.stringify({ sql, params });

export const cases: CasesFor = (): Case[] => [
  { route: page, url: '/analytics', expect: suppressed },
  {
    route: run,
    url: '/analytics',
    form: form('SELECT contract_id, period FROM suppressed_performance LIMIT 5'),
    expect: suppressed,
  },
  {
    route: run,
    url: '/analytics',
    form: form('SELECT count(*) AS n FROM performance'),
    expect: trueFigures,
  },
  // A DuckDB-only form is refused before it runs: 400 for those who may query at all.
  {
    route: run,
    url: '/analytics',
    form: form("SELECT strftime(period, '%Y') FROM suppressed_performance"),
    expect: { ...suppressed, 'cm-north': 400, comm: 400, admin: 400 },
  },
  {
    route: api,
    url: '/api/analytics/query',
    form: json('SELECT contract_id FROM suppressed_performance WHERE period = ?', ['2025-01']),
    expect: api_(suppressed),
  },
  {
    route: api,
    url: '/api/analytics/query',
    form: json('SELECT * FROM "outturn"."performance"'),
    expect: api_(trueFigures),
  },
];
