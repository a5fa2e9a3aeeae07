/**
 * Read-only SQL over the marts in force: each model is a view over its Parquet files, and only
 * SELECT statements are run, so nothing a query says can change the curated zone.
 */
import { StatementType, type DuckDBConnection, type DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb, sqlIdent, sqlString } from '../duckdb/open.js';
import { NO_MARTS_YET, OutturnError, type Failure } from '../errors.js';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { CURRENT_KEY, manifestKey, manifestSchema, type BuildManifest } from './curated.js';

/** A query that cannot be run as given (bad-input), or marts that cannot be opened (not-ready). */
export class QueryError extends OutturnError {
  constructor(message: string, failure: Failure = 'bad-input') {
    super(failure, message);
    this.name = 'QueryError';
  }
}

/** Nothing has been built yet: every reader answers the same (a 503 saying the figures are being built). */
export class NoMartsYetError extends QueryError {
  constructor() {
    super(NO_MARTS_YET, 'not-ready');
    this.name = 'NoMartsYetError';
  }
}

/**
 * Runs `use` over the marts in force (or the engine `open` gives) and closes them after, however
 * `use` ends. Throws NoMartsYetError when nothing has been built yet.
 *
 * @example const rows = await withMarts(store, async (db) => (await db.query('select * from performance')).rows)
 */
export async function withMarts<T>(
  open: ObjectStore | (() => Promise<CuratedDb>),
  use: (db: CuratedDb) => Promise<T>,
): Promise<T> {
  const db = await (typeof open === 'function' ? open() : openCurated(open));
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

export interface CuratedDb {
  manifest: BuildManifest;
  connection: DuckDBConnection;
  /** Runs one read-only statement and gives its column names and rows (JSON-safe values). */
  query(
    sql: string,
    params?: Record<string, string | number | boolean | null>,
  ): Promise<{ columns: string[]; rows: Record<string, unknown>[] }>;
  /**
   * The rows of one part of a query's result whose rows each name their part in `column`,
   * without that column (pipelines/transform/result-cache.ts keeps the whole result, column by
   * column, and answers every part from it). Not every handle has it: reports/page.ts falls back
   * to `query`.
   */
  queryPart?(
    sql: string,
    params: Record<string, string | number | boolean | null> | undefined,
    column: string,
    part: string,
  ): Promise<{ columns: string[]; rows: Record<string, unknown>[] }>;
  /**
   * Another handle over the same marts and engine, on a connection of its own, for a query that
   * runs beside this handle's (two queries at once on one DuckDB connection are not safe). Close
   * it after use, like this one. Not every handle has it.
   */
  fork?(): Promise<CuratedDb>;
  /**
   * Gives the connection back. A query still running on it (started before) finishes first: the
   * connection is closed once nothing runs on it, and no query may start after.
   */
  close(): void;
}

interface Shared {
  buildId: string;
  ready: Promise<{ instance: DuckDBInstance; manifest: BuildManifest }>;
  /** Handles given out and not yet closed. */
  users: number;
  /** A newer build is in force: close the instance once the last handle is closed. */
  superseded: boolean;
  /** The marts are being (or have been) copied into memory (`inMemory`). */
  copying: boolean;
}

export interface OpenCuratedOptions {
  /**
   * Copy the marts into memory in the background once the handle that asks it is closed, each
   * model's view then switched from its Parquet files to its copy: a page's query over a table
   * in memory takes a half to a third of the time (bench/web). The first page's queries run over
   * the Parquet files alone, and later ones over the files until the copy is done, so the first
   * view after a switch neither waits for the copy nor shares the cores with it. For a
   * long-running reader (the web app); a staging model, or one over `MAX_IN_MEMORY_ROWS`, stays
   * on its files.
   */
  inMemory?: boolean;
}

/** The most rows a model may have to be copied into memory, and all of them together. */
export const MAX_IN_MEMORY_ROWS = 2_000_000;
export const MAX_IN_MEMORY_TOTAL_ROWS = 8_000_000;

/**
 * One DuckDB instance per store and build, shared by every caller in the process (a web server
 * answers many requests over the same marts): opening DuckDB and its views over hundreds of
 * Parquet files costs far more than a query. Each handle gets its own connection. When a new
 * build is switched in, the next call opens it, and the old instance closes after its last user.
 */
const shared = new WeakMap<ObjectStore, Shared>();

async function openInstance(
  store: ObjectStore,
  buildId: string,
): Promise<{ instance: DuckDBInstance; manifest: BuildManifest }> {
  const raw = await getJson(store, manifestKey(buildId));
  if (!raw)
    throw new QueryError(
      `${CURRENT_KEY} points at build ${buildId}, whose manifest is missing`,
      'not-ready',
    );
  const manifest = manifestSchema.parse(raw);
  const { instance, connection } = await openDuckDb({ memoryLimit: '2GB' });
  try {
    // A build's files never change, so each file's Parquet footer is read once, not per query.
    await connection.run('SET parquet_metadata_cache = true');
    for (const [name, model] of Object.entries(manifest.models)) {
      const keys = Object.values(model.files);
      const columns = model.columns.map((c) => sqlIdent(c.name)).join(', ');
      if (keys.length) {
        const paths = await Promise.all(keys.map((k) => store.localFile(k)));
        await connection.run(
          `CREATE VIEW ${sqlIdent(name)} AS SELECT ${columns} FROM read_parquet([${paths.map(sqlString).join(', ')}])`,
        );
      } else
        await connection.run(
          `CREATE TABLE ${sqlIdent(name)} (${model.columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ')})`,
        );
    }
  } finally {
    connection.closeSync();
  }
  return { instance, manifest };
}

/** Opens the marts in force; throws NoMartsYetError when nothing has been built yet. Close the handle after use (or use `withMarts`). */
export async function openCurated(
  store: ObjectStore,
  options: OpenCuratedOptions = {},
): Promise<CuratedDb> {
  const pointer = await getJson<{ build_id: string }>(store, CURRENT_KEY);
  if (!pointer) throw new NoMartsYetError();
  let entry = shared.get(store);
  if (!entry || entry.buildId !== pointer.build_id) {
    if (entry) retire(entry);
    entry = {
      buildId: pointer.build_id,
      ready: openInstance(store, pointer.build_id),
      users: 0,
      superseded: false,
      copying: false,
    };
    shared.set(store, entry);
    entry.ready.catch(() => shared.get(store) === entry && shared.delete(store));
  }
  const current = entry;
  const { instance, manifest } = await current.ready;
  // A newer build was switched in while this one opened: use that one instead.
  if (current.superseded) return openCurated(store, options);
  // The copy starts once this handle is closed: the first page under a new build runs its
  // queries over the files without sharing the cores with the copy (docs/decisions/043).
  const copyAfter = options.inMemory === true && !current.copying;
  if (copyAfter) current.copying = true;
  return handleOn(current, instance, manifest, () => {
    if (copyAfter) void copyIntoMemory(current, instance, manifest);
  });
}

/**
 * A handle on a new connection of `instance`, counted among the entry's `users` until it is
 * closed, when `released` is called; the instance closes after its last user once a newer build
 * has superseded it. Its forks are handles of the same kind.
 */
export async function handleOn(
  entry: { users: number; superseded: boolean },
  instance: DuckDBInstance,
  manifest: BuildManifest,
  released: () => void = () => undefined,
): Promise<CuratedDb> {
  entry.users++;
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (e) {
    entry.users--;
    throw e;
  }
  return curatedDb(
    manifest,
    connection,
    () => {
      entry.users--;
      released();
      if (entry.superseded && entry.users === 0) instance.closeSync();
    },
    () => handleOn(entry, instance, manifest),
  );
}

/**
 * Copies the marts into the `in_memory` schema one model at a time and points each model's view
 * at its copy. Counts as a user of the instance, so a superseded build closes after it; stops
 * at the next model when superseded. A failure leaves the remaining views on their files.
 */
async function copyIntoMemory(
  entry: Shared,
  instance: DuckDBInstance,
  manifest: BuildManifest,
): Promise<void> {
  entry.users++;
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    await connection.run('CREATE SCHEMA IF NOT EXISTS in_memory');
    let total = 0;
    for (const [name, model] of Object.entries(manifest.models)) {
      if (entry.superseded) break;
      if (model.layer === 'staging' || !Object.keys(model.files).length) continue;
      if (model.rows > MAX_IN_MEMORY_ROWS || total + model.rows > MAX_IN_MEMORY_TOTAL_ROWS)
        continue;
      total += model.rows;
      const id = sqlIdent(name);
      await connection.run(`CREATE TABLE in_memory.${id} AS SELECT * FROM main.${id}`);
      await connection.run(`CREATE OR REPLACE VIEW main.${id} AS SELECT * FROM in_memory.${id}`);
    }
  } catch {
    // The views not yet switched read their Parquet files, as before.
  } finally {
    connection?.closeSync();
    entry.users--;
    if (entry.superseded && entry.users === 0) instance.closeSync();
  }
}

