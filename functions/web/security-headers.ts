/**
 * The security headers on every response (Hono's secureHeaders): a strict Content-Security-Policy,
 * no framing, and no referrer sent to other sites.
 *
 * The pages run no script and load everything from the app itself (govuk-frontend's CSS, fonts
 * and crest under /assets, charts as inline SVG with presentation attributes, not style
 * attributes: reports/charts/render.ts), so the policy allows only that. Forms post to the app,
 * and in AWS signing out redirects to the Cognito hosted UI, which `form-action` must allow
 * because browsers check it on a form's redirects too.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { CognitoSettings } from './auth/cognito.js';

/** The CSP directives, in Hono's camelCase. */
export function contentSecurityPolicy(cognito: CognitoSettings | undefined) {
  return {
    defaultSrc: ["'none'"],
    scriptSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    formAction: ["'self'", ...(cognito ? [cognito.domain] : [])],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  };
}

export function securityHeaders(cognito: CognitoSettings | undefined): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: contentSecurityPolicy(cognito),
    xFrameOptions: 'DENY',
    // Not no-referrer: with it, browsers send `Origin: null` on the app's own form posts, which
    // the CSRF check (./same-origin.ts) would then have to take on trust. Same-origin keeps the
    // URLs (contract ids, filters) from other sites and the Origin header honest.
    referrerPolicy: 'same-origin',
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
    },
  });
}
