/**
 * Signing in and out through the Cognito hosted UI (AWS): what GET /sign-in, GET /auth/callback
 * and POST /sign-out do when `deps.cognito` is set. The routes themselves are declared in
 * pages.ts with the local sign-in, so each path has one declaration and one entry in the route
 * × role matrix.
 *
 * Every refusal here is a WebError page, never an AccessError 401: that would redirect to
 * /sign-in, which goes straight back to Cognito, and a refused user would loop instead of
 * reading why.
 */
import type { Context } from 'hono';
import { loadReferenceCached } from '../../../pipelines/ingest/reference-store.js';
import {
  authorizeUrl,
  cognitoUser,
  exchangeCode,
  logoutUrl,
  verifyCognitoToken,
  type CognitoSettings,
} from '../auth/cognito.js';
import { checkFlow, codeChallenge, endFlow, startFlow, type FlowCheck } from '../auth/oauth.js';
import { endSession, sessionLimits, startSession } from '../auth/session.js';
import { clearSiteCookies, setSiteCookies } from '../auth/site-cookies.js';
import type { Deps } from '../deps.js';
import { WebError } from '../errors.js';
import { auditSignIn } from './audit-hooks.js';

const flowProblems: Record<Extract<FlowCheck, { ok: false }>['reason'], string> = {
  missing:
    'Outturn cannot finish this sign-in: it was not started from this browser, or your browser did not keep its cookie. Sign in again from the Outturn sign-in page.',
  expired: 'The sign-in took longer than 10 minutes and has expired. Sign in again.',
  state_mismatch:
    'Outturn cannot finish this sign-in: it does not match the one this browser started (perhaps another tab started a newer one). Sign in again.',
};

/** GET /sign-in: off to the hosted UI, remembering where to come back to (`?next=/a/local/path`). */
export async function startCognitoSignIn(
  c: Context,
  deps: Deps,
  settings: CognitoSettings,
): Promise<Response> {
  const flow = await startFlow(c, deps.sessionSecret, c.req.query('next') ?? '/', deps.now());
  return c.redirect(authorizeUrl(settings, flow.state, await codeChallenge(flow.verifier)), 302);
}

/**
 * GET /auth/callback?code=…&state=…: checks the flow, exchanges the code, verifies the ID token,
 * finds the Outturn user and checks their role is one of their Cognito groups; then starts the
 * session and the site cookies, both ending when the token does (or sooner), audits the sign-in
 * and goes to the page the sign-in was started for.
 */
export async function finishCognitoSignIn(
  c: Context,
  deps: Deps,
  settings: CognitoSettings,
): Promise<Response> {
  const now = deps.now();
  const check = await checkFlow(c, deps.sessionSecret, c.req.query('state'), now);
  endFlow(c);
  if (!check.ok) throw new WebError(400, flowProblems[check.reason]);
  const cognitoError = c.req.query('error');
  if (cognitoError !== undefined) {
    const description = c.req.query('error_description');
    throw new WebError(
      400,
      `The sign-in service did not sign you in (${cognitoError}${description ? `: ${description.slice(0, 200)}` : ''}). Sign in again.`,
    );
  }
  const code = c.req.query('code');
  if (!code)
    throw new WebError(400, 'The sign-in service sent no authorization code. Sign in again.');

  const exchange = await exchangeCode(settings, code, check.flow.verifier);
  if (!exchange.ok) throw new WebError(502, exchange.problem);
  const verified = await verifyCognitoToken(settings, exchange.idToken, 'id', now);
  if (!verified.ok) throw new WebError(401, verified.problem);
  const { users } = await loadReferenceCached(deps.store);
  const found = cognitoUser(users, verified.identity);
  if (!found.ok) throw new WebError(403, found.problem);

  const ends = new Date(
    Math.min(
      verified.identity.expiresAt.getTime(),
      now.getTime() + sessionLimits.absoluteSeconds * 1000,
    ),
  );
  await startSession(c, deps, found.user.id, { via: 'cognito', endsAt: ends });
  if (settings.siteCookies) setSiteCookies(c, settings.siteCookies, settings.publicUrl, ends, now);
  await auditSignIn(deps.store, c, found.user.id, now);
  return c.redirect(check.flow.next, 302);
}

/** POST /sign-out: forget the session and the site cookies here, then end the Cognito session too. */
export async function signOutOfCognito(
  c: Context,
  deps: Deps,
  settings: CognitoSettings,
): Promise<Response> {
  await endSession(c, deps);
  clearSiteCookies(c);
  return c.redirect(logoutUrl(settings), 303);
}
