/**
 * Signing in with Cognito (the AWS deployment): the hosted UI's code flow with PKCE, the checks
 * on the ID token, the session and the CloudFront cookies it starts, sign-out, and Cognito
 * access tokens on the API.
 *
 * Cognito has no local equivalent, so cognito-fixture.ts stands in for it: the user pool's key
 * is an RSA key pair made in the test (its JWKS given to the app's verifier), tokens are real
 * RS256 JWTs with Cognito's claims, and the token endpoint is an injected `fetch`.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { codeChallenge, localPath } from '../../../functions/web/auth/oauth.js';
import { readSessionRecord } from '../../../functions/web/auth/session-records.js';
import { sessionLimits } from '../../../functions/web/auth/session.js';
import { issueToken } from '../../../functions/web/auth/tokens.js';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import {
  accessClaims,
  CLIENT,
  cognitoFixture,
  DOMAIN,
  idClaims,
  KEY_PAIR_ID,
  PUBLIC_URL,
  rsaKey,
  setCookies,
  signJwt,
  type CognitoFixture,
} from './cognito-fixture.js';
import { NOW, SAME_ORIGIN, SECRET } from './fixture.js';

let f: CognitoFixture;
beforeAll(async () => {
  f = await cognitoFixture();
  // aws-jwt-verify checks expiry against Date.now(); the app against deps.now() (NOW).
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
/** The same app and settings with another clock. */
const appAt = (when: Date) =>
  createApp({
    store: f.pipeline.store,
    sessionSecret: SECRET,
    now: () => when,
    cognito: f.settings,
  });

/** The flow cookie's signed JSON (state, verifier, next), read as the browser holds it. */
/** The session id in a session cookie's value: `<id>.<last seen>.<signature>`. */
const sessionIdOf = (value: string) => decodeURIComponent(value).split('.')[0]!;

function flowOf(res: Response): { state: string; verifier: string; next: string } {
  const raw = decodeURIComponent(setCookies(res).get('outturn_signin')!.value);
  return JSON.parse(raw.slice(0, raw.lastIndexOf('.'))) as {
    state: string;
    verifier: string;
    next: string;
  };
}

/** Asserts a callback was refused: the status, a page saying `message`, and no session or site cookies. */
async function expectRefused(res: Response, status: number, message: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const text = (await res.text())
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  expect(text).toMatch(message);
  const cookies = setCookies(res);
  expect(cookies.has('outturn_session')).toBe(false);
  expect(cookies.has('CloudFront-Signature')).toBe(false);
}

