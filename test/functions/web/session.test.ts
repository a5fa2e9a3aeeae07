import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { sessionLimits } from '../../../functions/web/auth/session.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { NOW, SAME_ORIGIN, SECRET, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

const signIn = (user: string, app = f.app) =>
  app.request('/sign-in', {
    method: 'POST',
    body: new URLSearchParams({ user }),
    headers: SAME_ORIGIN,
  });
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

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
    // A session id and when it was last used (signed); who it is for is in the session record.
    expect(set).toMatch(/^outturn_session=[A-Za-z0-9_-]{43}\.\d+\.[^;]+;/);
    expect(set).not.toContain('acme-user');
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Lax/);
    expect(set).toMatch(/; Path=\//);
    expect(set).toMatch(/; Max-Age=\d+/);
    // Served over plain http locally, so not Secure (a browser would drop it); over https it is.
    expect(set).not.toMatch(/Secure/);
    const overHttps = await f.app.request('https://outturn.example/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'acme-user' }),
      headers: { origin: 'https://outturn.example' },
    });
    expect(overHttps.headers.get('set-cookie')).toMatch(/; Secure/);

    const home = await f.app.request('/', { headers: { cookie: set.split(';')[0]! } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('You are signed in as Ann Provider (Provider)');
  });

  it('refuses an unknown user or none, with an error summary, and sets no cookie', async () => {
    for (const body of [new URLSearchParams({ user: 'nobody' }), new URLSearchParams()]) {
      const res = await f.app.request('/sign-in', { method: 'POST', body, headers: SAME_ORIGIN });
      expect(res.status).toBe(400);
      expect(res.headers.get('set-cookie')).toBeNull();
      const page = await res.text();
      expect(page).toContain('There is a problem');
      expect(page).toContain('Select who you are signing in as');
    }
  });

  it('a cookie whose session id, time or signature was changed is not a session', async () => {
    const cookie = await f.cookie('acme-user');
    const admin = await f.cookie('admin');
    const [name, value] = cookie.split('=') as [string, string];
    const [id, seen, signature] = decodeURIComponent(value).split('.') as [string, string, string];
    const adminSignature = decodeURIComponent(admin.split('=')[1]!).split('.')[2]!;
    const encode = (v: string) => `${name}=${encodeURIComponent(v)}`;
    const otherSignature = `${name}=${value.slice(0, -6)}AAAAAA`;
    const laterSeen = encode(`${id}.${Number(seen) + 3600}.${signature}`);
    const anothersSignature = encode(`${id}.${seen}.${adminSignature}`);
    const unsigned = encode(`${id}.${seen}`);
    // The shape of the cookies before sessions had records: a bare user id, signed or not.
    const oldStyle = 'outturn_session=admin';
    for (const bad of [otherSignature, laterSeen, anothersSignature, unsigned, oldStyle]) {
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
      headers: { cookie: await f.freshCookie('acme-user'), ...SAME_ORIGIN },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in');
    expect(res.headers.get('set-cookie')).toMatch(/^outturn_session=; Max-Age=0/);
  });
});

