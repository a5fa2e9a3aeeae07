/**
 * Builds the curated marts from staged returns and reference data with DuckDB, into a fresh
 * build folder, and switches it in only when every model has built and passed its tests. A
 * failed or interrupted build leaves the previous build serving.
 *
 * Incremental builds recompute only the contracts a new return affects: contract-partitioned
 * models run on those contracts' sources (pass A); global models then run on every contract,
 * reading the other contracts' rows from the previous build's files and never any contract's
 * participant rows (pass B). A build as at a new day recomputes in pass B, for every contract,
 * only the models that read the date (ADR 031).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb, sqlIdent, sqlString } from '../duckdb/open.js';
import { putJson, type ObjectStore } from '../store/object-store.js';
import {
  modelFilesPrefix,
  readCurrentBuild,
  switchOnTopOf,
  type BuildManifest,
  type CurrentBuild,
} from './curated.js';
import { checkColumns, runDataTests, type TestFailure } from './data-tests.js';
import { sqlPlaceholders } from './field-columns.js';
import type { ReferenceData } from '../reference/schema.js';
import type { Model } from './model.js';
import {
  asOfDependent,
  audienceOf,
  buildOrder,
  checkModelRules,
  dependencies,
  exportedModels,
  models as allModels,
  readsParticipantRows,
} from './registry.js';
import { runFixedPoint } from './fixed-point.js';
import { receiptsIndexKey } from './receipts-index.js';
import { dropRelation, loadSources, type TransformInputs } from './sources.js';

export interface BuildOptions {
  store: ObjectStore;
  /**
   * What to build from. As a function it is read afresh for each attempt, after the build in
   * force, so a build that lost the race to switch in (ADR 027) builds again on the new state
   * with every receipt written before that state.
   */
  inputs: TransformInputs | ((base: CurrentBuild) => Promise<TransformInputs>);
  /** The date the build is "as at" (ISO): which returns are due, missing or late. */
  asOf: string;
  /** Everything, or only the contracts a new return touched. */
  scope: 'full' | { contracts: readonly string[] };
  models?: readonly Model[];
  onProgress?: (step: string, done: number, total: number) => void;
  /** For tests: a fixed build id. */
  buildId?: string;
  now?: Date;
  /** For tests and the bench: participant rows per batch of contracts (default BATCH_ROWS). */
  batchRows?: number;
}

/**
 * Participant rows (in the contracts' newest returns) built at once: contracts are taken in
 * batches up to this many, a contract larger than it on its own. Measured in bench/pipeline
 * (ADR 033): DuckDB's working set for measure_values is about 8 KB a participant, so 100,000
 * keeps a batch within BUILD_MEMORY_LIMIT without spilling.
 */
export const BATCH_ROWS = 100_000;
/** DuckDB's memory in a build: with Node's own, a national full rebuild peaks under 2 GiB. */
export const BUILD_MEMORY_LIMIT = '1.2GB';
export const BUILD_THREADS = 2;

/**
 * The contracts in batches of about `rows` participants each (by the rows of each contract's
 * newest participant return in force), in the order given; always at least one batch.
 */
export function contractBatches(
  inputs: TransformInputs,
  contracts: readonly string[],
  rows: number,
): string[][] {
  const newest = new Map<string, { period: string; rows: number }>();
  for (const r of inputs.receipts) {
    if (r.status !== 'accepted' || r.state !== 'in_force' || r.kind !== 'participant') continue;
    const seen = newest.get(r.contract_id);
    if (!seen || r.period > seen.period)
      newest.set(r.contract_id, { period: r.period, rows: r.counts.rows });
  }
  const batches: string[][] = [];
  let current: string[] = [];
  let held = 0;
  for (const c of contracts) {
    const n = newest.get(c)?.rows ?? 0;
    if (current.length && held + n > rows) {
      batches.push(current);
      current = [];
      held = 0;
    }
    current.push(c);
    held += n;
  }
  if (current.length || !batches.length) batches.push(current);
  return batches;
}

