/**
 * Page query results kept per build and scope (pipelines/transform/result-cache.ts), over a real
 * DuckDB connection: a repeated query does not run again, and nothing crosses a build or a scope.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { curatedDb, type CuratedDb } from '../../../pipelines/transform/query.js';
import { rememberResults } from '../../../pipelines/transform/result-cache.js';
import type { BuildManifest } from '../../../pipelines/transform/curated.js';

const manifest = (buildId: string): BuildManifest => ({
  build_id: buildId,
  built_at: '2025-06-01T00:00:00.000Z',
  as_of: '2025-06-01',
  scope: 'full',
  previous_build: null,
  models: {},
});

const open: DuckDBInstance[] = [];
afterEach(() => {
  for (const instance of open.splice(0)) instance.closeSync();
});

/** A handle over a fresh DuckDB with a `t` table, counting the queries that reach it. */
async function db(
  buildId: string,
): Promise<{ db: CuratedDb; ran: string[]; set: (n: number) => Promise<void> }> {
  const { instance, connection } = await openDuckDb({ memoryLimit: '64MB', threads: 1 });
  open.push(instance);
  await connection.run('create table t (n integer)');
  const inner = curatedDb(manifest(buildId), connection, () => undefined);
  const ran: string[] = [];
  return {
    ran,
    set: async (n) => {
      await connection.run('delete from t');
      await connection.run(`insert into t values (${n})`);
    },
    db: {
      ...inner,
      query: (sql, params) => {
        ran.push(sql);
        return inner.query(sql, params);
      },
    },
  };
}

// A unique build id per test, since the kept results are shared by the process.
let n = 0;
const build = () => `build-${process.pid}-${++n}`;

describe('results kept per build', () => {
  it('answers a repeated query with the same parameters from the first run, rows frozen', async () => {
    const { db: inner, ran, set } = await db(build());
    await set(1);
    const kept = rememberResults(inner, 'full');
    const first = await kept.query('select n + $k as v from t', { k: 1 });
    await set(5); // the marts of a build never change; here the change shows the second run never happened
    const again = await kept.query('select n + $k as v from t', { k: 1 });
    expect(again).toBe(first);
    expect(first.rows).toEqual([{ v: 2 }]);
    expect(ran).toHaveLength(1);
    expect(Object.isFrozen(first.rows[0])).toBe(true);
    expect(() => {
      (first.rows as Record<string, unknown>[]).push({});
    }).toThrow();
    // Other parameters are another query.
    expect((await kept.query('select n + $k as v from t', { k: 2 })).rows).toEqual([{ v: 7 }]);
    expect(ran).toHaveLength(2);
  });

  it('never serves one scope’s or one build’s rows to another', async () => {
    const id = build();
    const a = await db(id);
    const b = await db(id);
    await a.set(1);
    await b.set(2);
    const sql = 'select n from t';
    expect((await rememberResults(a.db, 'restricted|aaa').query(sql)).rows).toEqual([{ n: 1 }]);
    expect((await rememberResults(b.db, 'restricted|bbb').query(sql)).rows).toEqual([{ n: 2 }]);
    const later = await db(build());
    await later.set(3);
    expect((await rememberResults(later.db, 'restricted|aaa').query(sql)).rows).toEqual([{ n: 3 }]);
  });

  it('does not keep a query that failed', async () => {
    const { db: inner, ran } = await db(build());
    const kept = rememberResults(inner, 'full');
    await expect(kept.query('select missing from t')).rejects.toThrow();
    await expect(kept.query('select missing from t')).rejects.toThrow();
    expect(ran).toHaveLength(2);
  });
});
