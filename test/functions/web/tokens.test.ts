import { describe, expect, it } from 'vitest';
import { sign } from 'hono/jwt';
import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';
import { issueToken, verifyToken } from '../../../functions/web/auth/tokens.js';

const secret = 'a-test-secret-that-is-long-enough-to-sign-with';
const now = new Date('2026-11-26T12:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('API tokens', () => {
  it('a fresh token verifies as its user until it expires', async () => {
    const token = await issueToken('acme-user', secret, { now, seconds: 600 });
    expect(await verifyToken(token, secret, now)).toEqual({
      ok: true,
      userId: 'acme-user',
      expiresAt: later(600),
    });
    expect(await verifyToken(token, secret, later(599))).toMatchObject({ ok: true });
    expect(await verifyToken(token, secret, later(600))).toEqual({ ok: false, reason: 'expired' });
  });

  it('a token with another user id, another expiry or a changed signature is refused', async () => {
    const token = await issueToken('acme-user', secret, { now });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(decodeBase64Url(payload))) as {
      sub: string;
      exp: number;
    };
    const forged = (changes: Record<string, unknown>) =>
      `${header}.${encodeBase64Url(new TextEncoder().encode(JSON.stringify({ ...claims, ...changes })).buffer).replace(/=+$/, '')}.${signature}`;
    expect(await verifyToken(forged({ sub: 'admin' }), secret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyToken(forged({ exp: claims.exp + 86_400 }), secret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const flipped =
      signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    expect(await verifyToken(`${header}.${payload}.${flipped}`, secret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('a JWT for another audience, or with no user, is not an Outturn API token', async () => {
    const exp = Math.floor(now.getTime() / 1000) + 600;
    for (const payload of [
      { sub: 'acme-user', exp, aud: 'someone-else' },
      { sub: 'acme-user', exp },
      { exp, aud: 'outturn-api' },
      { sub: 'Not An Id', exp, aud: 'outturn-api' },
    ])
      expect(await verifyToken(await sign(payload, secret, 'HS256'), secret, now)).toEqual({
        ok: false,
        reason: 'malformed',
      });
  });

  it('a token made with another secret is refused, even when it has expired', async () => {
    const token = await issueToken('acme-user', 'another-secret-just-as-long-as-the-first-one', {
      now,
      seconds: 1,
    });
    expect(await verifyToken(token, secret, later(3600))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('anything that is not a token is malformed', async () => {
    for (const text of ['', 'acme-user', 'acme-user.123', 'acme-user.1.' + 'a'.repeat(43), 'a.b.c'])
      expect(await verifyToken(text, secret, now), text).toEqual({
        ok: false,
        reason: 'malformed',
      });
  });

  it('will not issue a token for something that is not a user id', async () => {
    await expect(issueToken('Not An Id', secret)).rejects.toThrow(/not a user id/);
    await expect(issueToken('acme-user', secret, { seconds: 0 })).rejects.toThrow(/positive/);
  });
});