export interface BuildResult {
  manifest: BuildManifest;
  seconds: number;
  /** 1, or more when other builds switched in first and this one built again on top of them. */
  attempts: number;
  /**
   * Where the time went, step by step, in the attempt that switched in: reading the inputs,
   * loading the sources, each model built and each written (bench/pipeline prints them).
   */
  timings: StepTiming[];
}

export interface StepTiming {
  step: string;
  seconds: number;
}

/**
 * Times each step of a build: `lap(step)` closes the step that ran since the last lap. A step
 * run once per batch of contracts is one entry, its time summed over the batches.
 */
function stopwatch(): { lap: (step: string) => void; timings: StepTiming[] } {
  const timings: StepTiming[] = [];
  const byStep = new Map<string, StepTiming>();
  let last = performance.now();
  return {
    timings,
    lap: (step) => {
      const now = performance.now();
      const seen = byStep.get(step);
      if (seen) seen.seconds += (now - last) / 1000;
      else {
        const t = { step, seconds: (now - last) / 1000 };
        byStep.set(step, t);
        timings.push(t);
      }
      last = now;
    },
  };
}

/** Builds that lose the race to switch in are tried again this many times in all, then it fails. */
export const MAX_BUILD_ATTEMPTS = 8;

export class TransformError extends Error {
  constructor(
    message: string,
    readonly failures: TestFailure[] = [],
  ) {
    super(
      failures.length
        ? `${message}\n${failures.map((f) => `  ${f.model}${f.column ? `.${f.column}` : ''}: ${f.test}: ${f.detail}`).join('\n')}`
        : message,
    );
    this.name = 'TransformError';
  }
}

function newBuildId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Model SQL with its `{{ placeholders }}` filled in from the field list. */
export function renderSql(model: Model, reference: ReferenceData | null = null): string {
  const compiled = model.compile?.(reference) ?? {};
  return model.sql.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = compiled[name] ?? sqlPlaceholders[name];
    if (value === undefined)
      throw new TransformError(`${model.name} uses an unknown placeholder {{ ${name} }}`);
    return value;
  });
}

async function runModel(
  connection: DuckDBConnection,
  model: Model,
  reference: ReferenceData,
): Promise<TestFailure[]> {
  try {
    const sql = renderSql(model, reference);
    if (model.fixedPoint) await runFixedPoint(connection, model.name, sql, model.fixedPoint);
    else await connection.run(`CREATE OR REPLACE TABLE ${sqlIdent(model.name)} AS ${sql}`);
  } catch (e) {
    throw new TransformError(`The model ${model.name} failed to build: ${(e as Error).message}`);
  }
  return [...(await checkColumns(connection, model)), ...(await runDataTests(connection, model))];
}

