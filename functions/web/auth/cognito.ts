/**
 * Sign-in through Amazon Cognito, for the AWS deployment (ADR 015, "Sign-in"; ADR 018).
 *
 * The hosted UI signs people in; this module holds what the app needs around it: the settings,
 * the hosted UI's URLs, the exchange of an authorization code for tokens, the verification of
 * Cognito's ID and access tokens with aws-jwt-verify, and the rule that turns a verified token
 * into an Outturn user. The guard (guard.ts `identify`) and the sign-in routes (routes/pages.ts)
 * call it; nothing else needs to know Cognito exists.
 *
 * The rule: the Cognito username is the Outturn user id in reference/users.json, and the user's
 * Outturn role must be one of the token's `cognito:groups`. Reference data says what a user may
 * see; Cognito group membership is the administrator's separate, deliberate grant of that role,
 * so neither alone lets anyone in.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { User } from '../../../pipelines/reference/schema.js';
import type { SiteCookieKey } from './site-cookies.js';

/** What the app needs to sign people in with Cognito. Set `AppDeps.cognito` to switch it on. */
export interface CognitoSettings {
  /** The user pool, e.g. `eu-west-2_AbCdEf123`: the tokens' issuer. */
  userPoolId: string;
  /** The app client: public, with no secret (the code flow uses PKCE instead). */
  clientId: string;
  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domain: string;
  /** The app's own https origin, e.g. `https://d111111abcdef8.cloudfront.net`: redirect_uri is `<publicUrl>/auth/callback`. */
  publicUrl: string;
  /** The CloudFront key that signs the cookies for `/site/*`; without it no site cookies are set. */
  siteCookies?: SiteCookieKey;
  /** The user pool's JWKS, to verify tokens without fetching it (tests; or a JWKS bundled at deploy). */
  jwks?: Jwks;
  /** Calls the token endpoint; default the global fetch. Tests replace it, as Cognito has no local stand-in. */
  fetch?: typeof fetch;
}

/** Who a verified Cognito token says the caller is. */
export interface CognitoIdentity {
  username: string;
  groups: string[];
  expiresAt: Date;
}

export type TokenKind = 'id' | 'access';

export type CognitoCheck = { ok: true; identity: CognitoIdentity } | { ok: false; problem: string };

export type UserCheck =
  { ok: true; user: User } | { ok: false; status: 401 | 403; problem: string };

/** The settings checked, with the verifiers made from them once. */
interface Prepared {
  settings: CognitoSettings;
  /** The pool's issuer in both forms Cognito uses (regional and global endpoint). */
  issuers: string[];
  verifiers: Record<TokenKind, { verify(jwt: string): Promise<JwtPayload> }>;
}

const prepared = new WeakMap<CognitoSettings, Prepared>();

/**
 * Checks the settings and makes the token verifiers, once per settings object (a Lambda cold
 * start), so the JWKS is fetched once and kept. Throws on settings that cannot work, so a
 * misconfigured deployment fails at start, not at the first sign-in.
 */
export function prepareCognito(settings: CognitoSettings): void {
  prepare(settings);
}

function prepare(settings: CognitoSettings): Prepared {
  const known = prepared.get(settings);
  if (known) return known;
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(settings.userPoolId))
    throw new Error(
      `cognito.userPoolId "${settings.userPoolId}" is not a user pool id (like eu-west-2_AbCdEf123).`,
    );
  if (settings.clientId.trim() === '')
    throw new Error('cognito.clientId is empty: give the id of the user pool’s public app client.');
  for (const key of ['domain', 'publicUrl'] as const) originOf(settings[key], `cognito.${key}`);
  // With a JWKS given, the verifier must never go to the network for another: a token signed by
  // a key not in it is simply not valid.
  const jwksCache = settings.jwks
    ? new SimpleJwksCache({ fetcher: { fetch: () => Promise.reject(new UntrustedKeyError()) } })
    : undefined;
  const make = (tokenUse: TokenKind) => {
    const verifier = CognitoJwtVerifier.create(
      { userPoolId: settings.userPoolId, tokenUse, clientId: settings.clientId },
      jwksCache ? { jwksCache } : undefined,
    );
    if (settings.jwks) verifier.cacheJwks(settings.jwks);
    return verifier;
  };
  const region = settings.userPoolId.split('_')[0]!;
  const issuers = [
    `https://cognito-idp.${region}.amazonaws.com/${settings.userPoolId}`,
    `https://issuer-cognito-idp.${region}.amazonaws.com/${settings.userPoolId}`,
  ];
  const result: Prepared = {
    settings,
    issuers,
    verifiers: { id: make('id'), access: make('access') },
  };
  prepared.set(settings, result);
  return result;
}

