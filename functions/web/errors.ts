/**
 * The one error type of the web boundary: an HTTPException that knows how to render itself as
 * JSON (`{ "error": "…" }`) for the API and as a GOV.UK-style page for everything else.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isApiPath } from './api-path.js';
import { getCookie } from 'hono/cookie';
import { errorPage } from '../../reports/pages/error/index.js';
import { SESSION_COOKIE } from './auth/session.js';

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

  /** The response for the request being answered. */
  render(c: Context): Response | Promise<Response> {
    if (isApiPath(c.req.path)) return c.json({ error: this.message }, this.status);
    // The header offers to sign out whenever the request carries a session cookie (even one
    // that has expired: signing out of it is harmless), so a refused page is never a dead end.
    const signedIn = getCookie(c, SESSION_COOKIE) !== undefined;
    return c.html(errorPage(this.status, this.message, { signedIn }).toString(), this.status);
  }
}