describe('GET /sign-in sends the browser to the hosted UI', () => {
  it('with the code flow, scope openid, a state and an S256 PKCE challenge of the verifier it keeps', async () => {
    const res = await f.app.request(`${PUBLIC_URL}/sign-in`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${DOMAIN}/oauth2/authorize`);
    const q = location.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(CLIENT);
    expect(q.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/callback`);
    expect(q.get('scope')).toBe('openid');
    expect(q.get('code_challenge_method')).toBe('S256');

    const flow = flowOf(res);
    expect(q.get('state')).toBe(flow.state);
    expect(flow.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(flow.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/); // RFC 7636: 43 to 128 characters
    expect(q.get('code_challenge')).toBe(
      createHash('sha256').update(flow.verifier).digest('base64url'),
    );

    const header = setCookies(res).get('outturn_signin')!.header;
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/auth/', 'Max-Age=600'])
      expect(header).toContain(attribute);
  });

  it('a new state and verifier for every sign-in', async () => {
    const [a, b] = [
      flowOf(await f.app.request('/sign-in')),
      flowOf(await f.app.request('/sign-in')),
    ];
    expect(a.state).not.toBe(b.state);
    expect(a.verifier).not.toBe(b.verifier);
  });

  it('computes the challenge as RFC 7636’s worked example does', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('picking a demo user is refused, and sets no session', async () => {
    const res = await f.app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'admin' }),
      headers: { origin: PUBLIC_URL },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('choosing a demo user is switched off');
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET /auth/callback', () => {
  it('exchanges the code with the verifier, signs the user in for the token’s lifetime, and audits it', async () => {
    const before = (await listAudit(f.pipeline.store)).length;
    const { callback } = await f.signIn(f.idToken('acme-user'), { next: '/contracts/plp-test' });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/contracts/plp-test');

    const [request] = f.endpoint.requests.slice(-1);
    expect(request!.url).toBe(`${DOMAIN}/oauth2/token`);
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT,
      code: expect.any(String),
      redirect_uri: `${PUBLIC_URL}/auth/callback`,
      code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const cookies = setCookies(callback);
    const session = cookies.get('outturn_session')!;
    // Max-Age is the idle timeout: the token's hour is held by the server's record.
    const idle = `Max-Age=${sessionLimits.idleSeconds}`;
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/', idle])
      expect(session.header).toContain(attribute);
    const record = await readSessionRecord(f.pipeline.store, sessionIdOf(session.value));
    expect(record).toMatchObject({
      user_id: 'acme-user',
      via: 'cognito',
      started_at: NOW.toISOString(),
      ends_at: new Date(NOW.getTime() + 3600_000).toISOString(),
      ended_at: null,
    });
    expect(cookies.get('outturn_signin')!.header).toMatch(/Max-Age=0/); // the flow is used up

    const page = await f.app.request('/contracts/plp-test', {
      headers: { cookie: `outturn_session=${session.value}` },
    });
    expect(page.status).toBe(200);
    const home = await f.app.request('/', {
      headers: { cookie: `outturn_session=${session.value}` },
    });
    expect(await home.text()).toContain('You are signed in as Ann Provider (Provider)');

    const audit = await listAudit(f.pipeline.store);
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)).toMatchObject({
      who: 'acme-user',
      action: 'sign_in',
      at: NOW.toISOString(),
    });
  });

  it('the session ends when the token does, even though the cookie were kept', async () => {
    const { callback } = await f.signIn(f.idToken('cm-north', { seconds: 600 }));
    const session = setCookies(callback).get('outturn_session')!;
    expect(session.header).toContain('Max-Age=600');
    const cookie = `outturn_session=${session.value}`;
    expect((await appAt(at(599)).request('/', { headers: { cookie } })).status).toBe(200);
    const after = await appAt(at(600)).request('/', { headers: { cookie } });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/sign-in');
    expect((await appAt(at(600)).request('/api/contracts', { headers: { cookie } })).status).toBe(
      401,
    );
    // The end is in the server's record, out of the browser's reach.
    const record = await readSessionRecord(f.pipeline.store, sessionIdOf(session.value));
    expect(record?.ends_at).toBe(at(600).toISOString());
  });

  it('a token that outlives a working day still gives a session of 12 hours at most', async () => {
    const { callback } = await f.signIn(f.idToken('cm-north', { seconds: 24 * 3600 }));
    const session = setCookies(callback).get('outturn_session')!;
    const record = await readSessionRecord(f.pipeline.store, sessionIdOf(session.value));
    expect(record?.ends_at).toBe(at(sessionLimits.absoluteSeconds).toISOString());
  });

  it('goes only to local paths after signing in: anything else goes home', async () => {
    expect(
      (
        await f.signIn(f.idToken('admin'), { next: '/admin/audit?month=2026-11' })
      ).callback.headers.get('location'),
    ).toBe('/admin/audit?month=2026-11');
    for (const next of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'evil.example',
      '/\t/evil.example',
      ' //evil.example',
    ])
      expect(
        (await f.signIn(f.idToken('admin'), { next })).callback.headers.get('location'),
        JSON.stringify(next),
      ).toBe('/');
    // Paths that normalise to `//host` would be another site too.
    for (const next of [
      '/a/../..//evil.example',
      '/.//evil.example',
      '/%2F%2Fevil.example',
      '/./\\/evil',
    ])
      expect(localPath(next), next).toMatch(/^\/(?![/\\])/);
    expect(
      (await f.signIn(f.idToken('admin'), { next: '/a/../..//evil.example' })).callback.headers.get(
        'location',
      ),
    ).toBe('/');
  });

  it('refuses a state that is not the one this browser started, with no session', async () => {
    const start = await f.app.request(`${PUBLIC_URL}/sign-in`);
    const url = new URL(f.endpoint.authorize(start.headers.get('location')!, f.idToken('admin')));
    url.searchParams.set('state', 'a-state-another-site-made');
    const res = await f.app.request(url.toString(), {
      headers: { cookie: `outturn_signin=${setCookies(start).get('outturn_signin')!.value}` },
    });
    await expectRefused(res, 400, /does not match the one this browser started/);
  });

  it('refuses a callback without the flow cookie, or with a forged one', async () => {
    const start = await f.app.request(`${PUBLIC_URL}/sign-in`);
    const callbackUrl = f.endpoint.authorize(start.headers.get('location')!, f.idToken('admin'));
    await expectRefused(await f.app.request(callbackUrl), 400, /not started from this browser/);
    const { state } = flowOf(start);
    const forged = encodeURIComponent(
      JSON.stringify({
        state,
        verifier: 'x'.repeat(43),
        next: '/',
        startedAt: Math.floor(NOW.getTime() / 1000),
      }) + '.AAAA',
    );
    await expectRefused(
      await f.app.request(callbackUrl, { headers: { cookie: `outturn_signin=${forged}` } }),
      400,
      /not started from this browser/,
    );
  });

  it('refuses a flow older than ten minutes', async () => {
    const start = await f.app.request(`${PUBLIC_URL}/sign-in`);
    const callbackUrl = f.endpoint.authorize(start.headers.get('location')!, f.idToken('admin'));
    const cookie = `outturn_signin=${setCookies(start).get('outturn_signin')!.value}`;
    await expectRefused(
      await appAt(at(601)).request(callbackUrl, { headers: { cookie } }),
      400,
      /longer than 10 minutes/,
    );
  });

  it('says so when the token endpoint refuses the code or cannot be reached', async () => {
    f.endpoint.failWith = Response.json({ error: 'invalid_grant' }, { status: 400 });
    try {
      await expectRefused(
        (await f.signIn(f.idToken('admin'))).callback,
        502,
        /expired or was already used/,
      );
      f.endpoint.failWith = Response.json({ error: 'unauthorized_client' }, { status: 400 });
      await expectRefused(
        (await f.signIn(f.idToken('admin'))).callback,
        502,
        /\(unauthorized_client\)/,
      );
      f.endpoint.failWith = new TypeError('fetch failed');
      await expectRefused(
        (await f.signIn(f.idToken('admin'))).callback,
        502,
        /could not reach the sign-in service/,
      );
    } finally {
      f.endpoint.failWith = null;
    }
  });

  it('a code can be exchanged once: replaying the callback is refused', async () => {
    const start = await f.app.request(`${PUBLIC_URL}/sign-in`);
    const callbackUrl = f.endpoint.authorize(start.headers.get('location')!, f.idToken('admin'));
    const headers = { cookie: `outturn_signin=${setCookies(start).get('outturn_signin')!.value}` };
    expect((await f.app.request(callbackUrl, { headers })).status).toBe(302);
    await expectRefused(
      await f.app.request(callbackUrl, { headers }),
      502,
      /expired or was already used/,
    );
  });

  it('shows what Cognito said when it did not sign the user in', async () => {
    const start = await f.app.request(`${PUBLIC_URL}/sign-in`);
    const url = `${PUBLIC_URL}/auth/callback?error=access_denied&error_description=User+is+disabled&state=${flowOf(start).state}`;
    const res = await f.app.request(url, {
      headers: { cookie: `outturn_signin=${setCookies(start).get('outturn_signin')!.value}` },
    });
    await expectRefused(res, 400, /access_denied: User is disabled/);
  });

  const groups = ['provider'];
  const badIdTokens: [string, () => string, number, RegExp][] = [
    [
      'forged signature (another key, the pool key’s kid)',
      () => signJwt({ ...rsaKey('pool-key-1') }, idClaims('acme-user', { groups })),
      401,
      /not signed by this Outturn’s Cognito user pool/,
    ],
    [
      'a key the pool does not have',
      () => signJwt(rsaKey('unknown-kid'), idClaims('acme-user', { groups })),
      401,
      /not signed by this Outturn’s Cognito user pool/,
    ],
    ['expired', () => f.idToken('acme-user', { iat: at(-7200), seconds: 3600 }), 401, /expired/],
    [
      'wrong audience',
      () => f.idToken('acme-user', { extra: { aud: 'another-app-client' } }),
      401,
      /issued to another app client/,
    ],
    [
      'wrong issuer',
      () =>
        f.idToken('acme-user', {
          extra: { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Another1' },
        }),
      401,
      /another Cognito user pool/,
    ],
    [
      'an access token where the ID token should be',
      () => f.accessToken('acme-user'),
      401,
      /access token where an ID token was expected/,
    ],
    [
      'a user Outturn does not know',
      () => signJwt(f.poolKey, idClaims('ghost', { groups })),
      403,
      /Outturn has no user with that id\. Ask an administrator to add you/,
    ],
    [
      'a role not among the groups',
      () => f.idToken('acme-user', { groups: ['commissioner'] }),
      403,
      /not in the "provider" group\. Ask an administrator to add you to the provider group/,
    ],
    [
      'no groups at all',
      () => f.idToken('admin', { extra: { 'cognito:groups': undefined } }),
      403,
      /Ask an administrator to add you to the admin group/,
    ],
  ];
  for (const [name, token, status, message] of badIdTokens)
    it(`refuses an ID token: ${name}`, async () => {
      const before = (await listAudit(f.pipeline.store)).length;
      await expectRefused((await f.signIn(token())).callback, status, message);
      expect(await listAudit(f.pipeline.store)).toHaveLength(before);
    });
});

