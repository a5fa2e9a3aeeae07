/**
 * The browser's half of the OAuth 2.0 authorization-code flow with PKCE (RFC 7636), for the
 * Cognito hosted UI: a fresh `state` and code verifier per sign-in, kept until the callback in a
 * short-lived signed http-only cookie together with the page to return to.
 *
 * The client is public (no secret), so PKCE is what stops a stolen authorization code being
 * exchanged by anyone else, and `state` is what stops another site finishing a sign-in it started
 * in this browser (login CSRF). Web Crypto only, like tokens.ts, so it runs on Node and Lambda.
 */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { encodeBase64Url } from 'hono/utils/encode';

/** The cookie that carries a sign-in from /sign-in to /auth/callback. */
export const FLOW_COOKIE = 'outturn_signin';

/** Ten minutes to type a password (and a one-time code): after that, start again. */
export const FLOW_SECONDS = 10 * 60;

/** The cookie is sent only to the callback, the one route that reads it. */
const FLOW_PATH = '/auth/';

/** What the sign-in started, for the callback to check and finish. */
export interface SignInFlow {
  state: string;
  /** The PKCE code verifier: 43 base64url characters (32 random bytes). */
  verifier: string;
  /** The local path to go to once signed in (see `localPath`). */
  next: string;
  /** When the flow started, Unix seconds: the cookie's Max-Age is only advice to the browser. */
  startedAt: number;
}

/** Why a callback's flow cookie was not accepted. */
export type FlowCheck =
  { ok: true; flow: SignInFlow } | { ok: false; reason: 'missing' | 'expired' | 'state_mismatch' };

/** `length` random bytes, base64url without padding. */
export function randomToken(length = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

/**
 * The S256 code challenge for a verifier: base64url(SHA-256(verifier)), as RFC 7636 §4.2 says.
 *
 * @example await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
}

/**
 * `next` if it is a path on this site, else `/`. Only a path beginning with one `/` (not `//` or
 * `/\`, which browsers read as another host) and free of control characters is kept, so a link
 * to /sign-in can never send someone to another site once they have signed in (open redirect).
 *
 * @example localPath('/contracts/plp-test?tab=quality') // '/contracts/plp-test?tab=quality'
 * @example localPath('https://evil.example/') // '/'
 */
export function localPath(next: string | undefined | null): string {
  if (typeof next !== 'string' || next === '' || next.length > 2000) return '/';
  if (
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.includes('\\') ||
    /[\u0000-\u001f\u007f]/.test(next)
  )
    return '/';
  const base = 'https://outturn.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  // Dot segments are resolved, so `/a/../..//evil.example` becomes `//evil.example`: check again.
  if (url.origin !== base || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Starts a sign-in: a new state and verifier, remembered in the flow cookie. */
export async function startFlow(
  c: Context,
  secret: string,
  next: string,
  now: Date,
): Promise<SignInFlow> {
  const flow: SignInFlow = {
    state: randomToken(),
    verifier: randomToken(),
    next: localPath(next),
    startedAt: Math.floor(now.getTime() / 1000),
  };
  await setSignedCookie(c, FLOW_COOKIE, JSON.stringify(flow), secret, {
    path: FLOW_PATH,
    httpOnly: true,
    // Lax, not Strict: the callback is a top-level navigation from the Cognito domain, and a
    // Strict cookie would not be sent with it.
    sameSite: 'Lax',
    secure: true,
    maxAge: FLOW_SECONDS,
  });
  return flow;
}

/**
 * The flow cookie, if it is genuine, recent and made for the `state` the callback was given.
 * The states are compared whole; they are random and single-use, so timing tells nothing.
 */
export async function checkFlow(
  c: Context,
  secret: string,
  state: string | undefined,
  now: Date,
): Promise<FlowCheck> {
  const value = await getSignedCookie(c, secret, FLOW_COOKIE);
  const flow = typeof value === 'string' ? parseFlow(value) : null;
  if (!flow) return { ok: false, reason: 'missing' };
  if (Math.floor(now.getTime() / 1000) - flow.startedAt > FLOW_SECONDS)
    return { ok: false, reason: 'expired' };
  if (!state || state !== flow.state) return { ok: false, reason: 'state_mismatch' };
  return { ok: true, flow };
}

/** A flow is used once: the callback forgets it whatever the outcome. */
export function endFlow(c: Context): void {
  deleteCookie(c, FLOW_COOKIE, { path: FLOW_PATH, secure: true });
}

function parseFlow(text: string): SignInFlow | null {
  try {
    const v = JSON.parse(text) as Partial<Record<keyof SignInFlow, unknown>>;
    if (
      typeof v.state !== 'string' ||
      typeof v.verifier !== 'string' ||
      typeof v.next !== 'string' ||
      typeof v.startedAt !== 'number'
    )
      return null;
    return {
      state: v.state,
      verifier: v.verifier,
      next: localPath(v.next),
      startedAt: v.startedAt,
    };
  } catch {
    return null;
  }
}

/** Base64url without padding, as PKCE and state values are written (RFC 7636 appendix A). */
function base64url(bytes: Uint8Array): string {
  return encodeBase64Url(bytes.slice().buffer).replace(/=+$/, '');
}
