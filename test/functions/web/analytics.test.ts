/**
 * Ad-hoc analytics in the web app: the page and the API per role, the CSV download, the audit
 * entries, and the app wired to Athena (a fake client: there is no local Athena).
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import type { AthenaCommand, AthenaSender } from '../../../pipelines/analytics/athena.js';
import { PUBLISHABLE_TABLES } from '../../../reports/publish/publish.js';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { checkAthenaSql } from '../../../pipelines/analytics/trino-dialect.js';
import { NOW, SECRET, webFixture, type WebFixture, type Who } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
}, 120_000);

async function page(who: Who, sql: string, extra: Record<string, string> = {}) {
  return f.app.request('/analytics', {
    method: 'POST',
    headers: await f.as(who, '/analytics'),
    body: new URLSearchParams({ sql, params: '', ...extra }),
  });
}

async function api(who: Who, body: unknown, app = f.app) {
  return app.request('/api/analytics/query', {
    method: 'POST',
    headers: { ...(await f.as(who, '/api/')), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const analyticsEntries = async () =>
  (await listAudit(f.pipeline.store)).filter((e) => e.action === 'analytics_query');

describe('GET /analytics', () => {
  it('providers are refused with a page saying where their figures are', async () => {
    const res = await f.app.request('/analytics', {
      headers: await f.as('acme-user', '/analytics'),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(
      /Ad-hoc queries are for commissioners, contract managers and administrators/,
    );
  });

  it('a commissioner sees only the suppressed tables, with their columns, a form and examples', async () => {
    const res = await f.app.request('/analytics', { headers: await f.as('comm', '/analytics') });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const t of PUBLISHABLE_TABLES) expect(text).toContain(`<code>${t}</code>`);
    expect(text).not.toContain('<code>performance</code>');
    expect(text).toContain('<code>actual_display</code>');
    expect(text).toContain('<textarea class="govuk-textarea');
    expect(text).toContain('Example queries');
  });

  it('the home page links to it for those who may query, and not for providers', async () => {
    const home = async (who: Who) =>
      (await f.app.request('/', { headers: await f.as(who, '/') })).text();
    expect(await home('comm')).toContain('href="/analytics"');
    expect(await home('cm-north')).toContain('href="/analytics"');
    expect(await home('acme-user')).not.toContain('href="/analytics"');
  });

  it('an admin sees every mart, true figures included', async () => {
    const text = await (
      await f.app.request('/analytics', { headers: await f.as('admin', '/analytics') })
    ).text();
    expect(text).toContain('<code>performance</code>');
    expect(text).toContain('<code>payments</code>');
    expect(text).not.toContain('<code>stg_participants</code>');
  });

  it('every example query on the page passes the checker and runs for the caller', async () => {
    for (const who of ['comm', 'admin'] as const) {
      const text = await (
        await f.app.request('/analytics', { headers: await f.as(who, '/analytics') })
      ).text();
      const examples = [
        ...text.matchAll(
          /<pre class="govuk-body govuk-!-font-family-monospace"><code>([\s\S]*?)<\/code><\/pre>/g,
        ),
      ].map((m) => m[1]!.replaceAll('&#39;', "'").replaceAll('&apos;', "'"));
      expect(examples.length).toBeGreaterThan(0);
      for (const sql of examples) {
        expect(checkAthenaSql(sql), sql).toEqual([]);
        expect((await page(who, sql)).status, `${who}: ${sql}`).toBe(200);
      }
    }
  });
});

describe('POST /analytics', () => {
  it('runs the query and shows the rows, and a button to download them', async () => {
    const res = await page(
      'comm',
      "SELECT contract_id, period, measure_id, actual_display FROM suppressed_performance WHERE contract_id = 'plp-test' ORDER BY measure_id",
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/\d+ rows?/);
    expect(text).toContain('Rows of the result');
    expect(text).toContain('plp-test');
    expect(text).toContain('Run over the local marts (DuckDB)');
    expect(text).toContain('Download the result as CSV');
  });

  it('a commissioner asking for a true-count table is refused, told which tables they may use', async () => {
    const res = await page('comm', 'SELECT contract_id, actual FROM performance');
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('govuk-error-summary');
    expect(text).toContain('You may not query performance');
    expect(text).toContain(
      `Use one of the tables you may query: ${PUBLISHABLE_TABLES.join(', ')}.`,
    );
    // The query stays in the box, to be changed.
    expect(text).toContain('SELECT contract_id, actual FROM performance</textarea>');
  });

  it('a contract manager is held to the suppressed tables too; an admin reads the true figures', async () => {
    expect((await page('cm-north', 'SELECT * FROM performance')).status).toBe(403);
    const res = await page(
      'admin',
      "SELECT contract_id, actual FROM performance WHERE contract_id = 'plp-test'",
    );
    expect(res.status).toBe(200);
  });

  it('dialect problems are listed in an error summary, each with what to write instead', async () => {
    const res = await page(
      'admin',
      "SELECT actual::double, `period` FROM performance WHERE measure_id ILIKE 'x%';",
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('There is a problem');
    expect(text).toContain('Write CAST(actual AS double).');
    expect(text).toContain('Write &quot;period&quot; in double quotes.');
    expect(text).toMatch(/lower\(x\) LIKE/);
    expect(text).toContain('Remove the ; at the end.');
    expect(text).toContain('href="#sql"');
  });

  it('the values for ? come one a line', async () => {
    const res = await page(
      'comm',
      'SELECT count(*) AS n FROM suppressed_performance WHERE contract_id = ? AND period = ?',
      { params: 'plp-test\r\n2025-01\r\n' },
    );
    expect(res.status).toBe(200);
  });

  it('downloads the result as CSV, with the column names as headings', async () => {
    const res = await page(
      'comm',
      "SELECT contract_id, period, measure_id FROM suppressed_performance WHERE contract_id = 'plp-test' ORDER BY measure_id",
      { download: 'csv' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="outturn-query.csv"');
    const text = new TextDecoder().decode(await res.arrayBuffer());
    const [head, first] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(head).toBe('contract_id,period,measure_id');
    expect(first).toMatch(/^plp-test,\d{4}-\d\d,\w+$/);
  });

  it('a download is refused as the page is', async () => {
    expect((await page('comm', 'SELECT * FROM performance', { download: 'csv' })).status).toBe(403);
  });
});

describe('POST /api/analytics/query', () => {
  it('answers the columns, rows and engine; a contract manager’s rows are their portfolio’s', async () => {
    const res = await api('cm-north', {
      sql: 'SELECT contract_id, count(*) AS n FROM suppressed_performance WHERE period = ? GROUP BY contract_id ORDER BY contract_id',
      params: ['2025-01'],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      columns: unknown;
      rows: { contract_id: string; n: number }[];
      engine: string;
      scanned_bytes: unknown;
      truncated: boolean;
    };
    expect(body.columns).toEqual([
      { name: 'contract_id', type: 'varchar' },
      { name: 'n', type: 'bigint' },
    ]);
    // vrs-south is in portfolio south: its rows are not in cm-north's engine at all.
    expect(body.rows.map((r) => r.contract_id)).toEqual(['plp-test']);
    expect(body.rows.every((r) => typeof r.n === 'number')).toBe(true);
    expect(body).toMatchObject({ engine: 'duckdb', scanned_bytes: null, truncated: false });
  });

  it('400 with each problem and its fix', async () => {
    const res = await api('admin', {
      sql: "SELECT strftime(period, '%Y') FROM performance WHERE contract_id = $1",
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; problems: { rule: string; fix: string }[] };
    expect(body.error).toMatch(/^Change the query before it can run/);
    expect(body.problems.map((p) => p.rule)).toEqual(['duckdb-function', 'parameters']);
  });

  it('403 for a table the caller may not read, and for providers', async () => {
    const refused = await api('comm', { sql: 'SELECT * FROM "outturn"."outcomes"' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /You may not query outcomes.*suppressed_outcomes/,
    );
    expect((await api('north-user', { sql: 'SELECT * FROM suppressed_performance' })).status).toBe(
      403,
    );
  });

  it('400 for a body that is not the JSON asked for, or a parameter count that does not match', async () => {
    const notJson = await f.app.request('/api/analytics/query', {
      method: 'POST',
      headers: await f.as('admin', '/api/'),
      body: 'sql=SELECT 1',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/JSON/);
    expect((await api('admin', { query: 'SELECT 1' })).status).toBe(400);
    const params = await api('admin', {
      sql: 'SELECT * FROM performance WHERE contract_id = ?',
      params: [],
    });
    expect(params.status).toBe(400);
    expect(((await params.json()) as { error: string }).error).toMatch(
      /1 \? parameter but 0 values/,
    );
  });

  it('400 with DuckDB’s reason for a query that cannot run', async () => {
    const res = await api('admin', { sql: 'SELECT no_such_column FROM performance' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/no_such_column/);
  });
});

describe('the audit log', () => {
  it('records each query run, failed or refused: who, the SQL, rows and bytes scanned', async () => {
    // Every entry here is at the same instant, so they are found by a marker in the SQL, not by order.
    await api('comm', {
      sql: "SELECT contract_id FROM suppressed_performance WHERE contract_id = 'plp-test' -- audit-test",
    });
    await api('comm', { sql: 'SELECT * FROM performance -- audit-test' });
    await api('admin', { sql: 'SELECT nope FROM performance -- audit-test' });
    // A dialect problem stops the query before it is run: nothing to record.
    await api('admin', { sql: 'SELECT 1; -- audit-test' });
    const added = (await analyticsEntries())
      .filter((e) => e.detail.includes('audit-test'))
      .sort((a, b) => a.detail.localeCompare(b.detail));
    expect(added.map((e) => [e.who, e.detail.split(';')[0]])).toEqual([
      [
        'admin',
        expect.stringMatching(
          /^failed on duckdb: The query could not be run: Binder Error: .*"nope"/,
        ),
      ],
      ['comm', expect.stringMatching(/^ran on duckdb: \d+ rows?$/)],
      [
        'comm',
        'refused on duckdb: You may not query performance: it holds figures you are not allowed to see.',
      ],
    ]);
    expect(added[1]!.detail).toContain(
      "SQL: SELECT contract_id FROM suppressed_performance WHERE contract_id = 'plp-test' -- audit-test",
    );
    expect(added[1]!.at).toBe(NOW.toISOString());
  });
});

describe('the app wired to Athena', () => {
  /** A fake Athena that answers one row for any query (no local Athena exists), recording what it was sent. */
  class OneRowAthena implements AthenaSender {
    readonly sent: AthenaCommand[] = [];
    async send(command: AthenaCommand): Promise<unknown> {
      this.sent.push(command);
      if (command instanceof StartQueryExecutionCommand) return { QueryExecutionId: 'qe-web' };
      if (command instanceof GetQueryExecutionCommand)
        return {
          QueryExecution: {
            Status: { State: 'SUCCEEDED' },
            Statistics: { DataScannedInBytes: 2048 },
          },
        };
      if (command instanceof GetQueryResultsCommand)
        return {
          ResultSet: {
            ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
            Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '42' }] }],
          },
        };
      throw new Error('unexpected command');
    }
  }

  it('runs an admin’s query in Athena, in the configured workgroup and database, and records the bytes scanned', async () => {
    const fake = new OneRowAthena();
    const app = createApp({
      store: f.pipeline.store,
      sessionSecret: SECRET,
      now: () => NOW,
      athena: {
        workgroup: 'wg',
        database: 'outturn_glue',
        client: fake,
        sleep: async () => undefined,
      },
    });
    const res = await api(
      'admin',
      {
        sql: 'SELECT count(*) AS n FROM "outturn_glue"."suppressed_performance" WHERE period = ?',
        params: ['2025-01'],
      },
      app,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      columns: [{ name: 'n', type: 'bigint' }],
      rows: [{ n: 42 }],
      engine: 'athena',
      scanned_bytes: 2048,
      truncated: false,
      query_execution_id: 'qe-web',
    });
    const start = fake.sent.find(
      (c): c is StartQueryExecutionCommand => c instanceof StartQueryExecutionCommand,
    )!;
    expect(start.input).toMatchObject({
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'outturn_glue' },
      ExecutionParameters: ["'2025-01'"],
    });
    expect(
      checkAthenaSql(start.input.QueryString!, {
        tables: [...PUBLISHABLE_TABLES],
        database: 'outturn_glue',
      }),
    ).toEqual([]);
    expect(start.input.QueryString).toMatch(/^SELECT count\(\*\) AS n FROM "outturn_glue"/);
    const [entry] = (await analyticsEntries()).filter((e) => e.target === 'qe-web');
    expect(entry!.detail).toMatch(
      /^ran on athena: 1 row, 2048 bytes scanned; params \["2025-01"\]; SQL: SELECT count/,
    );

    // The page says how much Athena read; a refused table never reaches Athena.
    const shown = await app.request('/analytics', {
      method: 'POST',
      headers: await f.as('admin', '/analytics'),
      body: new URLSearchParams({
        sql: 'SELECT count(*) AS n FROM suppressed_performance',
        params: '',
      }),
    });
    expect(await shown.text()).toContain('Athena read 2 KB to answer this query.');
    const sent = fake.sent.length;
    expect((await api('comm', { sql: 'SELECT * FROM performance' }, app)).status).toBe(403);
    expect(fake.sent.length).toBe(sent);

    // A commissioner's query never reaches Athena, whose database holds every programme: it runs
    // in the restricted engine for their scope (ADR 020), here as in AWS.
    const comm = await api(
      'comm',
      {
        sql: 'SELECT count(*) AS n FROM suppressed_performance WHERE period = ?',
        params: ['2025-01'],
      },
      app,
    );
    expect(comm.status).toBe(200);
    expect(((await comm.json()) as { engine: string }).engine).toBe('duckdb');
    expect(fake.sent.length).toBe(sent);
  });
});