describe('sessions end on the server', () => {
  /** An app over the fixture's store whose clock the test moves (never the wall clock). */
  function clockedApp() {
    const clock = { now: NOW };
    const app = createApp({ store: f.pipeline.store, sessionSecret: SECRET, now: () => clock.now });
    const later = (seconds: number) => {
      clock.now = new Date(clock.now.getTime() + seconds * 1000);
    };
    return { app, later };
  }
  const home = (app: ReturnType<typeof createApp>, cookie: string) =>
    app.request('/', { headers: { cookie } });
  const api = (app: ReturnType<typeof createApp>, cookie: string) =>
    app.request('/api/contracts', { headers: { cookie } });

  it('after signing out, the old cookie is refused by the pages and the API, on any server over the store', async () => {
    const cookie = await f.freshCookie('cm-north');
    expect((await home(f.app, cookie)).status).toBe(200);
    // A second app over the same store stands for another server (another Lambda instance).
    const other = clockedApp().app;
    expect((await home(other, cookie)).status).toBe(200);
    const out = await f.app.request('/sign-out', {
      method: 'POST',
      headers: { cookie, ...SAME_ORIGIN },
    });
    expect(out.status).toBe(303);
    for (const app of [f.app, other]) {
      const page = await home(app, cookie);
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/sign-in');
      expect((await api(app, cookie)).status).toBe(401);
    }
  });

  it('signing out ends only that session: the same user’s other sessions carry on', async () => {
    const [one, two] = [await f.freshCookie('comm'), await f.freshCookie('comm')];
    await f.app.request('/sign-out', { method: 'POST', headers: { cookie: one, ...SAME_ORIGIN } });
    expect((await home(f.app, one)).status).toBe(302);
    expect((await home(f.app, two)).status).toBe(200);
  });

  it('a session left idle for the idle timeout is refused; one in use is renewed', async () => {
    const { app, later } = clockedApp();
    let cookie = cookieOf(await signIn('acme-user', app));
    later(sessionLimits.idleSeconds - 60);
    const used = await home(app, cookie);
    expect(used.status).toBe(200);
    // Used after more than refreshSeconds: the cookie's last-seen time is renewed.
    const renewed = used.headers.get('set-cookie');
    expect(renewed).toMatch(/^outturn_session=/);
    expect(renewed).toMatch(new RegExp(`Max-Age=${sessionLimits.idleSeconds}`));
    const old = cookie;
    cookie = renewed!.split(';')[0]!;
    later(120);
    // The renewed cookie carries on; the one it replaced has been idle too long.
    expect((await home(app, cookie)).status).toBe(200);
    expect((await home(app, old)).status).toBe(302);
    later(sessionLimits.idleSeconds);
    expect((await home(app, cookie)).status).toBe(302);
    expect((await api(app, cookie)).status).toBe(401);
  });

  it('a session in constant use still ends at the absolute timeout', async () => {
    const { app, later } = clockedApp();
    let cookie = cookieOf(await signIn('admin', app));
    const step = sessionLimits.idleSeconds - 60;
    let elapsed = 0;
    let maxAge = '';
    while (elapsed + step < sessionLimits.absoluteSeconds) {
      later(step);
      elapsed += step;
      const res = await home(app, cookie);
      expect(res.status, `after ${elapsed} s`).toBe(200);
      const set = res.headers.get('set-cookie')!;
      cookie = set.split(';')[0]!;
      maxAge = /Max-Age=(\d+)/.exec(set)![1]!;
    }
    // The last renewal asks the browser to keep the cookie only as long as the session has left.
    const left = sessionLimits.absoluteSeconds - elapsed;
    expect(Number(maxAge)).toBe(Math.min(sessionLimits.idleSeconds, left));
    later(left);
    expect((await home(app, cookie)).status).toBe(302);
  });

  it('anonymous requests and /health read nothing from the store', async () => {
    const reads: string[] = [];
    const store = f.pipeline.store;
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          reads.push(`${String(key)} ${String(args[0])}`);
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const app = createApp({ store: counting, sessionSecret: SECRET, now: () => NOW });
    await app.request('/health');
    await app.request('/');
    await app.request('/api/contracts');
    // A cookie that is not genuine is refused before the store is asked.
    await app.request('/', { headers: { cookie: 'outturn_session=forged.1795694400.AAAA' } });
    expect(reads).toEqual([]);
    // A genuine one costs one read of its record (the reference data is cached apart).
    const cookie = await f.freshCookie('admin');
    await app.request('/api/contracts', { headers: { cookie } });
    expect(reads.filter((r) => r.startsWith('get sessions/'))).toHaveLength(1);
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
    // Tampered: the payload says admin, the signature is still acme-user's.
    const [head, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { sub: string };
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    const tampered = [head, forged, signature].join('.');
    const cases: [string, RegExp][] = [
      [`Bearer ${tampered}`, /not valid/],
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
