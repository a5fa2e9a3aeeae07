/**
 * A stand-in for Cognito, for the tests of the app's Cognito mode. Cognito has no local
 * equivalent, so the tests play its part with real cryptography:
 *
 * - the user pool's signing key is an RSA key pair made here with node:crypto; its public half
 *   is given to the app as the JWKS (`CognitoSettings.jwks`), so aws-jwt-verify verifies real
 *   RS256 signatures without any network;
 * - ID and access tokens are real JWTs with the claims Cognito puts in them;
 * - the hosted UI's token endpoint is replaced by an injected `fetch` (`TokenEndpoint`) that
 *   checks what Cognito checks for a public client with PKCE (client id, redirect URI, grant
 *   type, and that SHA-256 of the code verifier is the challenge given to /oauth2/authorize),
 *   and answers with the ID token the test chose for that code;
 * - the CloudFront key for the signed site cookies is another RSA key pair.
 *
 * The clock: aws-jwt-verify judges expiry by `Date.now()` and the app by `deps.now()`, so the
 * test files freeze `Date` at the fixture's NOW (`vi.setSystemTime`) while they run.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createApp } from '../../../functions/web/app.js';
import type { CognitoSettings } from '../../../functions/web/auth/cognito.js';
import type { User } from '../../../pipelines/reference/schema.js';
import { NOW, SECRET, webFixture, type WebFixture } from './fixture.js';

export const REGION = 'eu-west-2';
export const POOL = `${REGION}_OutturnT1`;
export const CLIENT = 'outturntestclient0123456789';
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
export const DOMAIN = `https://outturn-test.auth.${REGION}.amazoncognito.com`;
export const PUBLIC_URL = 'https://outturn.example';
export const KEY_PAIR_ID = 'K2JCJMDEHXQW5F';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function rsaKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export function jwksOf(...keys: SigningKey[]): Jwks {
  return {
    keys: keys.map((k) => ({
      ...(k.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string }),
      kid: k.kid,
      alg: 'RS256',
      use: 'sig',
    })),
  };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed RS256 with `key` (its header names `key.kid`). */
