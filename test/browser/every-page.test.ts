/**
 * axe-core on every page of the app, as the admin (who may see them all) in Chromium, so a
 * new page cannot ship with a serious accessibility failure unnoticed. The list of pages is
 * checked against the app's registered GET routes that render HTML.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../functions/web/security-headers.js';
import { listReceipts } from '../../pipelines/ingest/ingest.js';
import { writeIntent } from '../../pipelines/ingest/queued-upload.js';
import { addAction } from '../../pipelines/review/plans.js';
import { webFixture, type WebFixture } from '../functions/web/fixture.js';
import {
  cspViolations,
  openBrowser,
  seriousViolations,
  serveApp,
  type BrowserSession,
} from './harness.js';

let f: WebFixture;
let server: Awaited<ReturnType<typeof serveApp>>;
let session: BrowserSession;
let pages: Record<string, string>;

/** GET routes that are not pages: files, JSON and assets, and the Cognito callback (a redirect, and 404 locally). */
const notPages = (path: string) =>
  path.startsWith('/api/') ||
  path.startsWith('/assets/') ||
  /\.(csv|xlsx|json)$/.test(path) ||
  path.includes('/download/') ||
  path === '/health' ||
  path === '/auth/callback';

beforeAll(async () => {
  f = await webFixture();
  server = await serveApp(f.app.fetch);
  session = await openBrowser();
  const [receipt] = await listReceipts(f.pipeline.store, { contractId: 'plp-test' });
  // An upload being checked (AWS's queued uploads), as the app leaves it.
  const upload = '20261126T110000000Z-00000000000a';
  await writeIntent(f.pipeline.store, {
    upload_id: upload,
    contract_id: 'plp-test',
    period: '2025-01',
    file_name: 'january.csv',
    submitted_by: 'admin',
    requested_at: '2026-11-26T11:00:00.000Z',
    from: 'test',
  });
  const action = await addAction(
    f.pipeline.store,
    {
      contractId: 'plp-test',
      text: 'Contact every referral within 2 working days',
      owner: 'Acme delivery lead',
      due: '2025-03-31',
      by: 'cm-north',
    },
    new Date('2026-11-26T11:00:00.000Z'),
  );
  // One URL for each page route; routes added later need a line here (the first test says so).
  pages = {
    '/sign-in': '/sign-in',
    '/': '/',
    '/portfolio': '/portfolio',
    '/queue': '/queue',
    '/contracts/:id': '/contracts/plp-test',
    '/contracts/:id/returns': '/contracts/plp-test/returns',
    '/contracts/:id/returns/new': '/contracts/plp-test/returns/new',
    '/contracts/:id/returns/:receipt': `/contracts/plp-test/returns/${receipt!.id}`,
    '/contracts/:id/quality': '/contracts/plp-test/quality',
    '/contracts/:id/claims': '/contracts/plp-test/claims',
    // The fixture claims no job entries, so this is the page saying there is no sample; the
    // sample itself is checked with axe in claims-journey.test.ts.
    '/contracts/:id/claims/:period/:kind': '/contracts/plp-test/claims/2025-01/job_entry',
    '/programmes/:programme/claims-verification': '/programmes/plp/claims-verification',
    '/contracts/:id/measures': '/contracts/plp-test/measures',
    '/portfolio/measures': '/portfolio/measures',
    '/programmes/:programme/measures': '/programmes/plp/measures',
    '/programmes/:programme/fair-comparison': '/programmes/plp/fair-comparison',
    '/programmes/:programme/ranking': '/programmes/plp/ranking',
    '/programmes/:programme/validation-problems': '/programmes/plp/validation-problems',
    '/programmes/:programme/data-quality': '/programmes/plp/data-quality',
    '/portfolio/fair-comparison': '/portfolio/fair-comparison',
    '/contracts/:id/review': '/contracts/plp-test/review',
    '/contracts/:id/plan': '/contracts/plp-test/plan',
    '/contracts/:id/plan/actions/:action': `/contracts/plp-test/plan/actions/${action.id}`,
    '/programmes/:programme': '/programmes/plp',
    '/admin/audit': '/admin/audit',
    '/reference': '/reference',
    '/reference/upload': '/reference/upload',
    '/api/docs': '/api/docs',
    '/analytics': '/analytics',
    '/notifications': '/notifications',
    // The admin meets its refusal; the partner's own view is checked below (ADR 042).
    '/partner': '/partner',
    // With its refresh turned off: the refreshing page's <meta http-equiv="refresh"> is a time
    // limit that axe reports (meta-refresh, WCAG 2.2.1) whatever else the page offers; the page
    // offers to turn it off, which 2.2.1 allows, and this is that page (docs/decisions/017).
    '/contracts/:id/uploads/:upload': `/contracts/plp-test/uploads/${upload}?refresh=off`,
  };
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('every page, in Chromium, as the admin', () => {
  it('has a URL in this test for every page route', () => {
    const routes = new Set(
      f.app.routes.filter((r) => r.method === 'GET' && !notPages(r.path)).map((r) => r.path),
    );
    const listed = Object.keys(pages).filter((p) => routes.has(p) || p === '/api/docs');
    expect([...routes].filter((r) => !(r in pages))).toEqual([]);
    expect(listed.length).toBeGreaterThan(8);
  });

  it('has no serious or critical axe violations on any page, and requests nothing from outside', async () => {
    await session.context.clearCookies();
    const page = await session.context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Ada Admin', { exact: false }).check();
    await Promise.all([
      page.waitForURL(`${server.url}/`),
      page.getByRole('button', { name: /sign in/i }).click(),
    ]);
    const routes = new Set(f.app.routes.map((r) => r.path));
    const failures: Record<string, unknown> = {};
    for (const [route, url] of Object.entries(pages)) {
      if (!routes.has(route)) continue; // a page not built yet
      const res = await page.goto(`${server.url}${url}`);
      if (!res || res.status() >= 500) failures[url] = `status ${res?.status()}`;
      const violations = await seriousViolations(page);
      if (violations.length) failures[url] = violations;
    }
    await page.close();
    expect(failures).toEqual({});
    expect(session.blocked).toEqual([]);
    // Every page rendered under the strict CSP (functions/web/security-headers.ts) with nothing refused.
    expect(session.policyViolations).toEqual([]);
  });
});

describe('the delivery partner’s page, as the partner (ADR 042)', () => {
  it('has no serious or critical axe violations and requests nothing from outside', async () => {
    await session.context.clearCookies();
    const page = await session.context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Pip Partner', { exact: false }).check();
    await Promise.all([
      page.waitForURL(`${server.url}/`),
      page.getByRole('button', { name: /sign in/i }).click(),
    ]);
    const res = await page.goto(`${server.url}/partner`);
    expect(res?.status()).toBe(200);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
    expect(session.blocked).toEqual([]);
    expect(session.policyViolations).toEqual([]);
  });
});

describe('the CSP check itself', () => {
  it('notices what the policy refuses: an inline style, a style attribute, a script', async () => {
    // A page that breaks the policy, under the app's own headers.
    const bad = new Hono();
    bad.use(securityHeaders(undefined));
    bad.get('/', (c) =>
      c.html(
        '<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style></head><body><p style="color:red">x</p><script>document.title="ran"</script></body></html>',
      ),
    );
    const served = await serveApp(bad.fetch);
    const own = await openBrowser();
    try {
      const page = await own.context.newPage();
      await page.goto(served.url);
      // Chromium reports each refusal as an event after load: wait for all three, never a fixed time.
      const directives = ['style-src-elem', 'style-src-attr', 'script-src-elem'];
      await expect
        .poll(async () => {
          const seen = await cspViolations(page);
          return directives.filter((d) => !seen.some((v) => v.startsWith(d)));
        })
        .toEqual([]);
      expect(await page.title()).toBe('x'); // the script did not run
      expect(own.policyViolations.length).toBeGreaterThan(0);
      await expect(seriousViolations(page)).rejects.toThrow(/Content-Security-Policy violations/);
    } finally {
      await own.close();
      await served.close();
    }
  });
});