describe('CloudFront signed cookies for /site/*', () => {
  /** CloudFront's URL-safe base64: + → -, = → _, / → ~. */
  const unCloudFront = (text: string) =>
    Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');

  it('are set at sign-in for /site/ only, expire with the session, and verify with the public key', async () => {
    const { callback } = await f.signIn(f.idToken('comm', { seconds: 1800 }));
    const cookies = setCookies(callback);
    for (const name of ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id']) {
      const header = cookies.get(name)?.header;
      expect(header, name).toBeDefined();
      for (const attribute of ['Path=/site/', 'Secure', 'HttpOnly', 'SameSite=Lax', 'Max-Age=1800'])
        expect(header, name).toContain(attribute);
    }
    expect(cookies.get('CloudFront-Key-Pair-Id')!.value).toBe(KEY_PAIR_ID);

    const policyBytes = unCloudFront(cookies.get('CloudFront-Policy')!.value);
    expect(JSON.parse(policyBytes.toString())).toEqual({
      Statement: [
        {
          Resource: `${PUBLIC_URL}/site/*`,
          Condition: { DateLessThan: { 'AWS:EpochTime': Math.floor(NOW.getTime() / 1000) + 1800 } },
        },
      ],
    });
    const signature = unCloudFront(cookies.get('CloudFront-Signature')!.value);
    expect(verify('RSA-SHA1', policyBytes, f.site.publicKey, signature)).toBe(true);
    const widened = Buffer.from(policyBytes.toString().replace('/site/*', '/*'));
    expect(verify('RSA-SHA1', widened, f.site.publicKey, signature)).toBe(false);
    const otherKey = createPublicKey(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    );
    expect(verify('RSA-SHA1', policyBytes, otherKey, signature)).toBe(false);
  });

  it('come with a link to the published dashboards on the home page; with no key to sign them, no link', async () => {
    const home = await f.app.request('/', { headers: { cookie: await f.cookie('acme-user') } });
    expect(await home.text()).toContain('href="/site/index.html"');
    const { siteCookies: _, ...settings } = f.settings;
    const withoutKey = createApp({
      store: f.pipeline.store,
      sessionSecret: SECRET,
      now: () => NOW,
      cognito: settings,
    });
    expect(
      await (
        await withoutKey.request('/', { headers: { cookie: await f.cookie('acme-user') } })
      ).text(),
    ).not.toContain('/site/index.html');
  });

  it('are not set when no CloudFront key is configured', async () => {
    const { siteCookies: _, ...settings } = f.settings;
    const app = createApp({
      store: f.pipeline.store,
      sessionSecret: SECRET,
      now: () => NOW,
      cognito: settings,
    });
    const start = await app.request(`${PUBLIC_URL}/sign-in`);
    const callbackUrl = f.endpoint.authorize(start.headers.get('location')!, f.idToken('comm'));
    const res = await app.request(callbackUrl, {
      headers: { cookie: `outturn_signin=${setCookies(start).get('outturn_signin')!.value}` },
    });
    expect(res.status).toBe(302);
    expect([...setCookies(res).keys()].sort()).toEqual(['outturn_session', 'outturn_signin']);
  });
});

