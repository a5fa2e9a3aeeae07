/**
 * dbt-style tests on each built table: the columns and types the model declares, and the
 * tests declared on them (not null, unique, accepted values, bounds, unique key). A failure
 * stops the build, so a wrong table is never switched in.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../duckdb/open.js';
import type { Model } from './model.js';

export interface TestFailure {
  model: string;
  test: string;
  column: string | null;
  /** Rows that break it (or a description of the mismatch). */
  detail: string;
}

async function count(connection: DuckDBConnection, sql: string): Promise<number> {
  const r = await connection.runAndReadAll(sql);
  return Number(r.getRows()[0]?.[0] ?? 0);
}

/** The table's columns and types must be exactly the model's, in order. */
export async function checkColumns(
  connection: DuckDBConnection,
  model: Model,
): Promise<TestFailure[]> {
  const r = await connection.runAndReadAll(`DESCRIBE ${sqlIdent(model.name)}`);
  const actual = r.getRowObjects().map((row) => `${row.column_name} ${row.column_type}`);
  const declared = model.columns.map((c) => `${c.name} ${c.type}`);
  if (actual.join(',') === declared.join(',')) return [];
  const missing = declared.filter((d) => !actual.includes(d));
  const extra = actual.filter((a) => !declared.includes(a));
  return [
    {
      model: model.name,
      test: 'columns',
      column: null,
      detail: `declared but not produced: [${missing.join(', ')}]; produced but not declared: [${extra.join(', ')}]`,
    },
  ];
}

export async function runDataTests(
  connection: DuckDBConnection,
  model: Model,
): Promise<TestFailure[]> {
  const failures: TestFailure[] = [];
  const table = sqlIdent(model.name);
  const fail = (test: string, column: string | null, n: number, what: string) => {
    if (n > 0)
      failures.push({
        model: model.name,
        test,
        column,
        detail: `${n} row${n === 1 ? '' : 's'} ${what}`,
      });
  };
  // The row tests (not null, accepted values, bounds) in one scan of the table: a count per
  // test, in the order declared; uniqueness needs its own grouping, one query each.
  const rowTests: { test: string; column: string; where: string; what: string }[] = [];
  const uniqueColumns: string[] = [];
  for (const c of model.columns) {
    const col = sqlIdent(c.name);
    for (const t of c.tests ?? []) {
      if (t === 'not_null')
        rowTests.push({
          test: 'not_null',
          column: c.name,
          where: `${col} IS NULL`,
          what: 'are null',
        });
      else if (t === 'unique') uniqueColumns.push(c.name);
      else if ('accepted_values' in t)
        rowTests.push({
          test: 'accepted_values',
          column: c.name,
          where: `${col} IS NOT NULL AND ${col}::VARCHAR NOT IN (${t.accepted_values.map(sqlString).join(', ')})`,
          what: 'have a value not accepted',
        });
      else if ('min' in t)
        rowTests.push({
          test: 'min',
          column: c.name,
          where: `${col} < ${t.min}`,
          what: `are below ${t.min}`,
        });
      else if ('max' in t)
        rowTests.push({
          test: 'max',
          column: c.name,
          where: `${col} > ${t.max}`,
          what: `are above ${t.max}`,
        });
    }
  }
  if (rowTests.length) {
    const r = await connection.runAndReadAll(
      `SELECT ${rowTests.map((t) => `count(*) FILTER (WHERE ${t.where})`).join(', ')} FROM ${table}`,
    );
    const counts = r.getRows()[0] ?? [];
    rowTests.forEach((t, i) => fail(t.test, t.column, Number(counts[i] ?? 0), t.what));
  }
  for (const name of uniqueColumns) {
    const col = sqlIdent(name);
    fail(
      'unique',
      name,
      await count(
        connection,
        `SELECT count(*) FROM (SELECT ${col} FROM ${table} WHERE ${col} IS NOT NULL GROUP BY 1 HAVING count(*) > 1)`,
      ),
      'are repeated',
    );
  }
  if (model.uniqueKey?.length) {
    const key = model.uniqueKey.map(sqlIdent).join(', ');
    fail(
      'unique_key',
      model.uniqueKey.join(', '),
      await count(
        connection,
        `SELECT count(*) FROM (SELECT ${key} FROM ${table} GROUP BY ${key} HAVING count(*) > 1)`,
      ),
      'share a key',
    );
  }
  return failures;
}
