/**
 * CSRF: every state-changing route refuses a request from another site that rides on the
 * browser's cookie, for every kind of caller, and changes nothing; the app's own pages are let
 * through. The routes come from the app (every route that is not a GET), their bodies from the
 * route × role matrix, so a new form is covered as soon as it has matrix cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Case } from './cases/common.js';
import { cognitoFixture, PUBLIC_URL, type CognitoFixture } from './cognito-fixture.js';
import { everyone, routesOf, webFixture, type WebFixture, type Who } from './fixture.js';
import { matrixCases } from './matrix.js';

const REFUSED_PAGE = 'it was not sent from an Outturn page';
const REFUSED_API = 'must come from Outturn’s own pages';

/** A browser on another site: its Origin, or only its Sec-Fetch-Site. */
const crossSite: Record<string, Record<string, string>> = {
  'another site': { origin: 'https://evil.example' },
  'an opaque origin': { origin: 'null' },
  'another port': { origin: 'http://localhost:8080' },
  'another scheme': { origin: 'https://localhost' },
  'a subdomain': { origin: 'http://evil.localhost' },
  'Sec-Fetch-Site: cross-site, no Origin': { 'sec-fetch-site': 'cross-site' },
  'Sec-Fetch-Site: same-site, no Origin': { 'sec-fetch-site': 'same-site' },
};

/** One case with a body for each state-changing route. */
function bodyCases(f: WebFixture, cases: readonly Case[]): Case[] {
  const stateChanging = routesOf(f.app).filter((r) => r.method !== 'GET');
  return stateChanging.map((r) => {
    const found = cases.find((c) => c.route === `${r.method} ${r.path}` && c.form);
    if (!found) throw new Error(`no matrix case with a body for ${r.method} ${r.path}`);
    return found;
  });
}

/** The caller's cookie (for /api/ routes too: the cookie is what a forged request rides on). */
async function cookieOf(f: WebFixture, who: Who): Promise<Record<string, string>> {
  return who === 'anonymous' ? {} : { cookie: await f.cookie(who) };
}

describe('CSRF, locally', () => {
  let f: WebFixture;
  let cases: Case[];
  beforeAll(async () => {
    f = await webFixture();
    cases = bodyCases(f, await matrixCases(f));
  });

  it('covers every route that is not a GET', () => {
    expect(cases.map((c) => c.route).sort()).toEqual(
      routesOf(f.app)
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  it('refuses a cross-site request on every state-changing route, for every caller, and writes nothing', async () => {
    for (const who of everyone) await cookieOf(f, who); // sessions first: signing in writes
    const before = (await f.pipeline.store.list('')).sort();
    const wrong: string[] = [];
    let refused = 0;
    for (const c of cases)
      for (const who of everyone) {
        // An anonymous /api/ request carries no cookie to ride on: the guard answers it (401).
        if (who === 'anonymous' && c.url.startsWith('/api/')) continue;
        for (const [how, headers] of Object.entries(crossSite)) {
          const res = await f.app.request(c.url, {
            method: 'POST',
            headers: { ...(await cookieOf(f, who)), ...headers },
            body: c.form!(who),
          });
          const text = await res.text();
          const message = c.url.startsWith('/api/') ? REFUSED_API : REFUSED_PAGE;
          if (res.status !== 403 || !text.includes(message))
            wrong.push(`${c.route} as ${who}, ${how}: ${res.status} ${text.slice(0, 120)}`);
          else refused++;
        }
      }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(cases.length * Object.keys(crossSite).length * 4);
    expect((await f.pipeline.store.list('')).sort()).toEqual(before);
  });

  it('refuses a page’s form with no Origin and no Sec-Fetch-Site (a browser always sends one)', async () => {
    for (const c of cases.filter((x) => !x.url.startsWith('/api/'))) {
      const res = await f.app.request(c.url, {
        method: 'POST',
        headers: await cookieOf(f, 'admin'),
        body: c.form!('admin'),
      });
      expect(res.status, c.route).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('lets the app’s own pages through: same Origin, or Sec-Fetch-Site: same-origin', async () => {
    for (const c of cases)
      for (const headers of [{ origin: f.origin }, { 'sec-fetch-site': 'same-origin' }] as Record<
        string,
        string
      >[]) {
        const res = await f.app.request(c.url, {
          method: 'POST',
          headers: { ...(await f.as('admin', c.url)), ...headers },
          body: c.form!('admin'),
        });
        const text = await res.text();
        expect(text, `${c.route} ${JSON.stringify(headers)}`).not.toContain(REFUSED_PAGE);
        expect(text, `${c.route} ${JSON.stringify(headers)}`).not.toContain(REFUSED_API);
      }
  });

  it('judges a bearer-token request by its token alone: a script sends no Origin and needs none', async () => {
    const api = cases.filter((c) => c.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThanOrEqual(3);
    for (const c of api) {
      const res = await f.app.request(c.url, {
        method: 'POST',
        headers: { ...(await f.as('admin', c.url)), origin: 'https://evil.example' },
        body: c.form!('admin'),
      });
      expect(await res.text(), c.route).not.toContain(REFUSED_API);
    }
  });

  it('answers the API as JSON and a page as a page', async () => {
    const page = await f.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: new URLSearchParams({ user: 'admin' }),
    });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('set-cookie')).toBeNull();
    const api = await f.app.request('/api/analytics/query', {
      method: 'POST',
      headers: { cookie: await f.cookie('admin'), origin: 'https://evil.example' },
      body: 'sql=select+1', // a form a cross-site page could send
    });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: string }).error).toContain(REFUSED_API);
  });
});

describe('CSRF, in AWS (Cognito)', () => {
  let f: CognitoFixture;
  beforeAll(async () => {
    f = await cognitoFixture();
  });

  it('takes the public URL as the app’s origin, not the host the request reached', async () => {
    const cookie = await f.cookie('acme-user');
    const signOut = (origin: string) =>
      f.app.request('/sign-out', { method: 'POST', headers: { cookie, origin } });
    // The request reaches the function under API Gateway's (here, the test's) host name.
    expect((await signOut('http://localhost')).status).toBe(403);
    expect((await f.app.request('/', { headers: { cookie } })).status).toBe(200);
    expect((await signOut(PUBLIC_URL)).status).toBe(303);
  });
});
