/**
 * Request shapes on every route, as the route × role matrix does for roles: malformed multipart
 * bodies, bad JSON, wrong content types, bad query strings and percent-encoding, mangled path
 * parameters, huge and malformed headers, for a caller of each role. No request of any shape
 * answers 500 or shows a stack trace; a malformed body answers 400 with a plain message. A
 * fast-check property adds generated shapes (cut and corrupted forms, random bytes under every
 * content type, random queries and parameters), and a few shapes only a raw socket can send
 * (a body cut short, broken chunking, headers over Node's limit) go to the app on a real server.
 *
 * The counts of requests per route and of answers by status are written to
 * test-output/request-shapes.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Case } from './cases/common.js';
import { routesOf, webFixture, type WebFixture, type Who } from './fixture.js';
import { matrixCases } from './matrix.js';

/** A caller of each role. */
const callers: readonly Who[] = ['anonymous', 'acme-user', 'cm-north', 'comm', 'admin'];

const B = 'outturnShapes';
const goodMultipart = (file = 'a.csv') =>
  `--${B}\r\nContent-Disposition: form-data; name="contract"\r\n\r\nplp-test\r\n` +
  `--${B}\r\nContent-Disposition: form-data; name="period"\r\n\r\n2025-04\r\n` +
  `--${B}\r\nContent-Disposition: form-data; name="file"; filename="${file}"\r\nContent-Type: text/csv\r\n\r\nparticipant_id,referral_date\r\nP-1,2025-04-01\r\n` +
  `--${B}--\r\n`;
const multipart = `multipart/form-data; boundary=${B}`;

interface BodyShape {
  contentType: string | null;
  body: string | Uint8Array;
}

/** Bodies that cannot be read as what their Content-Type says: each must answer 400. */
const malformedBodies: Record<string, BodyShape> = {
  'multipart, cut short': { contentType: multipart, body: goodMultipart().slice(0, 90) },
  'multipart, no closing boundary': {
    contentType: multipart,
    body: goodMultipart().replace(`--${B}--\r\n`, ''),
  },
  'multipart, no boundary parameter': { contentType: 'multipart/form-data', body: goodMultipart() },
  'multipart, empty boundary': {
    contentType: 'multipart/form-data; boundary=',
    body: goodMultipart(),
  },
  'multipart, wrong boundary': {
    contentType: 'multipart/form-data; boundary=somethingElse',
    body: goodMultipart(),
  },
  'multipart, raw line feed in a file name': {
    contentType: multipart,
    body: goodMultipart('a\n.csv'),
  },
  'multipart, raw carriage return in a file name': {
    contentType: multipart,
    body: goodMultipart('a\r.csv'),
  },
  'multipart, empty body': { contentType: multipart, body: '' },
  'multipart, not a form at all': { contentType: multipart, body: 'hello, world' },
  'multipart, a part with no headers': {
    contentType: multipart,
    body: `--${B}\r\n\r\nvalue\r\n--${B}--\r\n`,
  },
  'JSON, cut short': { contentType: 'application/json', body: '{"contract": "plp-test", "per' },
  'JSON, not JSON': { contentType: 'application/json', body: 'contract=plp-test' },
  'JSON, invalid UTF-8': {
    contentType: 'application/json',
    body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31]),
  },
};

