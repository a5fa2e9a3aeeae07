/**
 * Every route for every kind of caller: the status each gets, written out by hand. The list of
 * cases is checked against the app's registered routes, so a new route without cases fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isGuarded } from '../../../functions/web/auth/guard.js';
import type { Case } from './cases/common.js';
import { routesOf, webFixture, type WebFixture, type Who } from './fixture.js';
import { matrixCases, matrixFailures } from './matrix.js';

let f: WebFixture;
let cases: Case[];

beforeAll(async () => {
  f = await webFixture();
  cases = await matrixCases(f);
});

describe('the route × role matrix', () => {
  it('has cases for every registered route, and every route goes through the guard', () => {
    const registered = new Set(routesOf(f.app).map((r) => `${r.method} ${r.path}`));
    expect(new Set(cases.map((c) => c.route))).toEqual(registered);
    for (const r of routesOf(f.app))
      expect(isGuarded(r.handler), `${r.method} ${r.path}`).toBe(true);
  });

  it('gives each caller the status written down for each route', async () => {
    expect(await matrixFailures(f, cases)).toEqual([]);
  });
});

describe('what each caller is given', () => {
  it('GET /api/contracts lists exactly the contracts each caller may see', async () => {
    const expected: Record<string, string[]> = {
      'acme-user': ['plp-test', 'agg-test'],
      'north-user': ['vrs-test', 'vrs-south'],
      'cm-north': ['plp-test', 'vrs-test', 'agg-test'],
      comm: ['plp-test', 'vrs-test', 'vrs-south'],
      admin: ['plp-test', 'vrs-test', 'agg-test', 'vrs-south'],
    };
    for (const [who, ids] of Object.entries(expected)) {
      const res = await f.app.request('/api/contracts', {
        headers: await f.as(who as Who, '/api/'),
      });
      const body = (await res.json()) as { contracts: { id: string }[] };
      expect(
        body.contracts.map((c) => c.id),
        who,
      ).toEqual(ids);
    }
  });

  it('the home page links only to the contracts the caller may see', async () => {
    const res = await f.app.request('/', { headers: await f.as('acme-user', '/') });
    const page = await res.text();
    expect(page).toContain('Ann Provider');
    expect(page).toContain('href="/contracts/plp-test"');
    expect(page).toContain('href="/contracts/agg-test"');
    expect(page).not.toContain('href="/contracts/vrs-test"');
    expect(page).not.toContain('href="/contracts/vrs-south"');
  });

  it('a refused page is a page, not JSON, and says why', async () => {
    const res = await f.app.request('/contracts/vrs-test', {
      headers: await f.as('acme-user', '/'),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('You can only see your own organisation’s contracts');
  });

  it('GET /api/returns with no contract lists receipts of the caller’s contracts only', async () => {
    const res = await f.app.request('/api/returns', { headers: await f.as('acme-user', '/api/') });
    const { receipts } = (await res.json()) as { receipts: { contract_id: string }[] };
    expect(receipts.length).toBeGreaterThan(0);
    expect(new Set(receipts.map((r) => r.contract_id))).toEqual(new Set(['plp-test']));
  });

  it('commissioners read the suppressed performance mart; everyone else the full one', async () => {
    const mart = async (who: Who) =>
      (
        (await (
          await f.app.request('/api/contracts/plp-test/performance', {
            headers: await f.as(who, '/api/'),
          })
        ).json()) as { mart: string }
      ).mart;
    expect(await mart('comm')).toBe('suppressed_performance');
    expect(await mart('cm-north')).toBe('performance');
    expect(await mart('acme-user')).toBe('performance');
  });
});

describe('anonymous requests', () => {
  const params: Record<string, string> = {
    id: 'plp-test',
    contract: 'plp-test',
    period: '2025-01',
  };
  const urls = () =>
    f.app.routes
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => ({
        method: r.method,
        url: r.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? 'x'),
      }));

  it('every /api/ route answers 401 with a JSON error', async () => {
    expect(urls().length).toBeGreaterThanOrEqual(6);
    for (const { method, url } of urls()) {
      const res = await f.app.request(url, { method });
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json(), `${method} ${url}`).toEqual({ error: expect.any(String) });
    }
  });

  it('every /api/ route answers 401 to a bad token, even with a good session cookie beside it', async () => {
    const cookie = await f.cookie('admin');
    for (const { method, url } of urls()) {
      const res = await f.app.request(url, {
        method,
        headers: { authorization: 'Bearer not-a-token', cookie },
      });
      expect(res.status, `${method} ${url}`).toBe(401);
    }
  });

  it('an unknown /api/ path is a JSON 404; an unknown page is an HTML 404', async () => {
    const api = await f.app.request('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: expect.any(String) });
    const page = await f.app.request('/nothing-here');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
