/**
 * The security headers on every page: each GET route of the route × role matrix, asked by each
 * kind of caller, and every answer that is a page (refusals and error pages included) carries
 * the strict CSP, no framing and the referrer policy. The browser tests (test/browser/) check
 * the pages still render under that CSP without a single violation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import type { Case } from './cases/common.js';
import { cognitoFixture, DOMAIN } from './cognito-fixture.js';
import { everyone, NOW, routesOf, SECRET, webFixture, type WebFixture } from './fixture.js';
import { matrixCases } from './matrix.js';

const CSP =
  "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Every header a page must carry, and its value. */
const pageHeaders = (csp: string): Record<string, string> => ({
  'content-security-policy': csp,
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
});

function missing(res: Response, csp = CSP): string[] {
  return Object.entries(pageHeaders(csp))
    .filter(([name, value]) => res.headers.get(name) !== value)
    .map(([name]) => `${name}: ${res.headers.get(name)}`);
}

let f: WebFixture;
let gets: Case[];
beforeAll(async () => {
  f = await webFixture();
  gets = (await matrixCases(f)).filter((c) => c.route.startsWith('GET '));
});

describe('security headers', () => {
  it('are on every page every caller is shown, refusals and errors included', async () => {
    const failures: string[] = [];
    const pages = new Set<string>();
    const routes = new Set<string>();
    for (const c of gets)
      for (const who of everyone) {
        const app = c.app === 'queued' ? f.queuedApp : f.app;
        const res = await app.request(c.url, { headers: await f.as(who, c.url) });
        // Every answer has them, JSON and files too; a page is what the browser renders.
        const wrong = missing(res);
        if (wrong.length) failures.push(`${c.url} as ${who} (${res.status}): ${wrong.join('; ')}`);
        if (/^text\/html/.test(res.headers.get('content-type') ?? '')) {
          pages.add(`${c.url} as ${who}`);
          routes.add(c.route);
        }
      }
    expect(failures).toEqual([]);
    // Every GET route that renders a page for someone was among them.
    const pageRoutes = routesOf(f.app).filter(
      (r) =>
        r.method === 'GET' &&
        !/^\/(api|assets)\/|\.(csv|xlsx|json)$|\/download\/|^\/health$/.test(r.path),
    );
    for (const r of pageRoutes) expect(routes, r.path).toContain(`GET ${r.path}`);
    expect(pages.size).toBeGreaterThan(100);
  });

  it('are on a 404, a 500 and a refused cross-site form too', async () => {
    const broken = createApp({
      store: {
        ...f.pipeline.store,
        description: 'a store that fails',
        get: () => Promise.reject(new Error('disk on fire')),
      },
      sessionSecret: SECRET,
      now: () => NOW,
    });
    const answers = [
      await f.app.request('/nothing-here'),
      await f.app.request('/api/nothing-here'),
      await f.app.request('/sign-in', {
        method: 'POST',
        headers: { origin: 'https://evil.example' },
        body: new URLSearchParams({ user: 'admin' }),
      }),
      await broken.request('/sign-in'),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 403, 500]);
    for (const res of answers) expect(missing(res)).toEqual([]);
  });

  it('in AWS, let the sign-out form go on to the Cognito hosted UI, and nowhere else', async () => {
    const cognito = await cognitoFixture();
    const res = await cognito.app.request('/', {
      headers: await cognito.as('admin', '/'),
    });
    expect(res.status).toBe(200);
    expect(missing(res, CSP.replace("form-action 'self'", `form-action 'self' ${DOMAIN}`))).toEqual(
      [],
    );
  });
});
