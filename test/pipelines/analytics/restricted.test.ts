/**
 * The restricted engine over real marts built by the real pipeline: what it holds, what it can
 * reach (nothing), how it is shared and retired, and the limits every ad-hoc query runs under.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsError } from '../../../pipelines/analytics/engine.js';
import { LocalEngine } from '../../../pipelines/analytics/local.js';
import {
  openRestricted,
  openRestrictedBuilds,
  openRestrictedCount,
  reopenScopesInUse,
  RESTRICTED_MEMORY_LIMIT,
  scopeKey,
  scopePredicate,
  type RestrictedScope,
} from '../../../pipelines/analytics/restricted.js';
import { PUBLISHABLE_TABLES } from '../../../pipelines/analytics/tables.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import type { Model } from '../../../pipelines/transform/model.js';
import { checkModelRules, models, publishedModels } from '../../../pipelines/transform/registry.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participants } from '../../fixtures/returns.js';
import { webReference } from '../../functions/web/fixture.js';

let pipeline: PipelineFixture;
const scopeOf = (p: PipelineFixture, ids: string[]): RestrictedScope => ({
  contracts: p.reference.contracts
    .filter((c) => ids.includes(c.id))
    .map((c) => ({ id: c.id, programme_id: c.programme_id, provider_id: c.provider_id })),
});
let plpOnly: RestrictedScope;

beforeAll(async () => {
  pipeline = await pipelineWith(webReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    { contractId: 'vrs-south', period: '2025-01', rows: participants(3) },
  ]);
  plpOnly = scopeOf(pipeline, ['plp-test']);
}, 120_000);

async function rows(scope: RestrictedScope, sql: string): Promise<Record<string, unknown>[]> {
  const db = await openRestricted(pipeline.store, scope);
  try {
    return (await db.query(sql)).rows;
  } finally {
    db.close();
  }
}

async function refusal(scope: RestrictedScope, sql: string): Promise<string> {
  const db = await openRestricted(pipeline.store, scope);
  try {
    await db.connection.run(sql);
    return 'ran';
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

describe('what the restricted engine holds', () => {
  it('the published tables and nothing else: no true-count mart, no staging', async () => {
    const names = (await rows(plpOnly, 'select table_name from duckdb_tables()')).map(
      (r) => r.table_name,
    );
    expect([...names].sort()).toEqual([...PUBLISHABLE_TABLES].sort());
    expect(PUBLISHABLE_TABLES).toEqual(publishedModels().map((m) => m.name));
    expect(
      await rows(plpOnly, 'select count(*)::integer as n from duckdb_views() where not internal'),
    ).toEqual([{ n: 0 }]);
  });

  it('only the scope’s rows: another contract’s and another programme’s are not copied in', async () => {
    const everyone = scopeOf(pipeline, ['plp-test', 'vrs-test', 'agg-test', 'vrs-south']);
    const all = await rows(
      everyone,
      'select distinct contract_id from suppressed_performance order by 1',
    );
    // The positive control: with both in scope, both contracts are there.
    expect(all.map((r) => r.contract_id)).toEqual(['plp-test', 'vrs-south']);
    for (const table of ['suppressed_performance', 'suppressed_outcomes', 'suppressed_costs']) {
      const found = await rows(plpOnly, `select distinct contract_id, programme_id from ${table}`);
      expect(found.length, table).toBeGreaterThan(0);
      expect(found, table).toEqual(
        found.filter((r) => r.contract_id === 'plp-test' && r.programme_id === 'plp'),
      );
    }
    const timeliness = await rows(
      plpOnly,
      'select distinct programme_id, provider_id from provider_timeliness',
    );
    expect(timeliness).toEqual([{ programme_id: 'plp', provider_id: 'acme' }]);
  });

  it('an empty scope holds the tables with no rows', async () => {
    const none = await rows(
      { contracts: [] },
      'select count(*)::integer as n from suppressed_performance',
    );
    expect(none).toEqual([{ n: 0 }]);
  });

  it('holds a published table to the scope by contract, programme and provider, whichever it has', () => {
    const cols = (...names: string[]) =>
      names.map((name) => ({ name, type: 'VARCHAR' as const, description: '' }));
    expect(scopePredicate({ name: 'x', columns: cols('contract_id', 'programme_id') })).toBe(
      'exists (select 1 from reader_scope s where s.id = t."contract_id" and s.programme_id = t."programme_id")',
    );
    expect(scopePredicate({ name: 'x', columns: cols('provider_id', 'programme_id') })).toMatch(
      /s\.programme_id = t\."programme_id" and s\.provider_id = t\."provider_id"/,
    );
    expect(() => scopePredicate({ name: 'by_provider', columns: cols('provider_id') })).toThrow(
      /neither a contract_id nor a programme_id/,
    );
  });

  it('a published model that cannot be scoped is refused by the model rules', () => {
    const unscoped: Model = {
      name: 'suppressed_national',
      layer: 'suppressed',
      partition: 'global',
      description: 'A national total',
      sql: 'select 1 as n',
      columns: [{ name: 'n', type: 'INTEGER', description: 'n' }],
    };
    expect(checkModelRules([...models, unscoped])).toContain(
      "suppressed_national is published but has neither a contract_id nor a programme_id column, so its rows cannot be held to a commissioner's programmes",
    );
    expect(checkModelRules()).toEqual([]);
    // A new model in the suppressed layer is published without saying so.
    expect(
      publishedModels([
        ...models,
        { ...unscoped, columns: [{ name: 'programme_id', type: 'VARCHAR', description: '' }] },
      ]).map((m) => m.name),
    ).toContain('suppressed_national');
  });
});

describe('what the restricted engine can reach: nothing outside itself', () => {
  it('no file, directory, database, extension or setting, whatever the SQL', async () => {
    const manifest = (await readCurrentManifest(pipeline.store))!;
    const trueMart = join(pipeline.dir, manifest.models.performance!.files['plp-test']!);
    const published = join(
      pipeline.dir,
      manifest.models.suppressed_performance!.files['vrs-south']!,
    );
    const out = join(pipeline.dir, 'leaked.csv');
    const attempts = [
      `select * from read_parquet('${trueMart}')`,
      `select * from read_parquet('${published}')`,
      `select * from '${trueMart}'`,
      `select * from glob('${pipeline.dir}/*')`,
      `select * from read_text('/etc/passwd')`,
      `select * from read_csv('/etc/passwd')`,
      `select * from parquet_metadata('${trueMart}')`,
      `copy suppressed_costs to '${out}'`,
      `attach '${join(pipeline.dir, 'x.duckdb')}' as x`,
      `export database '${join(pipeline.dir, 'export')}'`,
      'install httpfs',
      'load httpfs',
      'set enable_external_access = true',
      "set memory_limit = '8GB'",
      "set disabled_filesystems = ''",
      "set allowed_directories = ['/']",
      'reset lock_configuration',
    ];
    for (const sql of attempts)
      expect(await refusal(plpOnly, sql), sql).toMatch(
        /disabled by configuration|configuration has been locked|Loading external extensions is disabled|Cannot change|Permission Error/,
      );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(pipeline.dir, 'x.duckdb'))).toBe(false);
    expect(
      await rows(
        plpOnly,
        "select current_setting('enable_external_access') as external, current_setting('lock_configuration') as locked",
      ),
    ).toEqual([{ external: false, locked: true }]);
  });
});

describe('one instance per build and scope', () => {
  it('is shared by every caller with the same scope, whatever the order of its contracts', async () => {
    const twoWays = scopeOf(pipeline, ['plp-test', 'vrs-south']);
    const reversed = { contracts: [...twoWays.contracts].reverse() };
    expect(scopeKey(reversed)).toBe(scopeKey(twoWays));
    const before = openRestrictedCount(pipeline.store);
    const [a, b] = [
      await openRestricted(pipeline.store, twoWays),
      await openRestricted(pipeline.store, reversed),
    ];
    expect(openRestrictedCount(pipeline.store)).toBe(before + 1);
    a.close();
    b.close();
  });

  it('a new build retires the old instances; a handle still open keeps working until closed', async () => {
    const p = await pipelineWith(webReference(), [
      { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    ]);
    const scope = scopeOf(p, ['plp-test']);
    const old = await openRestricted(p.store, scope);
    const oldBuild = old.manifest.build_id;
    await p.ingest([{ contractId: 'plp-test', period: '2025-02', rows: participants(8) }]);
    await p.build('2026-11-27');
    const fresh = await openRestricted(p.store, scope);
    expect(fresh.manifest.build_id).not.toBe(oldBuild);
    expect(openRestrictedCount(p.store)).toBe(1);
    expect(
      (await old.query('select count(*)::integer as n from suppressed_performance')).rows[0]!.n,
    ).toBeGreaterThan(0);
    const periods = await fresh.query('select max(period) as p from suppressed_performance');
    expect(periods.rows).toEqual([{ p: '2025-02' }]);
    old.close();
    fresh.close();
  }, 120_000);

  it('after a switch, the scopes in use are opened again over the new build without waiting for a reader', async () => {
    const p = await pipelineWith(webReference(), [
      { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    ]);
    for (const ids of [['plp-test'], ['plp-test', 'vrs-south']])
      (await openRestricted(p.store, scopeOf(p, ids))).close();
    const first = openRestrictedBuilds(p.store);
    expect(first).toHaveLength(2);
    await p.ingest([{ contractId: 'plp-test', period: '2025-02', rows: participants(8) }]);
    await p.build('2026-11-27');
    const newBuild = (await readCurrentManifest(p.store))!.build_id;
    reopenScopesInUse(p.store, newBuild);
    // However long the machine takes: both are reopened by the call alone.
    // Wait for both: the old instances close as the new ones open, so "none is old" alone can
    // be true while only one of the two has been opened again.
    const reopened = () => {
      const builds = openRestrictedBuilds(p.store);
      return builds.length === 2 && builds.every((b) => b === newBuild);
    };
    for (let i = 0; i < 400 && !reopened(); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(openRestrictedBuilds(p.store)).toEqual([newBuild, newBuild]);
  }, 120_000);
});

describe('the limits every ad-hoc query runs under', () => {
  const restricted = (timeoutMs?: number) =>
    new LocalEngine(() => openRestricted(pipeline.store, plpOnly), {
      memoryLimit: RESTRICTED_MEMORY_LIMIT,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  const failure = (e: unknown) => e as AnalyticsError;
  const endless =
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS n FROM r';

  it('an endless recursive CTE is stopped at its deadline, and the message says so', async () => {
    const engine = restricted(300);
    const error = failure(await engine.run(endless, [], 10).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(AnalyticsError);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/took longer than 0 seconds, so it was stopped/);
    expect(engine.activeQueries).toBe(0);
    // The engine answers the next query.
    expect((await engine.run('SELECT 1 AS one', [], 10)).rows).toEqual([{ one: 1 }]);
  });

  it('a query whose client goes away is stopped in DuckDB, which is then idle', async () => {
    // No deadline within the test's time: only the client going away can stop it.
    const engine = restricted(3_600_000);
    const client = new AbortController();
    const running = engine.run(endless, [], 10, { signal: client.signal });
    // Abort once DuckDB is at work on it (the count rises when the query is handed to DuckDB).
    while (engine.activeQueries === 0) await new Promise((r) => setImmediate(r));
    client.abort();
    const error = failure(await running.catch((e: unknown) => e));
    expect(error.kind).toBe('cancelled');
    expect(error.message).toMatch(/request was closed before it finished/);
    expect(engine.activeQueries).toBe(0);
    // A signal already aborted never starts a query.
    const gone = failure(
      await engine.run('SELECT 1', [], 1, { signal: client.signal }).catch((e: unknown) => e),
    );
    expect(gone.kind).toBe('cancelled');
  });

  it('a query needing more memory than the instance has is stopped, and the message says which limit', async () => {
    const error = failure(
      await restricted()
        .run("SELECT string_agg(repeat('x', 200), ',') AS s FROM range(5000000)", [], 10)
        .catch((e: unknown) => e),
    );
    expect(error.kind).toBe('memory');
    expect(error.message).toContain(
      `more memory than one query may use (${RESTRICTED_MEMORY_LIMIT})`,
    );
  });

  it('never gives more rows than asked for, whatever LIMIT the SQL has', async () => {
    const engine = restricted();
    for (const sql of [
      'SELECT * FROM range(100000) r(x)',
      'SELECT * FROM range(100000) r(x) LIMIT ALL',
      'SELECT * FROM range(100000) r(x) LIMIT 100000',
    ]) {
      const result = await engine.run(sql, [], 25);
      expect(result.rows, sql).toHaveLength(25);
      expect(result.truncated, sql).toBe(true);
    }
  });
});