/** Bodies that can be read but are wrong or odd: they must answer anything but 500. */
const oddBodies: Record<string, BodyShape> = {
  'urlencoded, bad percent-encoding': {
    contentType: 'application/x-www-form-urlencoded',
    body: 'contract=%zz&period=%E0%A4%A&%%%=1',
  },
  'urlencoded, only separators': {
    contentType: 'application/x-www-form-urlencoded',
    body: '&&==&=',
  },
  'urlencoded, 10,000 fields': {
    contentType: 'application/x-www-form-urlencoded',
    body: Array.from({ length: 10_000 }, (_, i) => `f${i}=${i}`).join('&'),
  },
  'urlencoded, prototype keys': {
    contentType: 'application/x-www-form-urlencoded',
    body: '__proto__=x&constructor=y&contract[]=a&contract[]=b&file=notafile',
  },
  'multipart, the same field twice and a file where text is expected': {
    contentType: multipart,
    body: goodMultipart().replace(
      'name="period"\r\n\r\n2025-04',
      'name="period"; filename="p.txt"\r\n\r\n2025-04',
    ),
  },
  'multipart, 2,000 parts': {
    contentType: multipart,
    body:
      Array.from(
        { length: 2000 },
        (_, i) => `--${B}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${i}\r\n`,
      ).join('') + `--${B}--\r\n`,
  },
  'multipart, boundary longer than 70 characters': {
    contentType: `multipart/form-data; boundary=${'b'.repeat(200)}`,
    body: `--${'b'.repeat(200)}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--${'b'.repeat(200)}--\r\n`,
  },
  'JSON, an array': { contentType: 'application/json', body: '[1, 2, 3]' },
  'JSON, null': { contentType: 'application/json', body: 'null' },
  'JSON, a string': { contentType: 'application/json', body: '"select 1"' },
  'JSON, a huge number': { contentType: 'application/json', body: '{"file_size": 1e400}' },
  'JSON, nested 5,000 deep': {
    contentType: 'application/json',
    body: `{"contract":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  },
  'JSON, prototype keys': {
    contentType: 'application/json',
    body: '{"__proto__": {"admin": true}, "constructor": {"prototype": 1}}',
  },
  'JSON, fields of the wrong types': {
    contentType: 'application/json',
    body: '{"contract": {"id": 1}, "period": [], "sql": 5, "params": "x", "file_name": null, "file_size": "big", "max_rows": -1}',
  },
  'JSON, UTF-16 declared': { contentType: 'application/json; charset=utf-16', body: '{}' },
  'no Content-Type': { contentType: null, body: 'contract=plp-test&period=2025-04' },
  'text/plain holding JSON': { contentType: 'text/plain', body: '{"sql": "select 1"}' },
  'application/xml': { contentType: 'application/xml', body: '<return><contract/></return>' },
  'multipart/mixed': { contentType: `multipart/mixed; boundary=${B}`, body: goodMultipart() },
  'a Content-Type of nonsense': { contentType: 'nonsense/;;;=;boundary', body: 'x' },
  'a quoted boundary with spaces': {
    contentType: 'multipart/form-data; boundary="a b c"',
    body: '--a b c\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--a b c--\r\n',
  },
};

/** Changes to the URL and headers, for every route. */
const queryShapes: Record<string, string> = {
  'a lone percent': '%',
  'bad percent-encoding': '%zz=%E0%A4%A&x=%',
  'a NUL byte': 'table=%00&format=csv&quarter=%00',
  'a path in a parameter': 'table=..%2F..%2F..%2Fetc%2Fpasswd&format=csv',
  'an unknown format': 'table=performance&format=pdf',
  'an impossible quarter and period': 'quarter=2025-Q9&period=9999-99&area=%FF&breakdown=__proto__',
  'every filter twice': 'area=a&area=b&period=2025-01&period=2025-02&refresh=off&refresh=on',
  'an unknown provider to highlight, and a prototype key': 'highlight=__proto__&highlight=%00',
  'prototype keys': '__proto__=1&constructor=2&contract=__proto__&kind=toString',
  'empty values': 'contract=&table=&format=&quarter=&next=&uploaded=',
  'a 60 KB query': `x=${'a'.repeat(60_000)}`,
  'an open redirect': 'next=//evil.example&next=https://evil.example',
};
const paramShapes: Record<string, string> = {
  'bad percent-encoding': '%E0%A4%A',
  'a NUL byte': 'a%00b',
  'dot segments': '..%2F..%2Fetc',
  'encoded dots': '%2e%2e',
  unicode: '%C3%9F%E2%98%83',
  '5,000 characters': 'x'.repeat(5000),
  'a lone percent': '%',
};
const headerShapes: Record<string, Record<string, string>> = {
  'a 32 KB cookie': { cookie: `junk=${'j'.repeat(32_000)}` },
  'a malformed cookie': { cookie: 'outturn_session=%%%; =; ;;; outturn_session' },
  'a session cookie with a bad signature': {
    cookie: 'outturn_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.1795694400.AAAA',
  },
  'Authorization with no token': { authorization: 'Bearer' },
  'Authorization with two tokens': { authorization: 'Bearer a b' },
  'Authorization, Basic': { authorization: 'Basic YWRtaW46YWRtaW4=' },
  'a 20 KB bearer token': { authorization: `Bearer ${'a'.repeat(20_000)}` },
  'a JWT-looking bearer token': {
    authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
  },
  'odd Accept and Origin headers': { accept: '*/*;q=garbage, ,;', origin: 'null' },
  '500 headers': Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-h${i}`, `${i}`])),
};

