import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { NOW, SECRET, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

const signIn = (user: string) =>
  f.app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ user }) });

describe('signing in', () => {
  it('the sign-in page offers every demo user as a radio button', async () => {
    const page = await (await f.app.request('/sign-in')).text();
    for (const u of f.pipeline.reference.users) expect(page).toContain(`value="${u.id}"`);
    expect(page.match(/type="radio"/g)).toHaveLength(f.pipeline.reference.users.length);
  });

  it('sets a signed, http-only, SameSite=Lax session cookie and sends the user home', async () => {
    const res = await signIn('acme-user');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/^outturn_session=acme-user\.[^;]+;/);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Lax/);
    expect(set).toMatch(/; Path=\//);
    expect(set).toMatch(/; Max-Age=\d+/);
    // Served over plain http locally, so not Secure (a browser would drop it); over https it is.
    expect(set).not.toMatch(/Secure/);
    const overHttps = await f.app.request('https://outturn.example/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'acme-user' }),
    });
    expect(overHttps.headers.get('set-cookie')).toMatch(/; Secure/);

    const home = await f.app.request('/', { headers: { cookie: set.split(';')[0]! } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('You are signed in as Ann Provider (Provider)');
  });

  it('refuses an unknown user or none, with an error summary, and sets no cookie', async () => {
    for (const body of [new URLSearchParams({ user: 'nobody' }), new URLSearchParams()]) {
      const res = await f.app.request('/sign-in', { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(res.headers.get('set-cookie')).toBeNull();
      const page = await res.text();
      expect(page).toContain('There is a problem');
      expect(page).toContain('Select who you are signing in as');
    }
  });

  it('a cookie whose user id or signature was changed is not a session', async () => {
    const cookie = await f.cookie('acme-user');
    const otherUser = cookie.replace('=acme-user.', '=admin.');
    const [name, value] = cookie.split('=') as [string, string];
    const otherSignature = `${name}=${value.slice(0, -6)}AAAAAA`;
    const unsigned = 'outturn_session=admin';
    for (const bad of [otherUser, otherSignature, unsigned]) {
      const page = await f.app.request('/', { headers: { cookie: bad } });
      expect(page.status, bad).toBe(302);
      expect(page.headers.get('location')).toBe('/sign-in');
      const api = await f.app.request('/api/contracts', { headers: { cookie: bad } });
      expect(api.status, bad).toBe(401);
    }
  });

  it('the session cookie also works for the API, as the pages’ own calls need', async () => {
    const res = await f.app.request('/api/contracts', {
      headers: { cookie: await f.cookie('cm-north') },
    });
    expect(res.status).toBe(200);
  });

  it('signing out clears the cookie', async () => {
    const res = await f.app.request('/sign-out', {
      method: 'POST',
      headers: { cookie: await f.cookie('acme-user') },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in');
    expect(res.headers.get('set-cookie')).toMatch(/^outturn_session=; Max-Age=0/);
  });
});

describe('bearer tokens on the API', () => {
  it('a valid token is its user', async () => {
    const res = await f.app.request('/api/contracts', {
      headers: { authorization: `Bearer ${await f.token('north-user')}` },
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { contracts: { id: string }[] }).contracts.map((c) => c.id),
    ).toEqual(['vrs-test', 'vrs-south']);
  });

  it('a tampered, expired, foreign or badly sent token is 401 with a JSON reason', async () => {
    const good = await f.token('acme-user');
    const expired = await f.token('acme-user', {
      now: new Date(NOW.getTime() - 2 * 3600_000),
      seconds: 3600,
    });
    const ghost = await f.token('ghost');
    const cases: [string, RegExp][] = [
      [`Bearer ${good.replace('acme-user', 'admin')}`, /not valid/],
      [`Bearer ${expired}`, /expired/],
      [`Bearer ${ghost}`, /no longer an Outturn user/],
      [`Bearer nonsense`, /not an Outturn API token/],
      [`Basic ${btoa('acme-user:password')}`, /Authorization: Bearer/],
    ];
    for (const [authorization, reason] of cases) {
      const res = await f.app.request('/api/contracts', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(reason);
    }
  });

  it('pages ignore bearer tokens: they know the caller by the session cookie', async () => {
    const res = await f.app.request('/', {
      headers: { authorization: `Bearer ${await f.token('admin')}` },
    });
    expect(res.status).toBe(302);
  });
});

describe('the static routes', () => {
  it('/health is static JSON', async () => {
    const res = await f.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('the templates are downloads of the right kind, and an unknown kind is a 400', async () => {
    const csv = await f.app.request('/templates/return.csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="outturn-participant-return.csv"',
    );
    expect((await csv.text()).split(/\r?\n/)[0]).toMatch(/^participant_id,referral_date,/);
    const xlsx = await f.app.request('/templates/return.xlsx');
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // a zip, as every XLSX is
    expect((await f.app.request('/templates/return.csv?kind=monthly')).status).toBe(400);
  });

  it('the JSON Schema is served to signed-in callers', async () => {
    const res = await f.app.request('/api/schema/return.json', {
      headers: { authorization: `Bearer ${await f.token('acme-user')}` },
    });
    expect(((await res.json()) as { title: string }).title).toBe('Outturn monthly return');
  });
});

describe('an empty store', () => {
  it('still answers /health and 401s the anonymous API; the sign-in page says the reference data is missing (503)', async () => {
    const app = createApp({
      store: new LocalStore(await mkdtemp(join(tmpdir(), 'outturn-web-'))),
      sessionSecret: SECRET,
    });
    expect((await app.request('/health')).status).toBe(200);
    expect((await app.request('/api/contracts')).status).toBe(401);
    const page = await app.request('/sign-in');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('no reference data');
  });

  it('refuses a session secret too short to sign with', () => {
    expect(() => createApp({ store: new LocalStore(tmpdir()), sessionSecret: 'short' })).toThrow(
      /at least 32/,
    );
  });
});
