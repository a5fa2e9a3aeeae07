/**
 * CSRF defence beyond SameSite=Lax: Hono's csrf() (the Origin header, or Sec-Fetch-Site:
 * same-origin) on every state-changing request a browser could send from another site with the
 * user's cookie — every form post of the pages (upload, review, reference upload, analytics,
 * sign-in and sign-out) and any /api/ request riding on the session cookie.
 *
 * Left to the guard: /api/ requests with an Authorization header (a bearer token is never sent
 * by a browser on its own, and the guard then ignores the cookie) or with no cookie at all
 * (nothing to ride on: the guard answers 401). JSON bodies are not checked by csrf(): a browser
 * cannot send one to another site without a CORS preflight, which the app never grants.
 *
 * The app's own origin is the request's locally, and the public URL (CloudFront) in AWS, where
 * the request reaches the function under API Gateway's host name instead.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { isApiPath } from './api-path.js';
import type { Deps } from './deps.js';
import { WebError } from './errors.js';

/** The origin the app's pages are served from. */
export function appOrigin(c: Context, deps: Pick<Deps, 'cognito'>): string {
  return deps.cognito ? deps.cognito.publicUrl : new URL(c.req.url).origin;
}

const refusal = (c: Context, origin: string) =>
  isApiPath(c.req.path)
    ? `A request that signs in with the session cookie must come from Outturn’s own pages (Origin ${origin}). A script should send its bearer token instead.`
    : 'Outturn did not accept this form because it was not sent from an Outturn page. Go back to the page in Outturn, reload it and send the form again.';

export function sameOriginForms(deps: Pick<Deps, 'cognito'>): MiddlewareHandler {
  const check = csrf({ origin: (origin, c) => origin === appOrigin(c, deps) });
  return async (c, next) => {
    if (
      isApiPath(c.req.path) &&
      (c.req.header('authorization') !== undefined || c.req.header('cookie') === undefined)
    )
      return next();
    let passed = false;
    try {
      await check(c, async () => {
        passed = true;
      });
    } catch (e) {
      if (e instanceof HTTPException && e.status === 403)
        throw new WebError(403, refusal(c, appOrigin(c, deps)));
      throw e;
    }
    if (passed) await next();
  };
}