async function rowCount(connection: DuckDBConnection, table: string): Promise<number> {
  const r = await connection.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(table)}`);
  return Number(r.getRows()[0]![0]);
}

/** A contract model's rows by contract, as its files by contract will hold them. */
async function rowsByContract(
  connection: DuckDBConnection,
  table: string,
): Promise<Record<string, number>> {
  const r = await connection.runAndReadAll(
    `SELECT contract_id, count(*) FROM ${sqlIdent(table)} WHERE contract_id IS NOT NULL GROUP BY ALL`,
  );
  return Object.fromEntries(r.getRows().map(([c, n]) => [String(c), Number(n)]));
}

/**
 * The rows of every file of a model: those counted as the build wrote them or carried over from
 * the previous manifest, and, for a file with neither (a manifest from before ADR 047), the count
 * in its Parquet footer.
 */
async function withEveryFileCounted(
  connection: DuckDBConnection,
  store: ObjectStore,
  files: Record<string, string>,
  rows: Record<string, number>,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const uncounted: [string, string][] = [];
  for (const [part, key] of Object.entries(files)) {
    const n = rows[part];
    if (n === undefined) uncounted.push([part, key]);
    else out[part] = n;
  }
  if (uncounted.length) {
    const paths = await Promise.all(uncounted.map(([, key]) => store.localFile(key)));
    const r = await connection.runAndReadAll(
      `SELECT file_name, num_rows FROM parquet_file_metadata([${paths.map(sqlString).join(', ')}])`,
    );
    const byPath = new Map(r.getRows().map(([f, n]) => [String(f), Number(n)]));
    uncounted.forEach(([part, key], i) => {
      const n = byPath.get(paths[i]!);
      if (n === undefined) throw new TransformError(`Could not count the rows of ${key}`);
      out[part] = n;
    });
  }
  return out;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Builds and switches in new marts. Builds in one process run one at a time (single-flight);
 * across processes, each switches in only on top of the build it started from, and builds again
 * on top of whichever build beat it (ADR 027).
 */
export function buildCurated(options: BuildOptions): Promise<BuildResult> {
  const run = queue.then(() => buildOnTopOfCurrent(options));
  queue = run.catch(() => undefined);
  return run;
}

async function buildOnTopOfCurrent(options: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    // The build in force first, then the inputs: every receipt a build that switched in before
    // this one had is then among these inputs, and one that switches in later fails our swap.
    const watch = stopwatch();
    const base = await readCurrentBuild(options.store);
    const inputs =
      typeof options.inputs === 'function' ? await options.inputs(base) : options.inputs;
    const indexed = inputs.receiptsIndex;
    watch.lap(
      indexed
        ? `read the inputs (${indexed.read} receipts and actions read, ${indexed.reused} from the receipts index)`
        : 'read the inputs',
    );
    const manifest = await build(options, base, inputs, watch.lap);
    if (manifest)
      return {
        manifest,
        seconds: (Date.now() - started) / 1000,
        attempts: attempt,
        timings: watch.timings,
      };
    if (attempt >= MAX_BUILD_ATTEMPTS)
      throw new TransformError(
        `The marts were not switched in: other builds switched in first ${attempt} times running. Nothing is lost (the receipts stand); rebuild again when the store is quieter.`,
      );
  }
}

/** One attempt: the new build's manifest once switched in, or null when another build switched in first. */
async function build(
  options: BuildOptions,
  base: CurrentBuild,
  inputs: TransformInputs,
  lap: (step: string) => void,
): Promise<BuildManifest | null> {
  const now = options.now ?? new Date();
  const { store } = options;
  const list = options.models ?? allModels;
  const ruleProblems = checkModelRules(list);
  if (ruleProblems.length) throw new TransformError(ruleProblems.join('\n'));
  const order = buildOrder(list);
  const contractModels = order.filter((m) => m.partition === 'contract');
  const globalModels = order.filter((m) => m.partition === 'global');
  const exported = exportedModels(order);

  const previous = base.manifest;
  const allContracts = inputs.reference.contracts.map((c) => c.id);
  // Which returns are due, late or missing depends on the date: a build as at another day than
  // the previous one recomputes the models that read the date (and those built on them) for
  // every contract, and reuses the rest (ADR 031) — unless one of them needs participant rows,
  // which only a full build loads for every contract.
  const datedModels = asOfDependent(order);
  const newDay = previous !== null && previous.as_of !== options.asOf;
  const incremental =
    options.scope !== 'full' &&
    previous !== null &&
    sameModels(previous, exported) &&
    (!newDay || order.every((m) => !datedModels.has(m.name) || !readsParticipantRows(m, order)));
  const scope = new Set(
    incremental ? (options.scope as { contracts: readonly string[] }).contracts : allContracts,
  );
  const buildId = options.buildId ?? newBuildId(now);
  const workDir = await mkdtemp(join(tmpdir(), 'outturn-build-'));
  // The contracts in scope, a batch at a time, so that what DuckDB holds at once is one batch's
  // participants, not the nation's (ADR 033): a full rebuild's memory is that of its largest batch.
  const batches = contractBatches(inputs, [...scope], options.batchRows ?? BATCH_ROWS);
  const exportedContract = exported.filter((x) => x.partition === 'contract');
  const steps =
    batches.length * (contractModels.length + exportedContract.length) +
    globalModels.length +
    (exported.length - exportedContract.length) +
    1;
  let step = 0;
  const progress = (what: string) => {
    lap(what);
    options.onProgress?.(what, ++step, steps);
  };
  const referenceSha256 = createHash('sha256')
    .update(JSON.stringify(inputs.reference))
    .digest('hex');
  const withVersions = order.some((m) =>
    dependencies(m, order).sources.includes('src_participant_versions'),
  );
  // What pass B builds, and so the contract marts it must read back from their files: only
  // those, not every exported model of every contract (ADR 047).
  const rebuiltDated = (m: Model) => incremental && newDay && datedModels.has(m.name);
  const passB = [
    ...globalModels,
    ...contractModels.filter(
      (m) => (m.layer === 'staging' && !readsParticipantRows(m, order)) || rebuiltDated(m),
    ),
  ];
  const readInPassB = new Set(passB.flatMap((m) => dependencies(m, order).models));
  const sourcesOfPassB = new Set(passB.flatMap((m) => dependencies(m, order).sources));

  const { instance, connection } = await openDuckDb({
    memoryLimit: BUILD_MEMORY_LIMIT,
    threads: BUILD_THREADS,
    preserveInsertionOrder: false,
  });
  try {
    await connection.run(`SET VARIABLE as_of = DATE ${sqlString(options.asOf)}`);
    const failures: TestFailure[] = [];
    const files: Record<string, Record<string, string>> = {};
    // Rows in each file written or carried over, by the same keys as `files`.
    const fileRows: Record<string, Record<string, number>> = {};
    for (const m of exportedContract) {
      files[m.name] = {};
      fileRows[m.name] = {};
    }
    // Pass A: the contracts in scope, batch by batch, from their newest returns and change records.
    for (const [b, batch] of batches.entries()) {
      await loadSources(connection, inputs, new Set(batch), workDir, withVersions);
      lap('loaded the sources');
      for (const m of contractModels) {
        failures.push(...(await runModel(connection, m, inputs.reference)));
        progress(`built ${m.name}`);
      }
      if (failures.length)
        throw new TransformError('The build stopped because a model failed its tests:', failures);
      for (const m of exportedContract) {
        Object.assign(fileRows[m.name]!, await rowsByContract(connection, m.name));
        Object.assign(
          files[m.name]!,
          await exportByContract(connection, store, m, buildId, workDir, `batch-${b}`),
        );
        progress(`wrote ${m.name}`);
      }
      await rm(join(workDir, 'out'), { recursive: true, force: true });
    }

    if (incremental || batches.length > 1) {
      // Pass B: every contract, without participant rows. Staging that needs none (contracts,
      // months) is rebuilt whole; every contract's marts are read from the files just written
      // and, for contracts not in scope, from the previous build's, except those that read the
      // date when it is a new day, rebuilt whole.
      // Pass A's tables are left as they are (dropping them costs more than the build of a small
      // mart, and the database is closed once switched in): the marts pass B reads are replaced by
      // views over every contract's files, and no model of pass B reads any other (ADR 047).
      await loadSources(
        connection,
        inputs,
        new Set(allContracts),
        workDir,
        false,
        false,
        sourcesOfPassB,
      );
      lap('loaded every contract’s sources without participant rows');
      for (const m of contractModels) {
        if (m.layer === 'staging') {
          if (!readsParticipantRows(m, order)) await runModel(connection, m, inputs.reference);
          continue;
        }
        if (!exported.includes(m)) continue;
        if (rebuiltDated(m)) {
          failures.push(...(await runModel(connection, m, inputs.reference)));
          fileRows[m.name] = await rowsByContract(connection, m.name);
          files[m.name] = await exportByContract(connection, store, m, buildId, workDir, 'all');
          continue;
        }
        const before = incremental ? previous!.models[m.name]! : null;
        const merged = { ...before?.files };
        const rows = { ...before?.file_rows };
        for (const c of scope) {
          delete merged[c];
          delete rows[c];
        }
        Object.assign(merged, files[m.name]);
        Object.assign(rows, fileRows[m.name]);
        files[m.name] = merged;
        fileRows[m.name] = rows;
        // The other models' files are only named in the new manifest, never opened.
        if (readInPassB.has(m.name))
          await viewOver(connection, store, m.name, Object.values(merged), m);
      }
      lap('rebuilt the dated models and read every contract’s marts');
      if (failures.length)
        throw new TransformError('The build stopped because a model failed its tests:', failures);
    }
    // A global model with an incremental form starts from its rows in the build before, when
    // that build had the same reference data (ADR 047).
    const carryGlobals = incremental && previous!.reference_sha256 === referenceSha256;
    if (carryGlobals) {
      await connection.run(`CREATE OR REPLACE TABLE rebuilt_contracts (contract_id VARCHAR)`);
      for (const c of scope)
        await connection.run(`INSERT INTO rebuilt_contracts VALUES (${sqlString(c)})`);
    }
    for (const m of globalModels) {
      const before = previous?.models[m.name]?.files.all;
      if (m.incrementalSql && carryGlobals && before) {
        await viewOver(connection, store, 'previous_rows', [before], m);
        failures.push(
          ...(await runModel(connection, { ...m, sql: m.incrementalSql }, inputs.reference)),
        );
        await dropRelation(connection, 'previous_rows');
      } else failures.push(...(await runModel(connection, m, inputs.reference)));
      progress(`built ${m.name}`);
    }
    if (failures.length)
      throw new TransformError('The build stopped because a model failed its tests:', failures);
    for (const m of exported.filter((x) => x.partition === 'global')) {
      fileRows[m.name] = { all: await rowCount(connection, m.name) };
      files[m.name] = await exportWhole(connection, store, m, buildId, workDir);
      progress(`wrote ${m.name}`);
    }

    const manifest: BuildManifest = {
      build_id: buildId,
      built_at: now.toISOString(),
      as_of: options.asOf,
      scope: incremental ? [...scope].sort() : 'full',
      previous_build: previous?.build_id ?? null,
      models: {},
      reference_sha256: referenceSha256,
    };
    for (const m of exported) {
      const rows = await withEveryFileCounted(connection, store, files[m.name]!, fileRows[m.name]!);
      manifest.models[m.name] = {
        layer: m.layer,
        partition: m.partition,
        description: m.description,
        columns: m.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
        files: sortedRecord(files[m.name]!),
        rows: Object.values(rows).reduce((a, b) => a + b, 0),
        file_rows: sortedRecord(rows),
      };
    }
    manifest.receipts = receiptsIncluded(inputs, previous, incremental ? scope : null);
    if (inputs.receiptsIndex) {
      manifest.receipts_index = inputs.receiptsIndex.unchangedAt ?? receiptsIndexKey(buildId);
      if (inputs.receiptsIndex.unchangedAt === null)
        await putJson(store, manifest.receipts_index, inputs.receiptsIndex.index);
    }
    lap('counted the rows and wrote the receipts index');
    if (!(await switchOnTopOf(store, base, manifest))) return null;
    progress('switched in');
    return manifest;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * What a build's marts include, by contract: what it computed from `inputs` for the contracts it
 * rebuilt (all when `scope` is null, a full build), and what the previous build had for the rest.
 */
function receiptsIncluded(
  inputs: TransformInputs,
  previous: BuildManifest | null,
  scope: ReadonlySet<string> | null,
): NonNullable<BuildManifest['receipts']> {
  const counted = new Map<string, { count: number; newest: string }>();
  for (const r of inputs.receipts) {
    if (scope !== null && !scope.has(r.contract_id)) continue;
    const seen = counted.get(r.contract_id);
    if (!seen) counted.set(r.contract_id, { count: 1, newest: r.id });
    else {
      seen.count += 1;
      if (r.id > seen.newest) seen.newest = r.id;
    }
  }
  const carried = Object.entries(scope === null ? {} : (previous?.receipts ?? {})).filter(
    ([contract]) => !scope!.has(contract),
  );
  return sortedRecord({ ...Object.fromEntries(carried), ...Object.fromEntries(counted) });
}

/** Whether a build was made by the models in this code (same marts, same columns): if not, rebuild. */
export function builtByTheseModels(
  manifest: BuildManifest,
  list: readonly Model[] = allModels,
): boolean {
  return sameModels(manifest, exportedModels(list));
}

function sameModels(previous: BuildManifest, exported: readonly Model[]): boolean {
  const names = Object.keys(previous.models).sort().join(',');
  if (
    names !==
    exported
      .map((m) => m.name)
      .sort()
      .join(',')
  )
    return false;
  return exported.every(
    (m) =>
      previous.models[m.name]!.columns.map((c) => `${c.name} ${c.type}`).join(',') ===
      m.columns.map((c) => `${c.name} ${c.type}`).join(','),
  );
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * One Parquet file per contract: `curated/builds/<id>/<model>/<contract>.parquet`, or under
 * `curated/published/builds/<id>/` for a published model (ADR 020).
 */
async function exportByContract(
  connection: DuckDBConnection,
  store: ObjectStore,
  model: Model,
  buildId: string,
  workDir: string,
  pass = 'scope',
): Promise<Record<string, string>> {
  const dir = join(workDir, 'out', pass, model.name);
  await mkdir(join(workDir, 'out', pass), { recursive: true });
  await connection.run(
    `COPY (SELECT * FROM ${sqlIdent(model.name)} ORDER BY ALL) TO ${sqlString(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (contract_id), WRITE_PARTITION_COLUMNS true, OVERWRITE_OR_IGNORE true)`,
  );
  const files: Record<string, string> = {};
  const parts = await readdir(dir).catch(() => [] as string[]);
  for (const part of parts) {
    const contract = decodeURIComponent(part.replace(/^contract_id=/, ''));
    const inner = await readdir(join(dir, part));
    if (inner.length !== 1)
      throw new TransformError(
        `Expected one file for ${model.name}/${part}, found ${inner.length}`,
      );
    const key = `${modelFilesPrefix(buildId, model.name, audienceOf(model))}${contract}.parquet`;
    await store.putFile(key, join(dir, part, inner[0]!), { move: true });
    files[contract] = key;
  }
  return files;
}

async function exportWhole(
  connection: DuckDBConnection,
  store: ObjectStore,
  model: Model,
  buildId: string,
  workDir: string,
): Promise<Record<string, string>> {
  const path = join(workDir, `${model.name}.parquet`);
  await connection.run(
    `COPY (SELECT * FROM ${sqlIdent(model.name)} ORDER BY ALL) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  const key = `${modelFilesPrefix(buildId, model.name, audienceOf(model))}all.parquet`;
  await store.putFile(key, path, { move: true });
  return { all: key };
}

/** Replaces a table with a view over Parquet files in the store (an empty table when there are none). */
export async function viewOver(
  connection: DuckDBConnection,
  store: ObjectStore,
  name: string,
  keys: readonly string[],
  model: Model,
): Promise<void> {
  await dropRelation(connection, name);
  if (!keys.length) {
    await connection.run(
      `CREATE TABLE ${sqlIdent(name)} (${model.columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ')})`,
    );
    return;
  }
  const paths = await Promise.all(keys.map((k) => store.localFile(k)));
  const columns = model.columns.map((c) => sqlIdent(c.name)).join(', ');
  await connection.run(
    `CREATE VIEW ${sqlIdent(name)} AS SELECT ${columns} FROM read_parquet([${paths.map(sqlString).join(', ')}])`,
  );
}