describe('POST /sign-out', () => {
  it('clears the session and the site cookies, and ends the Cognito session at its logout URL', async () => {
    const cookie = await f.freshCookie('acme-user');
    expect((await f.app.request('/', { headers: { cookie } })).status).toBe(200);
    const res = await f.app.request('/sign-out', {
      method: 'POST',
      headers: { cookie, origin: PUBLIC_URL },
    });
    expect(res.status).toBe(303);
    // Ended on the server: the cookie the browser had is refused, wherever it is sent from.
    expect((await f.app.request('/', { headers: { cookie } })).status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${DOMAIN}/logout`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: CLIENT,
      logout_uri: `${PUBLIC_URL}/`,
    });
    const cookies = setCookies(res);
    expect(cookies.get('outturn_session')!.header).toMatch(/^outturn_session=; Max-Age=0; Path=\//);
    for (const name of ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id']) {
      expect(cookies.get(name)!.value, name).toBe('');
      expect(cookies.get(name)!.header, name).toMatch(/Max-Age=0; Path=\/site\//);
    }
  });
});

describe('sessions and bearer tokens in Cognito mode', () => {
  it('a session from the local demo sign-in (same secret) is not honoured', async () => {
    const local = createApp({ store: f.pipeline.store, sessionSecret: SECRET, now: () => NOW });
    const res = await local.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'admin' }),
      headers: SAME_ORIGIN,
    });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect((await local.request('/', { headers: { cookie } })).status).toBe(200);
    expect((await f.app.request('/', { headers: { cookie } })).status).toBe(302);
    expect((await f.app.request('/api/contracts', { headers: { cookie } })).status).toBe(401);
  });

  it('a Cognito access token is its user on /api/ routes', async () => {
    const res = await f.app.request('/api/contracts', {
      headers: { authorization: `Bearer ${f.accessToken('north-user')}` },
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { contracts: { id: string }[] }).contracts.map((c) => c.id),
    ).toEqual(['vrs-test', 'vrs-south']);
    const refused = await f.app.request('/api/contracts/plp-test/performance', {
      headers: { authorization: `Bearer ${f.accessToken('north-user')}` },
    });
    expect(refused.status).toBe(403);
  });

  it('pages ignore bearer tokens: they know the caller by the session cookie', async () => {
    expect(
      (await f.app.request('/', { headers: { authorization: `Bearer ${f.accessToken('admin')}` } }))
        .status,
    ).toBe(302);
  });

  it('refuses Outturn API tokens, ID tokens and bad access tokens with a JSON reason', async () => {
    // No route issues Outturn API tokens (only tests call issueToken), so there is nothing to
    // hide in Cognito mode; one made with the app's own secret is still refused.
    const hmac = await issueToken('admin', SECRET, { now: NOW });
    const cases: [string, number, RegExp][] = [
      [hmac, 401, /not a Cognito access token.*Outturn API tokens are not accepted/],
      [f.idToken('admin'), 401, /is a Cognito ID token: send the access token/],
      [f.accessToken('admin', { iat: at(-7200), seconds: 3600 }), 401, /expired/],
      [
        f.accessToken('admin', { extra: { client_id: 'another-app-client' } }),
        401,
        /issued to another app client/,
      ],
      [
        f.accessToken('admin', {
          extra: { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Another1' },
        }),
        401,
        /another Cognito user pool/,
      ],
      [
        signJwt(rsaKey('pool-key-1'), accessClaims('admin', { groups: ['admin'] })),
        401,
        /not signed by this Outturn’s Cognito user pool/,
      ],
      [
        signJwt(f.poolKey, accessClaims('ghost', { groups: ['admin'] })),
        401,
        /Outturn has no user with that id/,
      ],
      [
        f.accessToken('cm-north', { groups: ['admin'] }),
        403,
        /Ask an administrator to add you to the contract_manager group/,
      ],
    ];
    for (const [token, status, reason] of cases) {
      const res = await f.app.request('/api/contracts', {
        headers: { authorization: `Bearer ${token}`, cookie: await f.cookie('admin') },
      });
      expect(res.status, token.slice(0, 40)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(reason);
    }
  });
});

describe('settings', () => {
  it('refuses settings that cannot work when the app is made, not at the first sign-in', () => {
    const make = (change: object) => () =>
      createApp({
        store: f.pipeline.store,
        sessionSecret: SECRET,
        cognito: { ...f.settings, ...change },
      });
    expect(make({ userPoolId: 'not-a-pool' })).toThrow(/not a user pool id/);
    expect(make({ clientId: ' ' })).toThrow(/clientId is empty/);
    expect(make({ domain: 'https://outturn-test.auth.eu-west-2.amazoncognito.com/' })).toThrow(
      /cognito.domain must be an https origin/,
    );
    expect(make({ publicUrl: 'http://outturn.example' })).toThrow(
      /cognito.publicUrl must be an https origin/,
    );
  });
});
