/** The local engine over real marts built by the real pipeline (test/fixtures/pipeline.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsError } from '../../../pipelines/analytics/engine.js';
import { LocalEngine, unqualify } from '../../../pipelines/analytics/local.js';
import { savedQueries } from '../../../pipelines/analytics/saved-queries.js';
import { EXPORTED_MART_NAMES } from '../../../pipelines/analytics/tables.js';
import { checkAthenaSql } from '../../../pipelines/analytics/trino-dialect.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participants } from '../../fixtures/returns.js';

let pipeline: PipelineFixture;
let engine: LocalEngine;

beforeAll(async () => {
  pipeline = await pipelineWith(testReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
  ]);
  engine = new LocalEngine(pipeline.store);
}, 120_000);

/** Runs a query only after the checker has passed it, as the routes do. */
async function run(sql: string, params: (string | number)[] = [], maxRows = 100) {
  expect(checkAthenaSql(sql, { tables: EXPORTED_MART_NAMES, database: 'outturn' }), sql).toEqual(
    [],
  );
  return engine.run(sql, params, maxRows);
}

describe('LocalEngine', () => {
  // The saved queries the stack puts in the Athena workgroup run here too, over real marts:
  // a column renamed in a model breaks this test, not an analyst's first morning in Athena.
  it.each(savedQueries.map((q) => [q.name, q.sql] as const))(
    'runs the saved query %s',
    async (_name, sql) => {
      const result = await run(sql, [], 1000);
      expect(result.columns.length).toBeGreaterThan(0);
    },
  );

  it('runs a query over the marts with ? parameters, typed the Athena way', async () => {
    const result = await run(
      'SELECT contract_id, period, count(*) AS n, sum(profile) AS profile FROM performance WHERE contract_id = ? AND period = ? GROUP BY contract_id, period',
      ['plp-test', '2025-01'],
    );
    expect(result.engine).toBe('duckdb');
    expect(result.scannedBytes).toBeUndefined();
    expect(result.columns).toEqual([
      { name: 'contract_id', type: 'varchar' },
      { name: 'period', type: 'varchar' },
      { name: 'n', type: 'bigint' },
      { name: 'profile', type: 'bigint' },
    ]);
    expect(result.rows).toHaveLength(1);
    // count(*) is a BIGINT, which DuckDB's JSON gives as text: here it is a number, as from Athena.
    expect(result.rows[0]).toMatchObject({
      contract_id: 'plp-test',
      period: '2025-01',
      n: expect.any(Number),
    });
  });

  it('reads the suppressed copy as commissioners would', async () => {
    const { rows } = await run(
      "SELECT measure_id, actual, actual_display FROM suppressed_performance WHERE contract_id = 'plp-test' AND period = '2025-01' ORDER BY measure_id",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) if (r.actual === null) expect(r.actual_display).toBe('[c]');
  });

  it('accepts tables qualified with the database, as in Athena', async () => {
    const plain = await run('SELECT count(*) AS n FROM performance');
    const qualified = await run(
      'SELECT count(*) AS n FROM "outturn"."performance" p JOIN outturn.suppressed_performance s ON s.contract_id = p.contract_id AND s.period = p.period AND s.measure_id = p.measure_id',
    );
    expect(qualified.rows[0]!.n).toBe(plain.rows[0]!.n);
  });

  it('runs the Trino functions DuckDB lacks, through macros', async () => {
    const { rows } = await run(
      "SELECT approx_percentile(profile, 0.5) AS mid, array_join(array_agg(DISTINCT contract_id), ',') AS ids, regexp_like(max(period), '^2025') AS y2025, date_diff('day', DATE '2025-01-01', DATE '2025-02-01') AS days FROM performance",
    );
    expect(rows[0]).toMatchObject({
      ids: 'plp-test',
      y2025: true,
      days: 31,
      mid: expect.any(Number),
    });
  });

  it('cuts the result at maxRows and says so', async () => {
    const all = await run('SELECT * FROM performance');
    expect(all.rows.length).toBeGreaterThan(2);
    const two = await run('SELECT * FROM performance ORDER BY period, measure_id', [], 2);
    expect(two.rows).toHaveLength(2);
    expect(two.truncated).toBe(true);
  });

  it('gives a repeated column name a suffix, so no value is lost', async () => {
    const { columns, rows } = await run("SELECT 'a' AS x, 'b' AS x");
    expect(columns.map((c) => c.name)).toEqual(['x', 'x_2']);
    expect(rows).toEqual([{ x: 'a', x_2: 'b' }]);
  });

  it('says what DuckDB could not do, for the analyst to fix', async () => {
    const error = (await run('SELECT no_such_column FROM performance').catch(
      (e: unknown) => e,
    )) as AnalyticsError;
    expect(error).toBeInstanceOf(AnalyticsError);
    expect(error.kind).toBe('failed');
    expect(error.message).toMatch(/no_such_column.*Change the query/);
  });

  it('refuses a parameter count that does not match the ? marks', async () => {
    await expect(
      engine.run('SELECT * FROM performance WHERE contract_id = ?', [], 10),
    ).rejects.toThrow(/1 \? parameter but 0 values were given/);
  });

  it('says there is nothing to query before the first build', async () => {
    const empty = await pipelineWith(testReference());
    const error = (await new LocalEngine(empty.store)
      .run('SELECT 1 AS one', [], 10)
      .catch((e: unknown) => e)) as AnalyticsError;
    expect(error.kind).toBe('no-data');
  });
});

describe('unqualify', () => {
  it('takes the database off table names only where it qualifies them, never inside strings', () => {
    expect(
      unqualify(
        `SELECT 'outturn.performance' AS s FROM "outturn"."performance" JOIN outturn.suppressed_outcomes o ON true`,
        'outturn',
      ),
    ).toBe(
      `SELECT 'outturn.performance' AS s FROM "performance" JOIN suppressed_outcomes o ON true`,
    );
  });
});