/** A token signed with a key that is not in the JWKS the settings gave. */
class UntrustedKeyError extends Error {
  constructor() {
    super('The JWKS was given in the settings; no other key is trusted.');
    this.name = 'UntrustedKeyError';
  }
}

/** An https origin (no path, query or trailing slash), or a thrown error naming the setting. */
function originOf(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} "${value}" is not a URL.`);
  }
  if (url.protocol !== 'https:' || url.origin !== value)
    throw new Error(
      `${name} must be an https origin with no path or trailing slash, like https://example.com, not "${value}".`,
    );
  return url.origin;
}

/** Where Cognito sends the browser back with the code; it must be an allowed callback URL of the app client. */
export function redirectUri(settings: CognitoSettings): string {
  return `${settings.publicUrl}/auth/callback`;
}

/**
 * Where Cognito sends the browser after signing out; it must be an allowed sign-out URL of the
 * app client (infra/auth.ts registers `<publicUrl>/`). The home page then sends a signed-out
 * browser to /sign-in and so to the hosted UI's sign-in form.
 */
export function logoutRedirect(settings: CognitoSettings): string {
  return `${settings.publicUrl}/`;
}

/** The hosted UI's authorize URL for one sign-in: code flow, scope openid, PKCE S256. */
export function authorizeUrl(settings: CognitoSettings, state: string, challenge: string): string {
  const url = new URL('/oauth2/authorize', settings.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(settings),
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** The hosted UI's logout URL, which ends the Cognito session too (else the next sign-in would be silent). */
export function logoutUrl(settings: CognitoSettings): string {
  const url = new URL('/logout', settings.domain);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    logout_uri: logoutRedirect(settings),
  }).toString();
  return url.toString();
}

/** What the token endpoint said: the ID token, or why there is none. */
export type Exchange = { ok: true; idToken: string } | { ok: false; problem: string };

/**
 * Exchanges an authorization code at the token endpoint (public client: no secret, the PKCE
 * verifier instead). Only the ID token is kept: it says who signed in; the app's own session
 * does the rest, and the access and refresh tokens are not needed by a browser session.
 */
export async function exchangeCode(
  settings: CognitoSettings,
  code: string,
  verifier: string,
): Promise<Exchange> {
  const doFetch = settings.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL('/oauth2/token', settings.domain).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: settings.clientId,
        code,
        redirect_uri: redirectUri(settings),
        code_verifier: verifier,
      }).toString(),
    });
  } catch (e) {
    console.error('The Cognito token endpoint could not be reached:', e);
    return {
      ok: false,
      problem:
        'Outturn could not reach the sign-in service to finish signing you in. Try signing in again in a minute.',
    };
  }
  const body = (await res.json().catch(() => null)) as {
    id_token?: unknown;
    error?: unknown;
  } | null;
  if (!res.ok || typeof body?.id_token !== 'string') {
    const code = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
    console.error(`The Cognito token endpoint refused the code: ${code}`);
    return {
      ok: false,
      problem:
        code === 'invalid_grant'
          ? 'The sign-in service would not finish signing you in: the sign-in had expired or was already used. Sign in again.'
          : `The sign-in service would not finish signing you in (${code}). Sign in again; if it keeps happening, tell your administrator.`,
    };
  }
  return { ok: true, idToken: body.id_token };
}

/**
 * Verifies a Cognito token of the given kind: signature against the user pool's keys, issuer
 * (the pool), audience (`aud` of an ID token, `client_id` of an access token: this app client),
 * `token_use`, and expiry against both the library's clock and the app's (`now`), so a token is
 * never accepted past its `exp` by either.
 */
