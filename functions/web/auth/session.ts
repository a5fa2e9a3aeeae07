/**
 * The session cookie: the signed-in user's id, signed with the app's secret (Hono's signed
 * cookies, HMAC-SHA-256), http-only and SameSite=Lax so scripts cannot read it and other sites
 * cannot make a browser send it with a form post.
 *
 * A session started from a Cognito sign-in also carries its expiry, `<user id>.<Unix seconds>`
 * (user ids never contain a dot), inside the signed value: it must end no later than the token
 * that proved who the user is, and a cookie's Max-Age is only advice to the browser.
 */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'outturn_session';

/** A working day and then some; signing in again is one click. */
export const SESSION_SECONDS = 12 * 60 * 60;

/** Who a genuine session cookie is for, and until when if it says (sessions from a Cognito sign-in do). */
export interface Session {
  userId: string;
  expiresAt: Date | null;
}

/** The user id in a genuine session cookie; null when there is none or it was tampered with. */
export async function sessionUserId(c: Context, secret: string): Promise<string | null> {
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The session in a genuine cookie, or null when there is none, it was tampered with, or it
 * carries an expiry that has passed at `now`.
 */
export async function readSession(c: Context, secret: string, now: Date): Promise<Session | null> {
  const value = await sessionUserId(c, secret);
  if (value === null) return null;
  const bounded = /^([^.]+)\.(\d{1,12})$/.exec(value);
  if (!bounded) return { userId: value, expiresAt: null };
  const expiresAt = new Date(Number(bounded[2]) * 1000);
  return now < expiresAt ? { userId: bounded[1]!, expiresAt } : null;
}

/**
 * Starts a session for `userId`. Without `until` it is today's local session (Max-Age 12 hours,
 * nothing inside the value); with it, the session ends at `until.expiresAt` or after 12 hours,
 * whichever is sooner, and the expiry is signed into the value so the server enforces it.
 */
export async function startSession(
  c: Context,
  secret: string,
  userId: string,
  until?: { expiresAt: Date; now: Date },
): Promise<void> {
  let value = userId;
  let maxAge = SESSION_SECONDS;
  if (until) {
    const ends = Math.min(
      Math.floor(until.expiresAt.getTime() / 1000),
      Math.floor(until.now.getTime() / 1000) + SESSION_SECONDS,
    );
    value = `${userId}.${ends}`;
    maxAge = Math.max(0, ends - Math.floor(until.now.getTime() / 1000));
  }
  await setSignedCookie(c, SESSION_COOKIE, value, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    // Browsers drop Secure cookies set over plain http, and locally the app is served on
    // http://127.0.0.1; a Cognito sign-in only ever happens on the https public URL.
    secure: until !== undefined || new URL(c.req.url).protocol === 'https:',
    maxAge,
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
