/**
 * API bearer tokens: a user id and an expiry, signed with HMAC-SHA-256 under the app's secret.
 *
 *   <user id>.<expiry, Unix seconds>.<signature, base64url>
 *
 * The signature covers a purpose label as well as the id and expiry, so a token can never be
 * mistaken for a signed session cookie made with the same secret. Web Crypto only, so the same
 * code runs on Node and on Lambda. In AWS, Cognito-issued tokens take over from these.
 */
import { slug } from '../../../pipelines/reference/schema.js';

/** An hour: long enough for a provider's script to upload a month's returns. */
export const DEFAULT_TOKEN_SECONDS = 60 * 60;

const PURPOSE = 'outturn-api-token:v1';

export type TokenCheck =
  | { ok: true; userId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/**
 * A token for `userId`, valid for `seconds` from `now`.
 *
 * @example const token = await issueToken('acme-user', secret); fetch('/api/contracts', { headers: { authorization: `Bearer ${token}` } })
 */
export async function issueToken(
  userId: string,
  secret: string,
  options: { now?: Date; seconds?: number } = {},
): Promise<string> {
  if (!slug.safeParse(userId).success)
    throw new TypeError(`issueToken: "${userId}" is not a user id`);
  const seconds = options.seconds ?? DEFAULT_TOKEN_SECONDS;
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new TypeError('issueToken: seconds must be a positive whole number');
  const expires = Math.floor((options.now ?? new Date()).getTime() / 1000) + seconds;
  return `${userId}.${expires}.${base64url(await sign(secret, userId, expires))}`;
}

/**
 * Checks a token's form, signature (compared in constant time) and expiry, in that order, so
 * an expired token is only reported as expired when it is genuine.
 *
 * @example const check = await verifyToken(token, secret); if (check.ok) console.log(check.userId)
 */
export async function verifyToken(
  token: string,
  secret: string,
  now: Date = new Date(),
): Promise<TokenCheck> {
  const match = /^([a-z0-9][a-z0-9_-]*)\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, userId, expiresText, signature] = match as unknown as [string, string, string, string];
  const expires = Number(expiresText);
  const given = fromBase64url(signature);
  if (!given || !constantTimeEqual(given, await sign(secret, userId, expires)))
    return { ok: false, reason: 'bad_signature' };
  if (now.getTime() >= expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, userId, expiresAt: new Date(expires * 1000) };
}

/** Equal bytes, taking the same time wherever the first difference is. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    keys.set(secret, key);
  }
  return key;
}

async function sign(secret: string, userId: string, expires: number): Promise<Uint8Array> {
  const message = new TextEncoder().encode(`${PURPOSE}:${userId}:${expires}`);
  return new Uint8Array(await crypto.subtle.sign('HMAC', await keyFor(secret), message));
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}
