/**
 * Ad-hoc queries without AWS: the same interface as the Athena engine, over the marts in force in
 * the local DuckDB (pipelines/transform/query.ts openCurated). Queries are held to the Athena
 * dialect by the caller (`checkAthenaSql`) before they get here, so what runs here runs there.
 *
 * A table may be qualified with the database name, as in Athena ("outturn"."performance"): the
 * qualifier is taken off before DuckDB sees the query, since its views have no schema. Common
 * Trino functions DuckDB lacks are given to each connection as macros (TRINO_FUNCTIONS), so a
 * query written for Athena with them runs here too.
 */
import { StatementType } from '@duckdb/node-api';
import type { ObjectStore } from '../store/object-store.js';
import { openCurated, QueryError, type CuratedDb } from '../transform/query.js';
import {
  AnalyticsError,
  CLIENT_GONE_MESSAGE,
  deadlineMessage,
  normaliseType,
  QUERY_DEADLINE_MS,
  prepareQuery,
  rowObjects,
  uniqueNames,
  type AnalyticsEngine,
  type AnalyticsResult,
  type ParamValue,
  type ResultColumn,
  type RunOptions,
} from './engine.js';
import { significant, tokenise } from './sql-tokens.js';

/** The database name a local query may qualify its tables with, as it would the Glue database. */
export const LOCAL_DATABASE = 'outturn';

/**
 * Takes `database.` off every `database.name`, leaving the name.
 *
 * @example unqualify('SELECT * FROM "outturn"."performance"', 'outturn') // 'SELECT * FROM "performance"'
 */
export function unqualify(sql: string, database: string): string {
  const s = significant(tokenise(sql).tokens);
  const cuts: [number, number][] = [];
  for (let i = 0; i + 2 < s.length; i++) {
    const [db, dot, name] = [s[i]!, s[i + 1]!, s[i + 2]!];
    if (
      (db.kind === 'word' || db.kind === 'quoted') &&
      db.value === database.toLowerCase() &&
      dot.text === '.' &&
      (name.kind === 'word' || name.kind === 'quoted') &&
      s[i - 1]?.text !== '.'
    )
      cuts.push([db.start, name.start]);
  }
  let out = sql;
  for (const [from, to] of cuts.reverse()) out = out.slice(0, from) + out.slice(to);
  return out;
}

/**
 * Trino functions DuckDB does not have, as DuckDB macros over its own. Only what behaves the
 * same for the marts' types; approx_percentile is exact here (quantile_cont).
 */
export const TRINO_FUNCTIONS: readonly string[] = [
  'approx_percentile(x, p) AS quantile_cont(x, p)',
  'array_join(a, sep) AS array_to_string(a, sep)',
  'regexp_like(s, p) AS regexp_matches(s, p)',
  'element_at(a, i) AS a[i]',
  'cardinality(a) AS len(a)',
  'from_unixtime(s) AS to_timestamp(s)',
  'date_format(t, f) AS strftime(t, f)',
];

/** What a local engine runs its queries over: the full marts (openCurated) or a restricted engine. */
export type OpenDb = () => Promise<CuratedDb>;

export interface LocalEngineOptions {
  /** The name a query may qualify its tables with. Default LOCAL_DATABASE. */
  database?: string;
  /** How long a query may run before it is interrupted. Default QUERY_DEADLINE_MS. */
  timeoutMs?: number;
  /** What the memory ceiling is, in the words of the message (the instance's memory_limit). */
  memoryLimit?: string;
}

/** DuckDB's words when a query needs more than the instance's memory_limit. */
const OUT_OF_MEMORY = /Out of Memory Error|failed to allocate/i;

export class LocalEngine implements AnalyticsEngine {
  readonly name = 'duckdb' as const;
  readonly database: string;
  private readonly open: OpenDb;
  private readonly timeoutMs: number;
  private readonly memoryLimit: string;
  private running = 0;

  /** `source`: a store (the full marts in force) or a function that opens the engine to use. */
  constructor(source: ObjectStore | OpenDb, options: LocalEngineOptions = {}) {
    this.open = typeof source === 'function' ? source : () => openCurated(source);
    this.database = options.database ?? LOCAL_DATABASE;
    this.timeoutMs = options.timeoutMs ?? QUERY_DEADLINE_MS;
    this.memoryLimit = options.memoryLimit ?? '2GB';
  }