export function signJwt(key: SigningKey, payload: Record<string, unknown>): string {
  const input = `${b64({ kid: key.kid, alg: 'RS256' })}.${b64(payload)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export interface ClaimOptions {
  groups?: string[];
  /**
   * Issued at; default the later of NOW and the real clock. aws-jwt-verify checks `exp` against
   * the real clock and the app against its own (NOW), so the token must be unexpired for both:
   * issued at NOW alone, every test signing in would fail from an hour after NOW, for ever.
   */
  iat?: Date;
  /** Lifetime in seconds; default an hour, as Cognito's default. */
  seconds?: number;
  /** Claims to add or replace (or remove, with undefined). */
  extra?: Record<string, unknown>;
}

function times(options: ClaimOptions): { iat: number; exp: number; auth_time: number } {
  const iat = Math.floor(
    (options.iat ?? new Date(Math.max(Date.now(), NOW.getTime()))).getTime() / 1000,
  );
  return { iat, auth_time: iat, exp: iat + (options.seconds ?? 3600) };
}

/** The claims of a Cognito ID token for `username`. */
export function idClaims(username: string, options: ClaimOptions = {}): Record<string, unknown> {
  return {
    sub: randomUUID(),
    'cognito:groups': options.groups ?? [],
    iss: ISSUER,
    'cognito:username': username,
    origin_jti: randomUUID(),
    aud: CLIENT,
    event_id: randomUUID(),
    token_use: 'id',
    ...times(options),
    jti: randomUUID(),
    ...options.extra,
  };
}

/** The claims of a Cognito access token for `username`. */
export function accessClaims(
  username: string,
  options: ClaimOptions = {},
): Record<string, unknown> {
  return {
    sub: randomUUID(),
    'cognito:groups': options.groups ?? [],
    iss: ISSUER,
    client_id: CLIENT,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: 'openid',
    ...times(options),
    jti: randomUUID(),
    username,
    ...options.extra,
  };
}

/** One request the app made to the token endpoint. */
export interface TokenRequest {
  url: string;
  form: URLSearchParams;
}

/**
 * The hosted UI's two halves the app talks to: `authorize` plays the browser's round trip
 * through /oauth2/authorize (the user signs in; Cognito redirects back with a code), and
 * `fetch` is the token endpoint.
 */
export class TokenEndpoint {
  readonly requests: TokenRequest[] = [];
  private readonly codes = new Map<
    string,
    { challenge: string; redirectUri: string; clientId: string; idToken: string }
  >();
  /** When set, the endpoint answers this instead (an outage, a refusal). */
  failWith: Response | Error | null = null;

  /** The callback URL Cognito would send the browser to after signing in, whose code exchanges for `idToken`. */
  authorize(location: string, idToken: string): string {
    const url = new URL(location);
    const q = url.searchParams;
    const code = randomUUID();
    this.codes.set(code, {
      challenge: q.get('code_challenge')!,
      redirectUri: q.get('redirect_uri')!,
      clientId: q.get('client_id')!,
      idToken,
    });
    const back = new URL(q.get('redirect_uri')!);
    back.search = new URLSearchParams({ code, state: q.get('state')! }).toString();
    return back.toString();
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    const form = new URLSearchParams(String(init?.body ?? ''));
    this.requests.push({ url, form });
    if (this.failWith instanceof Error) throw this.failWith;
    if (this.failWith) return this.failWith.clone();
    if (url !== `${DOMAIN}/oauth2/token` || init?.method !== 'POST')
      return Response.json({ error: 'not_found' }, { status: 404 });
    const grant = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? ''); // codes are single-use
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !grant ||
      grant.clientId !== form.get('client_id') ||
      grant.redirectUri !== form.get('redirect_uri') ||
      grant.challenge !== challenge
    )
      return Response.json({ error: 'invalid_grant' }, { status: 400 });
    return Response.json({
      id_token: grant.idToken,
      access_token: 'not-used-by-the-app',
      refresh_token: 'not-used-by-the-app',
      expires_in: 3600,
      token_type: 'Bearer',
    });
  };
}

/** The CloudFront key pair for the site cookies: the private key as PKCS#8 PEM for the app (as the stack stores it), the public key to check signatures. */
export function siteKey(): { keyPairId: string; privateKeyPem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyPairId: KEY_PAIR_ID,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey,
  };
}

/** The `name=value` pairs of a response's Set-Cookie headers, and the headers whole. */
export function setCookies(res: Response): Map<string, { value: string; header: string }> {
  const cookies = new Map<string, { value: string; header: string }>();
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    cookies.set(pair!.slice(0, eq), { value: pair!.slice(eq + 1), header });
  }
  return cookies;
}

/** The role group of a user: what an administrator adds them to in Cognito. */
export const groupsOf = (user: User): string[] => [user.role];

export interface CognitoFixture extends WebFixture {
  settings: CognitoSettings;
  poolKey: SigningKey;
  endpoint: TokenEndpoint;
  site: ReturnType<typeof siteKey>;
  user(id: string): User;
  idToken(username: string, options?: ClaimOptions): string;
  accessToken(username: string, options?: ClaimOptions): string;
  /** GET /sign-in?next=…, the hosted UI round trip (`idToken` is what Cognito answers with), then GET /auth/callback; every response. */
  signIn(
    idToken: string,
    options?: { next?: string },
  ): Promise<{ start: Response; callback: Response; callbackUrl: string }>;
}

/**
 * The web fixture (its pipeline, users and anything else it holds), with `app` in Cognito mode
 * against the stand-in above and callers signed in through it.
 */
export async function cognitoFixture(): Promise<CognitoFixture> {
  const base = await webFixture();
  const pipeline = base.pipeline;
  const poolKey = rsaKey('pool-key-1');
  const endpoint = new TokenEndpoint();
  const site = siteKey();
  const settings: CognitoSettings = {
    userPoolId: POOL,
    clientId: CLIENT,
    domain: DOMAIN,
    publicUrl: PUBLIC_URL,
    siteCookies: { keyPairId: site.keyPairId, privateKeyPem: site.privateKeyPem },
    jwks: jwksOf(poolKey),
    fetch: endpoint.fetch,
  };
  const app = createApp({
    store: pipeline.store,
    sessionSecret: SECRET,
    now: () => NOW,
    cognito: settings,
  });
  // As in AWS: Cognito sign-in and uploads queued for the ingest function.
  const queuedApp = createApp({
    store: pipeline.store,
    sessionSecret: SECRET,
    now: () => NOW,
    cognito: settings,
    intake: base.queued,
  });
  const user = (id: string): User => {
    const found = pipeline.reference.users.find((u) => u.id === id);
    if (!found) throw new Error(`no user ${id} in the fixture`);
    return found;
  };
  const sessions = new Map<string, string>();
  const fixture: CognitoFixture = {
    ...base,
    app,
    queuedApp,
    settings,
    poolKey,
    endpoint,
    site,
    user,
    idToken: (username, o = {}) =>
      signJwt(poolKey, idClaims(username, { groups: groupsOf(user(username)), ...o })),
    accessToken: (username, o = {}) =>
      signJwt(poolKey, accessClaims(username, { groups: groupsOf(user(username)), ...o })),
    async signIn(idToken, { next } = {}) {
      const start = await app.request(
        `${PUBLIC_URL}/sign-in${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`,
      );
      const flow = setCookies(start).get('outturn_signin');
      if (start.status !== 302 || !flow)
        throw new Error(`GET /sign-in did not start a sign-in: ${start.status}`);
      const callbackUrl = endpoint.authorize(start.headers.get('location')!, idToken);
      const callback = await app.request(callbackUrl, {
        headers: { cookie: `outturn_signin=${flow.value}` },
      });
      return { start, callback, callbackUrl };
    },
    async cookie(userId) {
      const known = sessions.get(userId);
      if (known) return known;
      const cookie = await fixture.freshCookie(userId);
      sessions.set(userId, cookie);
      return cookie;
    },
    async freshCookie(userId) {
      const { callback } = await fixture.signIn(fixture.idToken(userId));
      const session = setCookies(callback).get('outturn_session');
      if (callback.status !== 302 || !session)
        throw new Error(
          `signing in as ${userId} failed: ${callback.status} ${await callback.text()}`,
        );
      return `outturn_session=${session.value}`;
    },
    // The browser is on the public URL (CloudFront), whatever host the request reaches.
    origin: PUBLIC_URL,
    token: async (userId, o = {}) =>
      fixture.accessToken(userId, {
        ...(o.now ? { iat: o.now } : {}),
        ...(o.seconds ? { seconds: o.seconds } : {}),
      }),
    async as(who, path): Promise<Record<string, string>> {
      if (who === 'anonymous') return path.startsWith('/api/') ? {} : { origin: PUBLIC_URL };
      if (path.startsWith('/api/')) return { authorization: `Bearer ${await fixture.token(who)}` };
      return { cookie: await fixture.cookie(who), origin: PUBLIC_URL };
    },
  };
  return fixture;
}
