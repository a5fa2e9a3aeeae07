/**
 * CloudFront signed cookies for the published dashboards. `/site/*` is served by CloudFront from
 * the site bucket, not by this app, so the app's session cannot guard it; instead, at sign-in the
 * app gives the browser a custom policy for `<publicUrl>/site/*` signed with the key whose public
 * half is in the distribution's trusted key group, and CloudFront checks it on every request.
 * The cookies expire with the session, and sign-out deletes them.
 */
import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

/** The CloudFront key pair: its id in the key group, and the RSA private key (PEM). */
export interface SiteCookieKey {
  keyPairId: string;
  privateKeyPem: string;
}

/** The path the dashboards are under, and so the only path the browser sends the cookies to. */
export const SITE_PATH = '/site/';

export const SITE_COOKIES = [
  'CloudFront-Policy',
  'CloudFront-Signature',
  'CloudFront-Key-Pair-Id',
] as const;
export type SiteCookieName = (typeof SITE_COOKIES)[number];

/**
 * The custom policy: any object under `<publicUrl>/site/`, until `expiresAt`. A custom policy
 * rather than a canned one because a canned policy names one URL, and the dashboards are many.
 *
 * @example sitePolicy('https://outturn.example', new Date('2026-11-26T13:00:00Z')) // '{"Statement":[{"Resource":"https://outturn.example/site/*",…}]}'
 */
export function sitePolicy(publicUrl: string, expiresAt: Date): string {
  return JSON.stringify({
    Statement: [
      {
        Resource: `${publicUrl}${SITE_PATH}*`,
        Condition: { DateLessThan: { 'AWS:EpochTime': Math.floor(expiresAt.getTime() / 1000) } },
      },
    ],
  });
}

/** The three cookie values, signed (RSA-SHA1, CloudFront's default) with the key. */
export function signSiteCookies(
  key: SiteCookieKey,
  publicUrl: string,
  expiresAt: Date,
): Record<SiteCookieName, string> {
  const signed = getSignedCookies({
    keyPairId: key.keyPairId,
    privateKey: key.privateKeyPem,
    policy: sitePolicy(publicUrl, expiresAt),
  });
  const policy = signed['CloudFront-Policy'];
  if (!policy)
    throw new Error('getSignedCookies returned no CloudFront-Policy for a custom policy.');
  return {
    'CloudFront-Policy': policy,
    'CloudFront-Signature': signed['CloudFront-Signature'],
    'CloudFront-Key-Pair-Id': signed['CloudFront-Key-Pair-Id'],
  };
}

/** Sets the cookies on the response: Secure, HttpOnly, SameSite=Lax, Path=/site/, gone when the session is. */
export function setSiteCookies(
  c: Context,
  key: SiteCookieKey,
  publicUrl: string,
  expiresAt: Date,
  now: Date,
): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  for (const [name, value] of Object.entries(signSiteCookies(key, publicUrl, expiresAt)))
    setCookie(c, name, value, {
      path: SITE_PATH,
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      maxAge,
    });
}

export function clearSiteCookies(c: Context): void {
  for (const name of SITE_COOKIES) deleteCookie(c, name, { path: SITE_PATH, secure: true });
}
