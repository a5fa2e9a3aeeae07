/**
 * The fields of a POST, from an HTML form (urlencoded or multipart) or a JSON object, so a
 * route and the guard that checks its contract read the same answer whichever a client sends.
 * Hono keeps the body once read, so the guard and the handler may both ask.
 */
import type { Context } from 'hono';
import { WebError } from './errors.js';

export async function requestFields(
  c: Context,
  options: { all?: boolean } = {},
): Promise<Record<string, unknown>> {
  // `all`: a field sent more than once (a group of checkboxes) is read as a list.
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
    return await c.req.parseBody({ all: options.all ?? false });
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw new WebError(
      400,
      'The request body is not valid JSON. Send a JSON object, for example {"contract": "plp-a", "period": "2025-04"}.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WebError(
      400,
      'Send the fields as one JSON object, for example {"contract": "plp-a", "period": "2025-04"}.',
    );
  return value as Record<string, unknown>;
}
