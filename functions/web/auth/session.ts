/**
 * Sessions: a signed cookie naming a session record in the store (./session-records.ts).
 *
 * The cookie holds `<session id>.<last seen, Unix seconds>`, signed with the app's secret
 * (Hono's signed cookies, HMAC-SHA-256), http-only, SameSite=Lax, and Secure whenever the app is
 * served over https (always in AWS). A session ends at the first of: signing out (the record is
 * marked ended, so every copy of the cookie is refused by every server), `idleSeconds` without a
 * request (the last-seen time in the cookie, refreshed as the user works), or `absoluteSeconds`
 * after signing in, or sooner when the sign-in says so (a Cognito ID token's expiry). The
 * cookie's Max-Age is only advice to the browser; the server checks each of these itself.
 *
 * Reading a session costs one store read, and only for a request whose cookie is genuine and
 * recent: anonymous requests and /health read nothing (docs/decisions/026-web-hardening.md).
 */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { ObjectStore } from '../../../pipelines/store/object-store.js';
import type { CognitoSettings } from './cognito.js';
import { randomToken } from './oauth.js';
import {
  endSessionRecord,
  isSessionId,
  readSessionRecord,
  writeSessionRecord,
  type SignedInVia,
} from './session-records.js';

export const SESSION_COOKIE = 'outturn_session';

export const sessionLimits = {
  /** Signed out after this long without a request: long enough to fill in a return, short enough for a shared desk. */
  idleSeconds: 30 * 60,
  /** A working day and then some; signing in again is one click. */
  absoluteSeconds: 12 * 60 * 60,
  /** The cookie's last-seen time is renewed at most this often, so not every response sets a cookie. */
  refreshSeconds: 60,
} as const;

/**
 * What a session handler needs of the app's dependencies (../deps.ts `Deps` has them; written out
 * here so this module does not import the app's wiring, which imports it).
 */
export interface SessionDeps {
  store: ObjectStore;
  sessionSecret: string;
  now: () => Date;
  cognito: CognitoSettings | undefined;
}

/** A session that may be used now. */
export interface Session {
  id: string;
  userId: string;
  via: SignedInVia;
  endsAt: Date;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Secure whenever the browser reached the app over https; behind CloudFront (Cognito set) always. */
function secureCookies(c: Context, deps: Pick<SessionDeps, 'cognito'>): boolean {
  return deps.cognito !== undefined || new URL(c.req.url).protocol === 'https:';
}

async function setCookie(
  c: Context,
  deps: SessionDeps,
  id: string,
  now: Date,
  endsAt: Date,
): Promise<void> {
  const maxAge = Math.max(0, Math.min(sessionLimits.idleSeconds, seconds(endsAt) - seconds(now)));
  await setSignedCookie(c, SESSION_COOKIE, `${id}.${seconds(now)}`, deps.sessionSecret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(c, deps),
    maxAge,
  });
}

/** The id and last-seen time in a genuine cookie, or null. */
async function cookieSession(
  c: Context,
  secret: string,
): Promise<{ id: string; seenAt: number } | null> {
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  if (typeof value !== 'string') return null;
  const parts = /^([^.]+)\.(\d{1,12})$/.exec(value);
  if (!parts || !isSessionId(parts[1]!)) return null;
  return { id: parts[1]!, seenAt: Number(parts[2]) };
}

/**
 * Starts a session for `userId`: writes its record and sets the cookie. It ends after
 * `absoluteSeconds`, or at `endsAt` if that is sooner.
 */
export async function startSession(
  c: Context,
  deps: SessionDeps,
  userId: string,
  options: { via: SignedInVia; endsAt?: Date },
): Promise<Session> {
  const now = deps.now();
  const latest = new Date(now.getTime() + sessionLimits.absoluteSeconds * 1000);
  const endsAt = options.endsAt && options.endsAt < latest ? options.endsAt : latest;
  const id = randomToken();
  await writeSessionRecord(deps.store, {
    id,
    user_id: userId,
    via: options.via,
    started_at: now.toISOString(),
    ends_at: endsAt.toISOString(),
    ended_at: null,
  });
  await setCookie(c, deps, id, now, endsAt);
  return { id, userId, via: options.via, endsAt };
}

/**
 * The session the request's cookie names, if it may be used now: genuine, seen within the idle
 * timeout, its record present, not signed out of and not past its end. Renews the cookie's
 * last-seen time when it is more than `refreshSeconds` old.
 */
export async function readSession(c: Context, deps: SessionDeps): Promise<Session | null> {
  const cookie = await cookieSession(c, deps.sessionSecret);
  if (!cookie) return null;
  const now = deps.now();
  if (seconds(now) - cookie.seenAt >= sessionLimits.idleSeconds) return null;
  const record = await readSessionRecord(deps.store, cookie.id);
  if (!record || record.ended_at !== null) return null;
  const endsAt = new Date(record.ends_at);
  if (now >= endsAt) return null;
  if (seconds(now) - cookie.seenAt >= sessionLimits.refreshSeconds)
    await setCookie(c, deps, cookie.id, now, endsAt);
  return { id: record.id, userId: record.user_id, via: record.via, endsAt };
}

/** Signs out: the record is marked ended, so the cookie is refused everywhere, and the cookie is deleted. */
export async function endSession(c: Context, deps: SessionDeps): Promise<void> {
  const cookie = await cookieSession(c, deps.sessionSecret);
  if (cookie) await endSessionRecord(deps.store, cookie.id, deps.now());
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookies(c, deps) });
}
