/**
 * A request whose body cannot be read is the client's mistake (400), not the server's (500):
 * a multipart form cut short, with no closing boundary, a missing or wrong boundary, a raw line
 * break in a file name; JSON that does not parse; a body that stopped arriving.
 *
 * Hono keeps each way a body was read in `c.req.bodyCache` (parseBody's form, json's text), so
 * when a handler fails, the app's error handler asks here whether the body was the cause: one
 * of those reads failed, or JSON.parse failed on text that was read. Routes keep calling
 * `c.req.parseBody()` and `c.req.json()` as they are; this is the one place that judges it.
 */
import type { Context } from 'hono';
import { isApiPath } from './api-path.js';
import { WebError } from './errors.js';

async function aReadFailed(c: Context): Promise<boolean> {
  const reads = Object.values(c.req.bodyCache).filter((r) => r !== undefined);
  const settled = await Promise.allSettled(reads);
  return settled.some((s) => s.status === 'rejected');
}

/** The 400 for a body that could not be read (cut short, malformed, or it stopped arriving). */
export function unreadableBodyError(c: Context): WebError {
  return new WebError(
    400,
    isApiPath(c.req.path)
      ? 'The request body could not be read: it is not a complete, well-formed multipart/form-data or application/x-www-form-urlencoded body. Check the boundary in the Content-Type header matches the body, and that the body was sent whole.'
      : 'Outturn could not read the form: it arrived incomplete or damaged. Go back to the page and send it again.',
  );
}

/** The 400 to answer instead of `error`, when the request's body is what failed; else null. */
export async function unreadableBody(c: Context, error: unknown): Promise<WebError | null> {
  if (await aReadFailed(c)) return unreadableBodyError(c);
  if (error instanceof SyntaxError && c.req.bodyCache.text !== undefined)
    return new WebError(
      400,
      'The request body is not valid JSON. Send one JSON object, for example {"contract": "plp-a", "period": "2025-04"}.',
    );
  return null;
}
