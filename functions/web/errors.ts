/**
 * The one error type of the web boundary: an HTTPException that knows how to render itself as
 * JSON (`{ "error": "…" }`) for the API and as a GOV.UK-style page for everything else. Errors
 * from below (pipelines/errors.ts `OutturnError`) become one here, in the app's error handler
 * only (`WebError.from`), by the kind of failure they name.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Failure, OutturnError } from '../../pipelines/errors.js';
import { isApiPath } from './api-path.js';
import { getCookie } from 'hono/cookie';
import { errorPage } from '../../reports/pages/error/index.js';
import { SESSION_COOKIE } from './auth/session.js';

/** Each kind of failure from below, as an HTTP status: the one place they are mapped. */
const statusOf: Record<Failure, ContentfulStatusCode> = {
  'bad-input': 400,
  'not-signed-in': 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rejected: 422,
  'not-ready': 503,
};

export class WebError extends HTTPException {
  /**
   * @param message What went wrong and what to do, in plain words: it is shown to the user.
   *
   * @example throw new WebError(400, 'Choose the file to upload.')
   */
  constructor(status: ContentfulStatusCode, message: string, options: { cause?: unknown } = {}) {
    super(status, { message, cause: options.cause });
    this.name = 'WebError';
  }

  /** The answer to an error from the pipeline, the access rules or the reports. */
  static from(e: OutturnError): WebError {
    const status = statusOf[e.failure];
    return status === 401
      ? new SignInNeeded(e.message, { cause: e })
      : new WebError(status, e.message, { cause: e });
  }

  /** The response for the request being answered. */
  render(c: Context): Response | Promise<Response> {
    if (isApiPath(c.req.path)) return c.json({ error: this.message }, this.status);
    // The header offers to sign out whenever the request carries a session cookie (even one
    // that has expired: signing out of it is harmless), so a refused page is never a dead end.
    const signedIn = getCookie(c, SESSION_COOKIE) !== undefined;
    return c.html(errorPage(this.status, this.message, { signedIn }).toString(), this.status);
  }
}

/**
 * 401 from the guard: for the API, JSON with a `WWW-Authenticate` challenge; for pages, a
 * redirect to the sign-in page.
 *
 * @example throw new SignInNeeded('Sign in to use Outturn.')
 */
export class SignInNeeded extends WebError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(401, message, options);
    this.name = 'SignInNeeded';
  }

  override render(c: Context): Response | Promise<Response> {
    if (isApiPath(c.req.path)) {
      c.header('WWW-Authenticate', 'Bearer realm="outturn"');
      return c.json({ error: this.message }, 401);
    }
    return c.redirect('/sign-in', 302);
  }
}