  /** Queries still running in DuckDB (a query counts until DuckDB itself has stopped it). */
  get activeQueries(): number {
    return this.running;
  }

  async run(
    sql: string,
    params: readonly ParamValue[],
    maxRows: number,
    options: RunOptions = {},
  ): Promise<AnalyticsResult> {
    const limited = unqualify(prepareQuery(sql, params, maxRows), this.database);
    const { signal } = options;
    if (signal?.aborted) throw new AnalyticsError('cancelled', CLIENT_GONE_MESSAGE);
    let db: CuratedDb;
    try {
      db = await this.open();
    } catch (e) {
      if (e instanceof QueryError)
        throw new AnalyticsError(
          'no-data',
          'There are no marts to query yet: they are built once a return has been accepted.',
        );
      throw e;
    }
    // Why the query was interrupted, if it was: the deadline, or the client going away.
    let stopped: 'timeout' | 'cancelled' | null = null;
    let again: ReturnType<typeof setInterval> | undefined;
    const stop = (why: 'timeout' | 'cancelled') => {
      if (stopped) return;
      stopped = why;
      db.connection.interrupt();
      // An interrupt between two statements is forgotten when the next begins: repeat it until
      // DuckDB has given the query up.
      again = setInterval(() => db.connection.interrupt(), 50);
    };
    const timer = setTimeout(() => stop('timeout'), this.timeoutMs);
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    // The client may have gone while the marts were opening, before the listener was there.
    if (signal?.aborted) stop('cancelled');
    this.running++;
    try {
      for (const macro of TRINO_FUNCTIONS)
        await db.connection.run(`CREATE OR REPLACE TEMP MACRO ${macro}`);
      const statements = await db.connection.extractStatements(limited);
      if (statements.count !== 1)
        throw new AnalyticsError(
          'failed',
          `Give exactly one statement (this has ${statements.count}).`,
        );
      const prepared = await statements.prepare(0);
      if (prepared.statementType !== StatementType.SELECT)
        throw new AnalyticsError(
          'failed',
          'Only SELECT queries can be run: the marts are read-only.',
        );
      if (params.length) prepared.bind([...params]);
      if (stopped) throw new Error('stopped before it ran');
      // The row ceiling holds whatever the SQL says: rows are streamed and reading stops after
      // one more than asked for (the appended LIMIT usually stops DuckDB sooner).
      const result = await prepared.streamAndReadUntil(maxRows + 1);
      const names = uniqueNames(result.columnNames());
      const columns: ResultColumn[] = result
        .columnTypes()
        .map((t, i) => ({ name: names[i]!, type: normaliseType(String(t)) }));
      const rows = rowObjects(columns, result.getRowsJson().slice(0, maxRows + 1));
      if (stopped) throw new Error('interrupted');
      return {
        columns,
        rows: rows.slice(0, maxRows),
        engine: 'duckdb',
        truncated: rows.length > maxRows,
      };
    } catch (e) {
      if (stopped === 'timeout')
        throw new AnalyticsError('timeout', deadlineMessage(this.timeoutMs));
      if (stopped === 'cancelled') throw new AnalyticsError('cancelled', CLIENT_GONE_MESSAGE);
      if (e instanceof AnalyticsError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      if (OUT_OF_MEMORY.test(message))
        throw new AnalyticsError(
          'memory',
          `The query needed more memory than one query may use (${this.memoryLimit}), so it was stopped. Select fewer columns, aggregate more (GROUP BY), or narrow it by contract or period, and run it again.`,
        );
      // DuckDB's own words (an unknown column, a type mismatch) are what the analyst must fix.
      const reason = message.split('\n')[0]!.replace(/[.!\s]+$/, '');
      throw new AnalyticsError(
        'failed',
        `The query could not be run: ${reason}. Change the query and run it again.`,
      );
    } finally {
      clearTimeout(timer);
      clearInterval(again);
      signal?.removeEventListener('abort', onAbort);
      this.running--;
      db.close();
    }
  }
}