function retire(entry: Shared): void {
  entry.superseded = true;
  if (entry.users === 0)
    entry.ready.then(
      ({ instance }) => entry.users === 0 && instance.closeSync(),
      () => undefined,
    );
}

/** A handle over one connection: `release` is called once, when it is closed. */
export function curatedDb(
  manifest: BuildManifest,
  connection: DuckDBConnection,
  release: () => void,
  fork?: () => Promise<CuratedDb>,
): CuratedDb {
  let closing = false;
  let closed = false;
  let running = 0;
  const closeIfIdle = () => {
    if (!closing || closed || running > 0) return;
    closed = true;
    connection.closeSync();
    release();
  };
  const run = async (sql: string, params?: Record<string, string | number | boolean | null>) => {
    const statements = await connection.extractStatements(sql);
    if (statements.count !== 1)
      throw new QueryError(`Give exactly one statement (this has ${statements.count}).`);
    const prepared = await statements.prepare(0);
    if (prepared.statementType !== StatementType.SELECT)
      throw new QueryError('Only SELECT queries can be run over the marts: they are read-only.');
    if (params) prepared.bind(params);
    const result = await prepared.runAndReadAll();
    return {
      columns: result.columnNames(),
      rows: result.getRowObjectsJson() as Record<string, unknown>[],
    };
  };
  return {
    manifest,
    connection,
    async query(sql, params) {
      if (closing) throw new QueryError('This handle on the marts is closed.');
      running++;
      try {
        return await run(sql, params);
      } finally {
        running--;
        closeIfIdle();
      }
    },
    ...(fork ? { fork } : {}),
    close() {
      closing = true;
      closeIfIdle();
    },
  };
}
