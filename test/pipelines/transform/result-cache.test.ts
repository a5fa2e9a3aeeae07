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
  const ran: string[] = [];
  /** A handle on a connection of its own, as openCurated gives, whose queries are counted. */
  const counted = (inner: CuratedDb): CuratedDb => ({
    ...inner,
    query: (sql, params) => {
      ran.push(sql);
      return inner.query(sql, params);
    },
  });
  const fork = async (): Promise<CuratedDb> =>
    counted(curatedDb(manifest(buildId), await instance.connect(), () => undefined, fork));
  return {
    ran,
    set: async (n) => {
      await connection.run('delete from t');
      await connection.run(`insert into t values (${n})`);
    },
    db: counted(curatedDb(manifest(buildId), connection, () => undefined, fork)),
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

describe('results kept by parts (docs/decisions/043)', () => {
  /** A table of every breakdown × grain at once, as the measures pages read it. */
  async function parts(buildId: string) {
    const handle = await db(buildId);
    await handle.set(1);
    const sql = `select b || '|' || g as part, b, g, (n * k)::integer as v, case when k = 2 then null else 'x' || k end as s
                 from t, (values ('sex'), ('age')) bs(b), (values ('year'), ('quarter')) gs(g), range(1, 4) ks(k)
                 where n = $n order by b, g, k`;
    return { ...handle, sql };
  }

  it('answers every part from one query, each part as a query for it alone would give it', async () => {
    const { db: inner, ran, sql } = await parts(build());
    const kept = rememberResults(inner, 'full');
    const sex = await kept.queryPart!(sql, { n: 1 }, 'part', 'sex|year');
    const age = await kept.queryPart!(sql, { n: 1 }, 'part', 'age|quarter');
    const none = await kept.queryPart!(sql, { n: 1 }, 'part', 'religion|year');
    // The whole result, and the first part alone while it was not yet kept; then no query.
    expect(ran).toHaveLength(2);
    const alone = async (part: string) =>
      (await inner.query(`select b, g, v, s from (${sql}) where part = $part`, { n: 1, part }))
        .rows;
    expect(sex.rows).toEqual(await alone('sex|year'));
    expect(age.rows).toEqual(await alone('age|quarter'));
    expect(sex.rows).toEqual([
      { b: 'sex', g: 'year', v: 1, s: 'x1' },
      { b: 'sex', g: 'year', v: 2, s: null },
      { b: 'sex', g: 'year', v: 3, s: 'x3' },
    ]);
    expect(sex.columns).toEqual(['b', 'g', 'v', 's']);
    expect(none.rows).toEqual([]);
  });

  it('never serves one scope’s or one build’s parts to another', async () => {
    const id = build();
    const a = await parts(id);
    const b = await parts(id);
    await b.set(2);
    const asA = await rememberResults(a.db, 'restricted|aaa').queryPart!(
      a.sql,
      { n: 1 },
      'part',
      'sex|year',
    );
    // The same SQL and parameters in another scope run again, over that scope's engine.
    const asB = await rememberResults(b.db, 'restricted|bbb').queryPart!(
      b.sql,
      { n: 1 },
      'part',
      'sex|year',
    );
    expect(asA.rows).toHaveLength(3);
    expect(asB.rows).toEqual([]);
    expect(b.ran).toHaveLength(2);
    const later = await parts(build());
    await rememberResults(later.db, 'restricted|aaa').queryPart!(later.sql, { n: 1 }, 'part', 'x');
    expect(later.ran).toHaveLength(2);
  });

  it('lets the page close its handle while the whole result is still being read, on its own connection', async () => {
    const { db: inner, ran, sql } = await parts(build());
    const kept = rememberResults(inner, 'full');
    const first = await kept.queryPart!(sql, { n: 1 }, 'part', 'sex|year');
    // The page is done: its handle closes at once, though the whole result may still be on its way.
    kept.close();
    expect(first.rows).toHaveLength(3);
    // A later page (another handle) is answered from the whole result, with no query.
    const later = rememberResults((await db(inner.manifest.build_id)).db, 'full');
    const age = await later.queryPart!(sql, { n: 1 }, 'part', 'age|quarter');
    expect(age.rows.map((r) => r.v)).toEqual([1, 2, 3]);
    expect(ran).toHaveLength(2);
    await expect(kept.query('select 1 as one')).rejects.toThrow(/closed/);
  });
});

describe('a handle on the marts (curatedDb)', () => {
  it('closes its connection only once the query running on it has finished, and takes no query after', async () => {
    const { instance, connection } = await openDuckDb({ memoryLimit: '64MB', threads: 1 });
    open.push(instance);
    let released = 0;
    const handle = curatedDb(manifest(build()), connection, () => released++);
    const slow = handle.query(
      'select count(*)::integer as n from range(20000000) a(x) where x % 7 = 0',
    );
    handle.close();
    handle.close();
    expect(released).toBe(0);
    expect((await slow).rows).toEqual([{ n: 2857143 }]);
    expect(released).toBe(1);
    await expect(handle.query('select 1')).rejects.toThrow(/closed/);
    expect(released).toBe(1);
  });
});
