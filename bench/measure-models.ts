/**
 * bench/measure-models: measure_values and suppressed_measure_values, this code against an
 * earlier one, over the same participant-journey table in one process (ADR 048): each model's
 * time as a ratio to the earlier code's in the same run, and whether their rows are equal
 * (EXCEPT ALL both ways; doubles to 9 decimals, a mean being summed in another order).
 *
 *   git archive <commit> pipelines | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/
 *   npm run bench:measure-models -- --dir STORE --old /tmp/old [--contracts a,b] [--suppressed]
 *
 * STORE is a store with a build in force (the demo's, or bench/pipeline's --dir): its
 * int_participant_journeys files are read, and the contracts' start periods from its reference.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDuckDb, sqlIdent, sqlString } from '../pipelines/duckdb/open.js';
import { loadReference } from '../pipelines/ingest/reference-store.js';
import { LocalStore } from '../pipelines/store/local-store.js';
import { readCurrentManifest } from '../pipelines/transform/curated.js';
import { BUILD_MEMORY_LIMIT, BUILD_THREADS } from '../pipelines/transform/build.js';
import type { Model } from '../pipelines/transform/model.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    old: { type: 'string' },
    contracts: { type: 'string' },
    suppressed: { type: 'boolean', default: false },
  },
});
if (!values.dir || !values.old) {
  process.stderr.write(
    'usage: bench/measure-models.ts --dir STORE --old DIR [--contracts a,b] [--suppressed]\n',
  );
  process.exit(2);
}
const store = new LocalStore(values.dir);
const reference = await loadReference(store);
const manifest = await readCurrentManifest(store);
if (!manifest) throw new Error(`${values.dir} has no build in force`);
const only = values.contracts ? new Set(values.contracts.split(',')) : null;
const keys = Object.entries(manifest.models.int_participant_journeys?.files ?? {})
  .filter(([c]) => !only || only.has(c))
  .map(([, k]) => k);
const paths = await Promise.all(keys.map((k) => store.localFile(k)));
const { instance, connection } = await openDuckDb({
  memoryLimit: BUILD_MEMORY_LIMIT,
  threads: BUILD_THREADS,
  preserveInsertionOrder: false,
});

interface Code {
  renderSql: (m: Model, r: unknown) => string;
  runFixedPoint: (
    c: typeof connection,
    name: string,
    sql: string,
    loop: unknown,
  ) => Promise<unknown>;
  measureValues: Model;
  suppressedMeasureValues: Model;
}
async function code(root: string): Promise<Code> {
  const p = (f: string) => join(root, 'pipelines', f);
  return {
    ...(await import(p('transform/build.ts'))),
    ...(await import(p('transform/fixed-point.ts'))),
    ...(await import(p('transform/models/marts/measure_values.ts'))),
    ...(await import(p('transform/models/suppressed/suppressed_measure_values.ts'))),
  } as Code;
}

async function build(c: Code, model: Model, name: string): Promise<number> {
  const sql = c.renderSql(model, reference);
  const t = performance.now();
  if (model.fixedPoint) await c.runFixedPoint(connection, name, sql, model.fixedPoint);
  else await connection.run(`CREATE OR REPLACE TABLE ${sqlIdent(name)} AS ${sql}`);
  return (performance.now() - t) / 1000;
}

async function differing(a: string, b: string): Promise<[number, number, number, number]> {
  const cols = (
    await connection.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${sqlString(a)} ORDER BY ordinal_position`,
    )
  ).getRows();
  const sel = cols
    .map(([c, t]) => (t === 'DOUBLE' ? `round(${sqlIdent(String(c))}, 9)` : sqlIdent(String(c))))
    .join(', ');
  const r = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM ${a}), (SELECT count(*) FROM ${b}),
       (SELECT count(*) FROM (SELECT ${sel} FROM ${a} EXCEPT ALL SELECT ${sel} FROM ${b})),
       (SELECT count(*) FROM (SELECT ${sel} FROM ${b} EXCEPT ALL SELECT ${sel} FROM ${a}))`,
  );
  return r.getRows()[0]!.map(Number) as [number, number, number, number];
}

try {
  await connection.run(
    `CREATE TABLE int_participant_journeys AS SELECT * FROM read_parquet([${paths.map(sqlString).join(', ')}])`,
  );
  const contracts = reference.contracts
    .filter((c) => !only || only.has(c.id))
    .map((c) => `(${sqlString(c.id)}, ${sqlString(c.start_period)})`);
  await connection.run(
    `CREATE TABLE stg_contracts AS SELECT * FROM (VALUES ${contracts.join(', ')}) AS t(contract_id, start_period)`,
  );
  const people = Number(
    (
      await connection.runAndReadAll('SELECT count(*) FROM int_participant_journeys')
    ).getRows()[0]![0],
  );
  console.log(
    `bench/measure-models: ${contracts.length} contracts, ${people.toLocaleString('en-GB')} participants, store ${values.dir}`,
  );
  const times: Record<string, Record<string, number>> = { old: {}, new: {} };
  for (const [which, root] of [
    ['old', resolve(values.old)],
    ['new', resolve(import.meta.dirname, '..')],
  ] as const) {
    const c = await code(root);
    times[which]!.mv = await build(c, c.measureValues, `mv_${which}`);
    if (values.suppressed) {
      await connection.run(`CREATE OR REPLACE VIEW measure_values AS SELECT * FROM mv_${which}`);
      times[which]!.smv = await build(c, c.suppressedMeasureValues, `smv_${which}`);
    }
  }
  for (const [short, model] of [
    ['mv', 'measure_values'],
    ['smv', 'suppressed_measure_values'],
  ] as const) {
    if (times.old![short] === undefined) continue;
    const [a, b, onlyOld, onlyNew] = await differing(`${short}_old`, `${short}_new`);
    console.log(
      `  ${model}: old ${times.old![short]!.toFixed(2)} s, new ${times.new![short]!.toFixed(2)} s (${(times.new![short]! / times.old![short]!).toFixed(2)}×); rows ${a} and ${b}, ${onlyOld} only in the old, ${onlyNew} only in the new${onlyOld + onlyNew ? '  DIFFERENT' : ''}`,
    );
  }
} finally {
  connection.closeSync();
  instance.closeSync();
}