export async function verifyCognitoToken(
  settings: CognitoSettings,
  token: string,
  kind: TokenKind,
  now: Date,
): Promise<CognitoCheck> {
  const what = kind === 'id' ? 'sign-in token' : 'bearer token';
  const { issuers, verifiers } = prepare(settings);
  let payload: JwtPayload;
  try {
    // The issuer is checked first, on the unverified token, so a token from another pool is
    // named as such (aws-jwt-verify would only say it has no configuration for that issuer).
    const claimed = decomposeUnverifiedJwt(token).payload.iss;
    if (typeof claimed !== 'string' || !issuers.includes(claimed))
      return {
        ok: false,
        problem: `The ${what} was issued by another Cognito user pool, not this Outturn’s.`,
      };
    payload = await verifiers[kind].verify(token);
  } catch (e) {
    return { ok: false, problem: tokenProblem(e, kind, what) };
  }
  const username = payload[kind === 'id' ? 'cognito:username' : 'username'];
  const groups = payload['cognito:groups'] ?? [];
  if (typeof username !== 'string' || username === '')
    return { ok: false, problem: `The ${what} names no Cognito user.` };
  if (!Array.isArray(groups) || !groups.every((g): g is string => typeof g === 'string'))
    return { ok: false, problem: `The ${what} has a malformed cognito:groups claim.` };
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= now.getTime())
    return { ok: false, problem: expired(kind, what) };
  return { ok: true, identity: { username, groups, expiresAt: new Date(payload.exp * 1000) } };
}

function expired(kind: TokenKind, what: string): string {
  return kind === 'id'
    ? 'Your sign-in took too long and expired. Sign in again.'
    : `The ${what} has expired. Get a new access token from Cognito.`;
}

/** What went wrong with a token, in words that say what to do. */
function tokenProblem(e: unknown, kind: TokenKind, what: string): string {
  if (e instanceof JwtExpiredError) return expired(kind, what);
  if (e instanceof JwtNotBeforeError)
    return `The ${what} is not valid yet. Check the clock of the machine that sent it.`;
  if (e instanceof JwtParseError)
    return kind === 'access'
      ? 'The bearer token is not a Cognito access token. This Outturn signs API calls in with access tokens from its Cognito user pool; Outturn API tokens are not accepted here.'
      : 'The sign-in service sent a sign-in token Outturn cannot read. Sign in again.';
  if (
    e instanceof JwtInvalidSignatureError ||
    e instanceof UntrustedKeyError ||
    e instanceof KidNotFoundInJwksError ||
    e instanceof JwtWithoutValidKidError ||
    e instanceof JwtInvalidSignatureAlgorithmError
  )
    return `The ${what} is not valid: it is not signed by this Outturn’s Cognito user pool, or it was changed.`;
  if (e instanceof JwtInvalidIssuerError)
    return `The ${what} was issued by another Cognito user pool, not this Outturn’s.`;
  if (e instanceof JwtInvalidAudienceError || e instanceof CognitoJwtInvalidClientIdError)
    return `The ${what} was issued to another app client, not to Outturn.`;
  if (e instanceof CognitoJwtInvalidTokenUseError)
    return kind === 'access'
      ? 'The bearer token is a Cognito ID token: send the access token instead.'
      : 'The sign-in service sent an access token where an ID token was expected. Sign in again.';
  console.error(`A Cognito ${kind} token was refused:`, e);
  return `The ${what} is not valid. ${kind === 'access' ? 'Get a new access token from Cognito.' : 'Sign in again.'}`;
}

/**
 * The Outturn user a verified identity is, if their role is among their Cognito groups.
 * Unknown users are 401 (Cognito knows them, Outturn does not); a role not granted is 403.
 */
export function cognitoUser(users: readonly User[], identity: CognitoIdentity): UserCheck {
  const user = users.find((u) => u.id === identity.username);
  if (!user)
    return {
      ok: false,
      status: 401,
      problem: `You signed in as "${identity.username}", but Outturn has no user with that id. Ask an administrator to add you to Outturn’s users (the Cognito username must be your Outturn user id).`,
    };
  if (!identity.groups.includes(user.role))
    return {
      ok: false,
      status: 403,
      problem: `You signed in as "${user.id}", whose Outturn role is ${user.role}, but your Cognito account is not in the "${user.role}" group. Ask an administrator to add you to the ${user.role} group.`,
    };
  return { ok: true, user };
}
