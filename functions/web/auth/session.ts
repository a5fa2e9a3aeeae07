/**
 * The session cookie: the signed-in user's id, signed with the app's secret (Hono's signed
 * cookies, HMAC-SHA-256), http-only and SameSite=Lax so scripts cannot read it and other sites
 * cannot make a browser send it with a form post.
 */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'outturn_session';

/** A working day and then some; signing in again is one click. */
export const SESSION_SECONDS = 12 * 60 * 60;

/** The user id in a genuine session cookie; null when there is none or it was tampered with. */
export async function sessionUserId(c: Context, secret: string): Promise<string | null> {
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  return typeof value === 'string' && value !== '' ? value : null;
}

export async function startSession(c: Context, secret: string, userId: string): Promise<void> {
  await setSignedCookie(c, SESSION_COOKIE, userId, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    // Browsers drop Secure cookies set over plain http, and locally the app is served on http://127.0.0.1.
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: SESSION_SECONDS,
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