const STACK_TRACE = /\bat .+\.(ts|js|mjs):\d+|Error: .+\n\s+at /;

let f: WebFixture;
/** One URL per route, from the matrix: the first case of each. */
let urls: Map<string, Case>;
const counts = new Map<string, number>();
const statuses = new Map<number, number>();
let errorLog: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  f = await webFixture();
  const cases = await matrixCases(f);
  urls = new Map();
  for (const r of routesOf(f.app)) {
    const route = `${r.method} ${r.path}`;
    const found = cases.find((c) => c.route === route && !c.app);
    if (!found) throw new Error(`no matrix case for ${route}`);
    urls.set(route, found);
  }
  errorLog = vi.spyOn(console, 'error');
});

afterAll(async () => {
  errorLog?.mockRestore();
  const dir = join(import.meta.dirname, '..', '..', '..', 'test-output');
  await mkdir(dir, { recursive: true });
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  await writeFile(
    join(dir, 'request-shapes.json'),
    JSON.stringify(
      {
        requests: total,
        by_status: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
        by_route: Object.fromEntries([...counts].sort()),
      },
      null,
      2,
    ) + '\n',
  );
});

/** Asks the app and records the answer; returns it with its text. */
async function ask(
  route: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array },
): Promise<{ status: number; text: string; contentType: string }> {
  const res = await f.app.request(url, init as RequestInit);
  const text = await res.text();
  counts.set(route, (counts.get(route) ?? 0) + 1);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  return { status: res.status, text, contentType: res.headers.get('content-type') ?? '' };
}

/** Sessions for signing out with, one per caller: signing out ends the session it is sent with. */
const leaving = new Map<Who, string>();

/**
 * The caller's own headers: the session cookie and the app's Origin for pages, a bearer token
 * for /api/. Sign-out gets a session of its own, so the caller's kept one carries on.
 */
async function signedIn(who: Who, url: string): Promise<Record<string, string>> {
  if (url !== '/sign-out' || who === 'anonymous') return f.as(who, url);
  if (!leaving.has(who)) leaving.set(who, await f.freshCookie(who));
  return { cookie: leaving.get(who)!, origin: f.origin };
}

function withBody(headers: Record<string, string>, shape: BodyShape) {
  return {
    headers:
      shape.contentType === null ? headers : { ...headers, 'content-type': shape.contentType },
    body: shape.body,
  };
}

function problem(route: string, who: Who, what: string, a: { status: number; text: string }) {
  if (a.status >= 500) return `${route} as ${who}, ${what}: ${a.status} ${a.text.slice(0, 160)}`;
  if (STACK_TRACE.test(a.text)) return `${route} as ${who}, ${what}: a stack trace in the answer`;
  return null;
}

