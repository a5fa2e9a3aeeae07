/**
 * API bearer tokens: JSON Web Tokens (HS256, Hono's `hono/jwt`) signed under the app's secret,
 * naming the user (`sub`), the expiry (`exp`) and the audience `outturn-api`, so a token can never
 * be mistaken for a signed session cookie made with the same secret. Web Crypto only, so the
 * same code runs on Node and on Lambda. In AWS, Cognito-issued tokens take over from these.
 */
import { decode, sign, verify } from 'hono/jwt';
import { JwtTokenSignatureMismatched } from 'hono/utils/jwt/types';
import { slug } from '../../../pipelines/reference/schema.js';

/** An hour: long enough for a provider's script to upload a month's returns. */
export const DEFAULT_TOKEN_SECONDS = 60 * 60;

const AUDIENCE = 'outturn-api';

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
  const exp = Math.floor((options.now ?? new Date()).getTime() / 1000) + seconds;
  return sign({ sub: userId, exp, aud: AUDIENCE }, secret, 'HS256');
}

/**
 * Checks a token's form and signature (by `hono/jwt`), then its expiry against `now` (the
 * library's own clock check is off, so the time is the caller's), in that order, so an expired
 * token is only reported as expired when it is genuine.
 *
 * @example const check = await verifyToken(token, secret); if (check.ok) console.log(check.userId)
 */
export async function verifyToken(
  token: string,
  secret: string,
  now: Date = new Date(),
): Promise<TokenCheck> {
  let payload;
  try {
    payload = await verify(token, secret, {
      alg: 'HS256',
      aud: AUDIENCE,
      exp: false,
      nbf: false,
      iat: false,
    });
  } catch (e) {
    return {
      ok: false,
      reason: e instanceof JwtTokenSignatureMismatched ? 'bad_signature' : 'malformed',
    };
  }
  const { sub, exp } = payload;
  if (typeof sub !== 'string' || !slug.safeParse(sub).success || typeof exp !== 'number')
    return { ok: false, reason: 'malformed' };
  if (now.getTime() >= exp * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, userId: sub, expiresAt: new Date(exp * 1000) };
}

/** Whether `token` is shaped as an Outturn API token (its audience), signed well or not. */
export function isApiToken(token: string): boolean {
  try {
    return decode(token).payload.aud === AUDIENCE;
  } catch {
    return false;
  }
}
