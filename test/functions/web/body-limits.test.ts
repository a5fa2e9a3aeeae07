/**
 * Bounded request bodies: the limit applies while the body streams, over a real socket (the app
 * on @hono/node-server, as `npm start` serves it). A body whose Content-Length is over the limit
 * is refused before a byte of it is read; one sent without a length is refused as soon as the
 * limit is passed, never read whole; either way 413 with a plain message, and nothing is kept.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FILE_ROUTES,
  FORM_BODY_BYTES,
  MULTIPART_OVERHEAD_BYTES,
} from '../../../functions/web/body-limits.js';
import { inlineIntake } from '../../../functions/web/intake.js';
import { LAMBDA_REQUEST_FILE_BYTES } from '../../../functions/web/queued-intake.js';
import { defaultLimits } from '../../../pipelines/validate/limits.js';
import { routesOf, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
const servers: ServerType[] = [];

/** Bytes of request bodies the app itself pulled from the socket, by the last request. */
let pulled = 0;

/** The app on a real socket, counting the body bytes it reads. */
async function served(app: WebFixture['app']): Promise<string> {
  const counting = (req: Request, env: unknown) => {
    pulled = 0;
    if (!req.body) return app.fetch(req, env);
    const reader = req.body.getReader();
    // highWaterMark 0: the counting stream pulls only when the app reads. With the default (1) it
    // filled its own queue at once, so a chunk that had already arrived (the client sends 50 ms
    // after its headers; under load the app starts later) was counted as read by the app.
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          pulled += value.length;
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    return app.fetch(new Request(req, { body, duplex: 'half' } as RequestInit), env);
  };
  return new Promise((resolve) => {
    const server = serve({ fetch: counting, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${(info as AddressInfo).port}`),
    );
    servers.push(server);
  });
}

beforeAll(async () => {
  f = await webFixture();
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((done) => s.close(() => done()));
});

interface Sent {
  status: number;
  text: string;
  contentType: string;
  /** How many body bytes the client had written when the answer came. */
  written: number;
}

/**
 * Streams a multipart body to `url` in 64 KB chunks, up to `total` bytes, with or without a
 * Content-Length, and stops writing as soon as the server answers.
 */
function stream(
  url: string,
  signedIn: Record<string, string>,
  options: { total: number; declareLength: boolean },
): Promise<Sent> {
  const boundary = 'outturnlimit';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="period"\r\n\r\n2025-04\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nparticipant_id\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 'P-000001\r\n');
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          ...signedIn,
          origin: new URL(url).origin,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(options.declareLength
            ? { 'content-length': String(options.total) }
            : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            text,
            contentType: String(res.headers['content-type']),
            written,
          });
        });
      },
    );
    req.on('error', (e) => (answered ? undefined : reject(e)));
    // The form's opening lines, then the file's bytes, then the closing boundary.
    const pump = () => {
      while (!answered && written < options.total) {
        const left = options.total - written;
        const part =
          written === 0
            ? head
            : left <= tail.length
              ? tail.subarray(tail.length - left)
              : chunk.subarray(0, Math.min(chunk.length, left - tail.length));
        written += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    // Headers first, as a browser sends them; the body follows only if the server has not answered.
    req.flushHeaders();
    setTimeout(pump, 50);
  });
}

const uploadUrl = '/contracts/plp-test/returns/new';

describe('file uploads over the limit', () => {
  it('are refused from their Content-Length before the body is read, and nothing is kept', async () => {
    const url = await served(f.app);
    const limit = defaultLimits.maxFileBytes + MULTIPART_OVERHEAD_BYTES;
    const signedIn = await f.as('acme-user', uploadUrl);
    const before = (await f.pipeline.store.list('')).sort();
    const sent = await stream(`${url}${uploadUrl}`, signedIn, {
      total: limit + 1,
      declareLength: true,
    });
    expect(sent.status).toBe(413);
    expect(sent.contentType).toMatch(/text\/html/);
    expect(sent.text).toContain('The file is too large, so Outturn did not read or keep it.');
    expect(sent.text).toContain('The file must be smaller than 100 MB.');
    // The app read none of it: the Content-Length was enough.
    expect(pulled).toBe(0);
    expect((await f.pipeline.store.list('')).sort()).toEqual(before);
  });

  it('are refused once the limit is passed when no length is declared, never read whole', async () => {
    // The AWS limit (4 MB in a request) keeps this quick; the middleware is the same.
    const url = await served(f.queuedApp);
    const limit = LAMBDA_REQUEST_FILE_BYTES + MULTIPART_OVERHEAD_BYTES;
    const api = '/api/returns';
    const signedIn = await f.as('acme-user', api);
    const before = (await f.pipeline.store.list('')).sort();
    const sent = await stream(`${url}${api}`, signedIn, {
      total: 4 * limit,
      declareLength: false,
    });
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.text)).toEqual({
      error:
        'The file is too large, so Outturn did not read or keep it. The file must be smaller than 4 MB here. A larger file, up to 100 MB, is sent with an upload link from the Outturn API (POST /api/returns/upload-url; see /api/docs).',
    });
    // The app read one chunk past the limit, then stopped; the client had sent more by then.
    expect(pulled).toBeGreaterThan(limit);
    expect(pulled).toBeLessThanOrEqual(limit + 64 * 1024);
    expect(sent.written).toBeGreaterThan(pulled);
    expect((await f.pipeline.store.list('')).sort()).toEqual(before);
  });

  it('a file just under the limit is read and checked as usual', async () => {
    const url = await served(f.queuedApp);
    const api = '/api/returns';
    const sent = await stream(`${url}${api}`, await f.as('acme-user', api), {
      total: LAMBDA_REQUEST_FILE_BYTES,
      declareLength: true,
    });
    // Read, then judged: this form has no contract field, so the guard asks for one.
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.text).error).toContain('Say which contract');
  });
});

describe('which limit applies where', () => {
  const post = async (app: WebFixture['app'], path: string, bytes: number) => {
    const url = path.replace(':id', 'plp-test').replace(':receipt', 'x');
    return app.request(url, {
      method: 'POST',
      headers: {
        ...(await f.as('admin', url)),
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(bytes),
      },
      body: `x=${'a'.repeat(bytes - 2)}`,
    });
  };

  it('names only registered routes as taking files', () => {
    const registered = new Set(routesOf(f.app).map((r) => `${r.method} ${r.path}`));
    for (const route of FILE_ROUTES) expect(registered, route).toContain(route);
  });

  it('refuses a body over 256 KB on every other route that takes one, as JSON for the API', async () => {
    const others = routesOf(f.app).filter(
      (r) => r.method !== 'GET' && !FILE_ROUTES.has(`${r.method} ${r.path}`),
    );
    expect(others.length).toBeGreaterThanOrEqual(5);
    for (const r of others) {
      const res = await post(f.app, r.path, FORM_BODY_BYTES + 1);
      expect(res.status, r.path).toBe(413);
      const text = await res.text();
      expect(text, r.path).toContain(
        'The request is too large: Outturn takes at most 256 KB here.',
      );
      if (r.path.startsWith('/api/')) expect(JSON.parse(text)).toHaveProperty('error');
    }
  });

  it('lets the routes that take files have more', async () => {
    for (const route of FILE_ROUTES) {
      const res = await post(f.app, route.split(' ')[1]!, FORM_BODY_BYTES + 1);
      expect(res.status, route).not.toBe(413);
    }
  });

  it('keeps the AWS limit inside a synchronous Lambda invocation (6 MB, the body base64-encoded)', () => {
    const body = LAMBDA_REQUEST_FILE_BYTES + MULTIPART_OVERHEAD_BYTES;
    const headersAndContext = 64 * 1024;
    expect(Math.ceil(body / 3) * 4 + headersAndContext).toBeLessThan(6 * 1024 * 1024);
    expect(inlineIntake.uploadLimits.requestFileBytes).toBe(defaultLimits.maxFileBytes);
    expect(f.queued.uploadLimits).toEqual({
      requestFileBytes: LAMBDA_REQUEST_FILE_BYTES,
      uploadUrlFileBytes: defaultLimits.maxFileBytes,
    });
  });
});

describe('what the upload page and the upload links say and do', () => {
  const page = async (app: WebFixture['app']) =>
    (await app.request(uploadUrl, { headers: await f.as('acme-user', uploadUrl) })).text();

  it('the page states the limit; in AWS it sends larger files to the upload link', async () => {
    expect(await page(f.app)).toContain(
      'A CSV or XLSX file. The file must be smaller than 100 MB.',
    );
    expect(await page(f.queuedApp)).toContain(
      'A CSV or XLSX file. The file must be smaller than 4 MB here. A larger file, up to 100 MB, is sent with an upload link from the Outturn API',
    );
  });

  it('an upload link is refused for a file over the limit or of no stated size, and no intent is kept', async () => {
    const before = await f.pipeline.store.list('uploads/');
    const ask = async (fileSize?: number | string) =>
      f.queuedApp.request('/api/returns/upload-url', {
        method: 'POST',
        headers: {
          ...(await f.as('acme-user', '/api/')),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          contract: 'plp-test',
          period: '2025-07',
          file_name: 'july.csv',
          ...(fileSize === undefined ? {} : { file_size: fileSize }),
        }),
      });
    const over = await ask(defaultLimits.maxFileBytes + 1);
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: string }).error).toContain(
      'Outturn takes returns of up to 104857600 bytes (100 MB)',
    );
    for (const bad of [undefined, 0, -5, 1.5, 'lots', '12 MB']) {
      const res = await ask(bad);
      expect(res.status, String(bad)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('"file_size"');
    }
    expect(await f.pipeline.store.list('uploads/')).toEqual(before);
    // At the limit, a link signed for exactly that many bytes.
    const ok = await ask(defaultLimits.maxFileBytes);
    expect(ok.status).toBe(201);
    const link = new URL(((await ok.json()) as { url: string }).url);
    expect(link.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
  });
});