describe('request shapes on every route, for a caller of each role', () => {
  it('has a URL for every route', () => {
    expect(urls.size).toBe(routesOf(f.app).length);
    expect(urls.size).toBeGreaterThanOrEqual(35);
  });

  it('answers every malformed body 400 with a plain message, and no odd body 500', async () => {
    const failures: string[] = [];
    for (const [route, c] of urls) {
      if (!route.startsWith('POST ')) continue;
      for (const who of callers) {
        const headers = await signedIn(who, c.url);
        for (const [name, shape] of Object.entries({ ...malformedBodies, ...oddBodies })) {
          const a = await ask(route, c.url, { method: 'POST', ...withBody(headers, shape) });
          const bad = problem(route, who, name, a);
          if (bad) failures.push(bad);
          // The admin may use every route, so nothing but the body stops the request: a body
          // that cannot be read must say so. (Signing out reads no body.)
          if (
            who === 'admin' &&
            name in malformedBodies &&
            route !== 'POST /sign-out' &&
            a.status !== 400
          )
            failures.push(`${route} as admin, ${name}: ${a.status}, expected 400`);
          if (a.status === 400 && name in malformedBodies && route !== 'POST /sign-in') {
            // Why, in words: that the body could not be read, or (a page sent JSON, so no
            // form fields at all) the form's own error summary.
            const plain =
              /could not read|could not be read|not valid JSON|Send the query as JSON|Send the fields as one JSON object|There is a problem/;
            if (!plain.test(a.text))
              failures.push(
                `${route} as ${who}, ${name}: 400 without saying why (${a.text.slice(0, 120)})`,
              );
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers bad query strings, path parameters and headers on every route without a 500', async () => {
    const failures: string[] = [];
    for (const [route, c] of urls) {
      const method = route.split(' ')[0]!;
      const body = method === 'POST' ? { body: '' } : {};
      for (const who of callers) {
        const headers = await signedIn(who, c.url);
        const [path, query] = c.url.split('?') as [string, string?];
        for (const [name, extra] of Object.entries(queryShapes)) {
          const url = `${path}?${query ? `${query}&` : ''}${extra}`;
          const bad = problem(
            route,
            who,
            `query: ${name}`,
            await ask(route, url, { method, headers, ...body }),
          );
          if (bad) failures.push(bad);
        }
        // Each path segment that is a parameter in the route, replaced in turn.
        const pattern = route.split(' ')[1]!.split('/');
        const segments = path.split('/');
        for (const [name, value] of Object.entries(paramShapes))
          for (let i = 0; i < pattern.length; i++) {
            if (!pattern[i]!.startsWith(':') && pattern[i] !== '*') continue;
            const url = [...segments.slice(0, i), value, ...segments.slice(i + 1)].join('/');
            const bad = problem(
              route,
              who,
              `path: ${name}`,
              await ask(route, url, { method, headers, ...body }),
            );
            if (bad) failures.push(bad);
          }
        for (const [name, extra] of Object.entries(headerShapes)) {
          const bad = problem(
            route,
            who,
            `headers: ${name}`,
            await ask(route, c.url, { method, headers: { ...headers, ...extra }, ...body }),
          );
          if (bad) failures.push(bad);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers generated shapes on every route without a 500 (fast-check)', async () => {
    const routes = [...urls.keys()];
    const contentTypes = [
      multipart,
      'multipart/form-data',
      'application/x-www-form-urlencoded',
      'application/json',
      'text/plain',
      'application/octet-stream',
    ];
    const good = new TextEncoder().encode(goodMultipart());
    /** A valid form, cut at a point or with bytes replaced. */
    const corrupted = fc
      .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.boolean())
      .map(([at, bytes, cut]): BodyShape => {
        const i = at % good.length;
        const body = cut
          ? good.slice(0, i)
          : Uint8Array.from([...good.slice(0, i), ...bytes, ...good.slice(i + bytes.length)]);
        return { contentType: multipart, body };
      });
    const randomBody = fc
      .tuple(fc.constantFrom(...contentTypes), fc.uint8Array({ maxLength: 512 }))
      .map(([contentType, body]): BodyShape => ({ contentType, body }));
    const randomJson = fc.jsonValue({ maxDepth: 4 }).map((v): BodyShape => ({
      contentType: 'application/json',
      body: JSON.stringify(v) ?? 'null',
    }));
    /** Text with percent-escapes of any byte, and the characters that delimit queries and paths. */
    const urlText = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
          fc.constantFrom('%', '&', '=', '+', '.', '..', '[]', '__proto__', '~', ';'),
          fc.string({ maxLength: 6 }).map(encodeURIComponent),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    const shape = fc.oneof(
      corrupted.map((b) => ({ body: b })),
      randomBody.map((b) => ({ body: b })),
      randomJson.map((b) => ({ body: b })),
      fc.tuple(urlText, urlText).map(([k, v]) => ({ query: `${k}=${v}` })),
      urlText.map((p) => ({ param: p })),
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...callers),
        shape,
        async (route, who, s) => {
          const c = urls.get(route)!;
          const method = route.split(' ')[0]!;
          let url = c.url;
          if ('query' in s) url = `${url}${url.includes('?') ? '&' : '?'}${s.query}`;
          if ('param' in s) {
            const pattern = route.split(' ')[1]!.split('/');
            const i = pattern.findIndex((p) => p.startsWith(':') || p === '*');
            if (i >= 0) {
              const segments = url.split('?')[0]!.split('/');
              segments[i] = s.param || 'x';
              url = segments.join('/');
            }
          }
          const headers = await signedIn(who, c.url);
          const init =
            method === 'POST'
              ? {
                  method,
                  ...withBody(headers, 'body' in s ? s.body : { contentType: null, body: '' }),
                }
              : { method, headers };
          const bad = problem(
            route,
            who,
            JSON.stringify(s).slice(0, 200),
            await ask(route, url, init),
          );
          if (bad) failures.push(bad);
          return bad === null;
        },
      ),
      { numRuns: 600, seed: 20261126 },
    );
    expect(failures).toEqual([]);
  });

  it('logged no failure of its own: nothing reached the app’s 500 handler', () => {
    const fiveHundreds = errorLog.mock.calls.filter((args) =>
      String(args[0]).match(/^(GET|POST) .* failed:/),
    );
    expect(fiveHundreds).toEqual([]);
    expect(statuses.get(500) ?? 0).toBe(0);
  });
});

describe('shapes only a raw socket can send, to the app on a real server', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      server = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve((info as AddressInfo).port),
      );
    });
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  /** Writes `raw` to the server, half-closes, and reads the status line of the answer. */
  const rawRequest = (raw: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(raw);
        socket.end();
      });
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (answer += d));
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
      socket.on('error', reject);
    });

  it('a body cut short, broken chunking, a raw line break in the headers, headers over the limit: 4xx', async () => {
    const cookie = await f.cookie('admin');
    const head = (extra: string) =>
      `POST /contracts/plp-test/returns/new HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nCookie: ${cookie}\r\nContent-Type: ${multipart}\r\n${extra}`;
    const body = goodMultipart();
    const answers = {
      'a body cut short': await rawRequest(
        `${head(`Content-Length: ${body.length + 500}\r\n`)}\r\n${body}`,
      ),
      'broken chunking': await rawRequest(
        `${head('Transfer-Encoding: chunked\r\n')}\r\nzz\r\n${body}\r\n0\r\n\r\n`,
      ),
      'a bare line feed inside a header': await rawRequest(
        `${head('Content-Length: 5\r\nX-Odd: a\nb\r\n')}\r\nhello`,
      ),
      'headers over 16 KB': await rawRequest(
        `${head(`X-Big: ${'b'.repeat(20_000)}\r\nContent-Length: 0\r\n`)}\r\n`,
      ),
    };
    for (const [name, status] of Object.entries(answers)) {
      counts.set(
        'POST /contracts/:id/returns/new',
        (counts.get('POST /contracts/:id/returns/new') ?? 0) + 1,
      );
      expect(status, name).toBeGreaterThanOrEqual(400);
      expect(status, name).toBeLessThan(500);
    }
    // Answered by the app (a cut body is the client's) or by Node's own parser; never the 500 handler.
    expect(errorLog.mock.calls.filter((args) => / failed:/.test(String(args[0])))).toEqual([]);
  });
});
