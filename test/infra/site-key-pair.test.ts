/** The key-pair custom resource's crypto: a real RSA-2048 pair that signs and verifies. */
import { createSign, createVerify, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSiteKeyPair, publicKeyOf } from '../../infra/handlers/site-key-pair.js';

describe('site key pair', () => {
  const pair = generateSiteKeyPair();

  it('is RSA-2048, public key in SPKI PEM (what CloudFront takes), private in PKCS#8', () => {
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPublicKey(pair.publicKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('signs with the private key what the public key verifies (CloudFront uses SHA1withRSA)', () => {
    const signature = createSign('RSA-SHA1').update('policy').sign(pair.privateKeyPem);
    expect(createVerify('RSA-SHA1').update('policy').verify(pair.publicKeyPem, signature)).toBe(
      true,
    );
    expect(createVerify('RSA-SHA1').update('other').verify(pair.publicKeyPem, signature)).toBe(
      false,
    );
  });

  it('recovers the public key from the stored private key, and nothing from other text', () => {
    expect(publicKeyOf(pair.privateKeyPem)).toBe(pair.publicKeyPem);
    expect(publicKeyOf('generated-random-secret')).toBeNull();
    expect(
      publicKeyOf('-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----'),
    ).toBeNull();
  });

  it('makes a new pair each time', () => {
    expect(generateSiteKeyPair().publicKeyPem).not.toBe(pair.publicKeyPem);
  });
});
