/**
 * The cases of the route × role matrix, as a function so the same cases run against the app
 * signed in to locally (routes.test.ts) and in Cognito mode (cognito-routes.test.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import {
  all,
  seeAgg,
  seePlp,
  seeVrsSouth,
  signedIn,
  upload,
  type Case,
  type CasesFor,
} from './cases/common.js';
import { everyone, type WebFixture } from './fixture.js';

/** Every case, written out by hand here and in cases/<area>.ts. Uploads come last: they add returns. */
export async function matrixCases(f: WebFixture): Promise<Case[]> {
  const [plpReceipt] = await listReceipts(f.pipeline.store, { contractId: 'plp-test' });
  const [southReceipt] = await listReceipts(f.pipeline.store, { contractId: 'vrs-south' });
  const receipt = (r: typeof plpReceipt) => `/api/returns/${r!.contract_id}/${r!.period}/${r!.id}`;
  // Each area of the app (provider portal, contract manager, commissioner…) lists its own
  // cases in cases/<area>.ts, exporting `cases(f)`; they all join the one matrix here.
  const areaFiles = (await readdir(join(import.meta.dirname, 'cases')))
    .filter((n) => n.endsWith('.ts') && n !== 'common.ts')
    .sort();
  const areaCases: Case[] = [];
  for (const file of areaFiles) {
    const area = (await import(`./cases/${file}`)) as { cases: CasesFor };
    areaCases.push(...(await area.cases(f)));
  }
  return [
    { route: 'GET /health', url: '/health', expect: all(200) },
    { route: 'GET /sign-in', url: '/sign-in', expect: all(200) },
    {
      route: 'POST /sign-in',
      url: '/sign-in',
      form: () => new URLSearchParams({ user: 'admin' }),
      expect: all(303),
    },
    {
      route: 'POST /sign-out',
      url: '/sign-out',
      form: () => new URLSearchParams(),
      expect: all(303),
      session: 'fresh',
    },
    { route: 'GET /', url: '/', expect: signedIn(302, 200) },
    { route: 'GET /contracts/:id', url: '/contracts/plp-test', expect: seePlp(302) },
    { route: 'GET /contracts/:id', url: '/contracts/vrs-south', expect: seeVrsSouth(302) },
    { route: 'GET /contracts/:id', url: '/contracts/agg-test', expect: seeAgg(302) },
    { route: 'GET /contracts/:id', url: '/contracts/no-such-contract', expect: signedIn(302, 404) },
    { route: 'GET /templates/return.csv', url: '/templates/return.csv', expect: all(200) },
    { route: 'GET /assets/*', url: '/assets/govuk-frontend.min.css', expect: all(200) },
    { route: 'GET /assets/*', url: '/assets/../package.json', expect: all(404) },
    {
      route: 'GET /templates/return.xlsx',
      url: '/templates/return.xlsx?kind=aggregate',
      expect: all(200),
    },
    {
      route: 'GET /api/schema/return.json',
      url: '/api/schema/return.json',
      expect: signedIn(401, 200),
    },
    { route: 'GET /api/contracts', url: '/api/contracts', expect: signedIn(401, 200) },
    {
      route: 'GET /api/contracts/:id/performance',
      url: '/api/contracts/plp-test/performance',
      expect: seePlp(401),
    },
    {
      route: 'GET /api/contracts/:id/performance',
      url: '/api/contracts/vrs-south/performance',
      expect: seeVrsSouth(401),
    },
    {
      route: 'GET /api/contracts/:id/performance',
      url: '/api/contracts/agg-test/performance',
      expect: seeAgg(401),
    },
    {
      route: 'GET /api/contracts/:id/performance',
      url: '/api/contracts/no-such-contract/performance',
      expect: signedIn(401, 404),
    },
    { route: 'GET /api/returns', url: '/api/returns', expect: signedIn(401, 200) },
    { route: 'GET /api/returns', url: '/api/returns?contract=plp-test', expect: seePlp(401) },
    { route: 'GET /api/returns', url: '/api/returns?contract=vrs-south', expect: seeVrsSouth(401) },
    {
      route: 'GET /api/returns/:contract/:period/:id',
      url: receipt(plpReceipt),
      expect: seePlp(401),
    },
    {
      route: 'GET /api/returns/:contract/:period/:id',
      url: receipt(southReceipt),
      expect: seeVrsSouth(401),
    },
    // The policy is applied before the receipt is looked for, so a missing one is 404 only to those who may look.
    {
      route: 'GET /api/returns/:contract/:period/:id',
      url: '/api/returns/vrs-south/2025-01/20250101T000000000Z-00000000',
      expect: { ...seeVrsSouth(401), 'north-user': 404, comm: 404, admin: 404 },
    },
    ...areaCases,
    // Uploads last: they add returns. Only the lead provider and admins may submit.
    {
      route: 'POST /api/returns',
      url: '/api/returns',
      form: upload('plp-test', '2025-03'),
      expect: {
        anonymous: 401,
        'acme-user': 201,
        'north-user': 403,
        'partner-north': 403,
        'cm-north': 403,
        comm: 403,
        admin: 201,
      },
    },
    {
      route: 'POST /api/returns',
      url: '/api/returns',
      form: upload('vrs-south', '2025-03'),
      expect: {
        anonymous: 401,
        'acme-user': 403,
        'north-user': 201,
        'partner-north': 403,
        'cm-north': 403,
        comm: 403,
        admin: 201,
      },
    },
  ];
}

/**
 * Asks the app each case's URL as each caller, and lists every answer that differs from the
 * status written down; a 302 must go where the case says (default /sign-in), and an API error
 * must be JSON `{ error }`.
 */
export async function matrixFailures(f: WebFixture, cases: readonly Case[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const method = c.route.split(' ')[0]!;
    for (const who of everyone) {
      const app = c.app === 'queued' ? f.queuedApp : f.app;
      const headers =
        c.session === 'fresh' && who !== 'anonymous'
          ? { cookie: await f.freshCookie(who), origin: f.origin }
          : await f.as(who, c.url);
      const res = await app.request(c.url, { method, headers, body: c.form?.(who) });
      const where = `${c.app ? `(${c.app}) ` : ''}${method} ${c.url} as ${who}`;
      if (res.status !== c.expect[who])
        failures.push(
          `${where}: ${res.status}, expected ${c.expect[who]} (${(await res.text()).slice(0, 200)})`,
        );
      else if (
        res.status === 302 &&
        !(c.location ?? /^\/sign-in$/).test(res.headers.get('location') ?? '')
      )
        failures.push(`${where}: 302 to ${res.headers.get('location')}`);
      else if (c.url.startsWith('/api/') && res.status >= 400) {
        const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
        if (typeof body?.error !== 'string')
          failures.push(`${where}: ${res.status} without a JSON { error }`);
      }
    }
  }
  return failures;
}
