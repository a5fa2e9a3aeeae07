/**
 * How large a request body may be, applied while it streams (Hono's bodyLimit): a route that
 * takes a file (`FILE_ROUTES`) may be sent the largest file its pipeline takes in a request plus
 * the multipart form around it; every other body — a form, a JSON object, a query — far less.
 * A body over its limit is refused with 413 as soon as its Content-Length says so, or, without
 * one, as soon as that many bytes have arrived: it is never read whole, and nothing is written.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { matchedRoutes } from 'hono/route';
import { WebError } from './errors.js';
import type { UploadLimits } from './intake.js';
import { unreadableBodyError } from './unreadable-body.js';

/** A form or JSON body without a file: a query on the analytics page is the longest, a few KB. */
export const FORM_BODY_BYTES = 256 * 1024;

/** The multipart form around a file: boundaries, part headers, the contract and period fields. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** The routes that take a file upload, as registered; every other body is a form or JSON. */
export const FILE_ROUTES: ReadonlySet<string> = new Set([
  'POST /contracts/:id/returns/new',
  'POST /api/returns',
  'POST /reference/upload',
]);

/** `104857600` → `100 MB`. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/**
 * What the upload form and a refusal say about size, in one place.
 *
 * @example fileSizeRule({ requestFileBytes: 4194304, uploadUrlFileBytes: 104857600 })
 * // 'The file must be smaller than 4 MB here. A larger file, up to 100 MB, is sent with an upload link from the Outturn API (POST /api/returns/upload-url; see /api/docs).'
 */
export function fileSizeRule(limits: UploadLimits): string {
  const here = `The file must be smaller than ${megabytes(limits.requestFileBytes)}`;
  return limits.uploadUrlFileBytes !== null && limits.uploadUrlFileBytes > limits.requestFileBytes
    ? `${here} here. A larger file, up to ${megabytes(limits.uploadUrlFileBytes)}, is sent with an upload link from the Outturn API (POST /api/returns/upload-url; see /api/docs).`
    : `${here}.`;
}

export function boundedBodies(limits: UploadLimits): MiddlewareHandler {
  const fileLimit = bodyLimit({
    maxSize: limits.requestFileBytes + MULTIPART_OVERHEAD_BYTES,
    onError: () => {
      throw new WebError(
        413,
        `The file is too large, so Outturn did not read or keep it. ${fileSizeRule(limits)}`,
      );
    },
  });
  const formLimit = bodyLimit({
    maxSize: FORM_BODY_BYTES,
    onError: () => {
      throw new WebError(
        413,
        `The request is too large: Outturn takes at most ${FORM_BODY_BYTES / 1024} KB here. Shorten what you sent.`,
      );
    },
  });
  return async (c, next) => {
    // The first route that will answer (middleware is registered for every method, as ALL).
    const answering = matchedRoutes(c).find((r) => r.method === c.req.method);
    const takesAFile = answering && FILE_ROUTES.has(`${answering.method} ${answering.path}`);
    // Without a Content-Length the limit reads the body itself: if it stops arriving or its
    // chunking is broken, that is the client's body failing (400), not the route.
    let reachedRoute = false;
    try {
      return await (takesAFile ? fileLimit : formLimit)(c, async () => {
        reachedRoute = true;
        await next();
      });
    } catch (e) {
      if (reachedRoute || e instanceof HTTPException) throw e;
      throw unreadableBodyError(c);
    }
  };
}
