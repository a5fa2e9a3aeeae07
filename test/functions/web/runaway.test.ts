/**
 * Runaway queries over real HTTP (issue 15.3): the app served by @hono/node-server on an
 * ephemeral port, an endless recursive CTE sent to the SQL API, and the client disconnecting.
 * The query must be stopped in DuckDB, not merely forgotten: its audit entry is written only once
 * DuckDB has given the query up (an endless query that kept running would never write one), and
 * the same engine then answers at once.
 */
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../functions/web/app.js';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { NOW, SECRET, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
let server: ServerType;
let base: string;

beforeAll(async () => {
  f = await webFixture();
  const app = createApp({ store: f.pipeline.store, sessionSecret: SECRET, now: () => NOW });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const ENDLESS =
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS n FROM r';

async function ask(who: 'comm' | 'admin', sql: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${base}/api/analytics/query`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await f.token(who)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ sql }),
    ...(signal ? { signal } : {}),
  });
}

const entriesFor = async (marker: string) =>
  (await listAudit(f.pipeline.store)).filter(
    (e) => e.action === 'analytics_query' && e.detail.includes(marker),
  );

describe('a client that goes away', () => {
  it.each(['comm', 'admin'] as const)(
    'stops the query in DuckDB (%s), which then answers the next one',
    async (who) => {
      const marker = `-- runaway ${who}`;
      const client = new AbortController();
      const answer = ask(who, `${ENDLESS} ${marker}`, client.signal).catch((e: unknown) => e);
      // Leave once the server is at work on it: it has read the body and gone quiet.
      await new Promise((r) => setTimeout(r, 300));
      client.abort();
      expect(await answer).toBeInstanceOf(Error);
      // The entry is written after DuckDB returns; poll for it (the query has no other end).
      let entries = await entriesFor(marker);
      while (entries.length === 0) {
        await new Promise((r) => setTimeout(r, 50));
        entries = await entriesFor(marker);
      }
      expect(entries.map((e) => e.detail.split(';')[0])).toEqual([
        expect.stringMatching(
          /^failed on duckdb: The query was stopped because the request was closed before it finished/,
        ),
      ]);
      const next = await ask(who, 'SELECT 1 AS one');
      expect(next.status).toBe(200);
      expect(((await next.json()) as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
    },
    60_000,
  );
});
