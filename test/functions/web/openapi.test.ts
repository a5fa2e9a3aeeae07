import { beforeAll, describe, expect, it } from 'vitest';
import { csvOf, participants } from '../../fixtures/returns.js';
import {
  contractPerformanceShape,
  contractShape,
  queryResultShape,
  uploadResultShape,
} from '../../../functions/web/api-shapes.js';
import { apiDocs, openApiDocument, openApiPath } from '../../../functions/web/openapi.js';
import { receiptSummarySchema } from '../../../functions/web/receipts.js';
import { routes } from '../../../functions/web/routes/index.js';
import { webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, any> };
};
let doc: Doc;

beforeAll(async () => {
  f = await webFixture();
  const res = await f.app.request('/api/openapi.json', {
    headers: await f.as('acme-user', '/api/'),
  });
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
}, 60_000);

const documented = (d: Doc) =>
  Object.entries(d.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();

describe('GET /api/openapi.json', () => {
  it('documents exactly the app’s registered /api/ routes, each method and path', () => {
    const registered = f.app.routes
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    expect(registered.length).toBeGreaterThanOrEqual(7);
    expect(documented(doc)).toEqual(registered);
    // …and nothing is documented that the app does not serve.
    expect(Object.keys(apiDocs).sort()).toEqual(registered);
  });

  it('leaves out a route with no documentation, so the comparison above catches it', () => {
    const extra = { ...routes[0]!, method: 'GET' as const, path: '/api/undocumented' };
    expect(documented(openApiDocument([...routes, extra] as never) as Doc)).not.toContain(
      'GET /api/undocumented',
    );
  });

  it('is OpenAPI 3.1 with the bearer token and the session cookie as security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'outturn_session',
    });
    expect(doc.paths['/api/contracts']!.get.security).toEqual([{ bearer: [] }, { session: [] }]);
  });

  it('gives path parameters, the contract query and each status a route can answer', () => {
    const receipt = doc.paths['/api/returns/{contract}/{period}/{id}']!.get;
    expect(
      receipt.parameters.map((p: { name: string; in: string; required: boolean }) => [
        p.name,
        p.in,
        p.required,
      ]),
    ).toEqual([
      ['contract', 'path', true],
      ['period', 'path', true],
      ['id', 'path', true],
    ]);
    expect(Object.keys(receipt.responses)).toEqual(['200', '401', '403', '404']);
    const list = doc.paths['/api/returns']!.get;
    expect(list.parameters).toEqual([
      expect.objectContaining({ name: 'contract', in: 'query', required: false }),
    ]);
    expect(Object.keys(doc.paths['/api/contracts']!.get.responses)).toEqual(['200', '401']);
    expect(list.responses['403'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('describes the upload as multipart, with 200, 201, 202 (queued), 400, 401, 403, 404 and 422', () => {
    const upload = doc.paths['/api/returns']!.post;
    const form = upload.requestBody.content['multipart/form-data'].schema;
    expect(form.required).toEqual(['file', 'contract', 'period']);
    expect(Object.keys(upload.responses)).toEqual([
      '200',
      '201',
      '202',
      '400',
      '401',
      '403',
      '404',
      '422',
    ]);
    expect(upload.responses['201'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/UploadResult',
    });
  });

  it('every $ref resolves inside the document, including the return rows from the JSON Schema', () => {
    const text = JSON.stringify(doc);
    const refs = [...new Set([...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!))];
    expect(refs).toContain('#/components/schemas/participant_row');
    for (const r of refs) {
      expect(r, r).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[r.slice('#/components/schemas/'.length)], r).toBeDefined();
    }
  });

  it('is refused without credentials, as every /api/ route is', async () => {
    const res = await f.app.request('/api/openapi.json');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });
});

describe('the API shapes, declared once in zod', () => {
  it('documents the receipt summary from its zod schema, and the API answers in that shape', async () => {
    expect(doc.components.schemas.ReceiptSummary).toMatchObject({
      oneOf: expect.any(Array),
    });
    const text = JSON.stringify(doc.components.schemas.ReceiptSummary);
    for (const field of ['contract_id', 'submitted_at', 'counts', 'href'])
      expect(text).toContain(field);
    const res = await f.app.request('/api/returns', { headers: await f.as('acme-user', '/api/') });
    const { receipts } = (await res.json()) as { receipts: unknown[] };
    expect(receipts.length).toBeGreaterThan(0);
    for (const r of receipts) {
      const strict = receiptSummarySchema.options.map((o) => o.strict());
      expect(
        strict.some((s) => s.safeParse(r).success),
        JSON.stringify(r),
      ).toBe(true);
    }
  });

  it('generates ContractPerformance, UploadResult and QueryResult from zod, the receipt a reference', () => {
    const upload = doc.components.schemas.UploadResult as { properties: Record<string, unknown> };
    expect(upload.properties.receipt).toEqual({ $ref: '#/components/schemas/Receipt' });
    expect(doc.components.schemas.ContractPerformance).toMatchObject({
      required: ['contract_id', 'as_of', 'mart', 'rows'],
    });
    expect(doc.components.schemas.QueryResult).toMatchObject({
      required: ['columns', 'rows', 'engine', 'scanned_bytes', 'truncated'],
    });
  });

  it('the contracts, performance (true and suppressed) and query answers are in those shapes', async () => {
    const get = async (who: 'acme-user' | 'comm', path: string) =>
      (await f.app.request(path, { headers: await f.as(who, '/api/') })).json();
    const { contracts } = (await get('acme-user', '/api/contracts')) as { contracts: unknown[] };
    expect(contracts.length).toBeGreaterThan(0);
    for (const contract of contracts) contractShape.strict().parse(contract);
    const own = contractPerformanceShape
      .strict()
      .parse(await get('acme-user', '/api/contracts/plp-test/performance'));
    expect(own.mart).toBe('performance');
    expect(own.rows.length).toBeGreaterThan(0);
    const suppressed = contractPerformanceShape
      .strict()
      .parse(await get('comm', '/api/contracts/plp-test/performance'));
    expect(suppressed.mart).toBe('suppressed_performance');
    const query = await f.app.request('/api/analytics/query', {
      method: 'POST',
      headers: { ...(await f.as('comm', '/api/')), 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT contract_id FROM suppressed_performance', params: [] }),
    });
    expect(query.status).toBe(200);
    const result = queryResultShape.strict().parse(await query.json());
    expect(result.engine).toBe('duckdb');
  });

  it('an upload answers in the UploadResult shape: accepted, sent again, rejected', async () => {
    const send = async (csv: string) => {
      const body = new FormData();
      body.append('file', new File([csv], 'return.csv', { type: 'text/csv' }));
      body.append('contract', 'plp-test');
      body.append('period', '2025-02');
      const res = await f.app.request('/api/returns', {
        method: 'POST',
        body,
        headers: await f.as('acme-user', '/api/'),
      });
      return { status: res.status, body: uploadResultShape.strict().parse(await res.json()) };
    };
    const csv = csvOf(participants(6));
    const accepted = await send(csv);
    expect([accepted.status, accepted.body.outcome]).toEqual([201, 'in_force']);
    const again = await send(csv);
    expect([again.status, again.body.duplicate]).toEqual([200, true]);
    const rejected = await send('not,a,return\n1,2,3\n');
    expect([rejected.status, rejected.body.outcome]).toEqual([422, 'rejected']);
  }, 60_000);
});
