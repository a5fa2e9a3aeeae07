import { describe, expect, it } from 'vitest';
import { constantTimeEqual, issueToken, verifyToken } from '../../../functions/web/auth/tokens.js';

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
    const [, expires, signature] = token.split('.') as [string, string, string];
    expect(await verifyToken(`admin.${expires}.${signature}`, secret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      await verifyToken(`acme-user.${Number(expires) + 86_400}.${signature}`, secret, now),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    const flipped =
      signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    expect(await verifyToken(`acme-user.${expires}.${flipped}`, secret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
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
    for (const text of [
      '',
      'acme-user',
      'acme-user.123',
      'Acme.1.' + 'a'.repeat(43),
      'acme-user.1.short',
      'a.b.c',
    ])
      expect(await verifyToken(text, secret, now), text).toEqual({
        ok: false,
        reason: 'malformed',
      });
  });

  it('will not issue a token for something that is not a user id', async () => {
    await expect(issueToken('Not An Id', secret)).rejects.toThrow(/not a user id/);
    await expect(issueToken('acme-user', secret, { seconds: 0 })).rejects.toThrow(/positive/);
  });

  it('constantTimeEqual compares bytes', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});
