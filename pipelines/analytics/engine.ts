/**
 * One interface for ad-hoc queries, whichever engine runs them: Athena in AWS (./athena.ts) and
 * DuckDB over the local marts (./local.ts). Both take SQL already passed by `checkAthenaSql`,
 * positional `?` parameters and a row limit, and give columns typed the Athena way and rows of
 * plain JSON values, so a page, an API answer or a CSV does not care which engine ran.
 */
import { placeholderCount, withLimit } from './trino-dialect.js';

export type ParamValue = string | number | boolean | null;

export type EngineName = 'athena' | 'duckdb';

export interface ResultColumn {
  name: string;
  /** The type as Athena names it, lower case, without precision: varchar, integer, bigint, double, boolean, date, decimal, timestamp, … */
  type: string;
}

export interface AnalyticsResult {
  columns: ResultColumn[];
  /** One object per row, keyed by column name (a repeated name gets `_2`, `_3`, …). */
  rows: Record<string, unknown>[];
  /** Bytes Athena read (what a query costs); absent for the local engine. */
  scannedBytes?: number;
  engine: EngineName;
  /** More rows matched than `maxRows`: only the first `maxRows` are given. */
  truncated: boolean;
  /** Athena's id for the execution, for its console and logs. */
  queryExecutionId?: string;
}

export interface RunOptions {
  /**
   * Aborted when whoever asked has gone (the request's `c.req.raw.signal`): the query is stopped
   * in the engine, not merely forgotten.
   */
  signal?: AbortSignal;
}

export interface AnalyticsEngine {
  readonly name: EngineName;
  /** The Glue database a query may qualify its tables with. */
  readonly database: string;
  /**
   * Runs one query, within the engine's deadline and memory ceiling and at most `maxRows` rows;
   * throws AnalyticsError with a message for the analyst, saying which limit stopped it.
   */
  run(
    sql: string,
    params: readonly ParamValue[],
    maxRows: number,
    options?: RunOptions,
  ): Promise<AnalyticsResult>;
}

/** How long an ad-hoc query may run before it is stopped: API Gateway gives up at 30 s. */
export const QUERY_DEADLINE_MS = 25_000;

export type AnalyticsErrorKind =
  'parameters' | 'failed' | 'cancelled' | 'timeout' | 'memory' | 'scan-limit' | 'no-data';

/** A query that could not be run or did not finish; the message says what to change. */
export class AnalyticsError extends Error {
  override name = 'AnalyticsError';
  constructor(
    readonly kind: AnalyticsErrorKind,
    message: string,
    readonly scannedBytes?: number,
  ) {
    super(message);
  }
}

/** The words for a query stopped at its deadline, the same from either engine. */
export function deadlineMessage(timeoutMs: number): string {
  return `The query took longer than ${Math.round(timeoutMs / 1000)} seconds, so it was stopped. Narrow it by contract or period, or aggregate more (GROUP BY), and run it again.`;
}

/** The words for a query stopped because whoever asked for it went away. */
export const CLIENT_GONE_MESSAGE =
  'The query was stopped because the request was closed before it finished (the page was left or the connection dropped). Run it again to see the result.';

/** The most rows an engine is asked for at once. */
export const MAX_ROWS_LIMIT = 10_000;

/**
 * The SQL an engine sends: its parameters counted against the `?`s, and limited to one row more
 * than `maxRows`, so a result can say it was cut short.
 */
export function prepareQuery(sql: string, params: readonly ParamValue[], maxRows: number): string {
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_ROWS_LIMIT)
    throw new AnalyticsError(
      'parameters',
      `Ask for between 1 and ${MAX_ROWS_LIMIT} rows, not ${maxRows}.`,
    );
  const wanted = placeholderCount(sql);
  if (wanted !== params.length)
    throw new AnalyticsError(
      'parameters',
      `The query has ${wanted} ? ${wanted === 1 ? 'parameter' : 'parameters'} but ${params.length} ${params.length === 1 ? 'value was' : 'values were'} given: give one value for each ?, in order.`,
    );
  for (const p of params)
    if (typeof p === 'number' && !Number.isFinite(p))
      throw new AnalyticsError(
        'parameters',
        `${p} is not a number a query can use: give a finite number.`,
      );
  return withLimit(sql, maxRows + 1);
}

/** `SELECT a.x, b.x` gives two columns called x: the second becomes x_2, so no row loses a value. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; seen.has(candidate); n++) candidate = `${name}_${n}`;
    seen.add(candidate);
    return candidate;
  });
}

/** `DECIMAL(10,2)` → `decimal`, `VARCHAR` → `varchar`, DuckDB-only names to Athena's. */
export function normaliseType(type: string): string {
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  const synonyms: Record<string, string> = {
    float: 'real',
    hugeint: 'bigint',
    int: 'integer',
    'timestamp with time zone': 'timestamp with time zone',
    timestamp_s: 'timestamp',
    timestamp_ms: 'timestamp',
    timestamp_ns: 'timestamp',
  };
  return synonyms[base] ?? base;
}

const INTEGER_TYPES = new Set([
  'tinyint',
  'smallint',
  'integer',
  'bigint',
  'ubigint',
  'uinteger',
  'usmallint',
  'utinyint',
]);
const FLOAT_TYPES = new Set(['double', 'real', 'decimal']);

/**
 * A value as JSON, by its column's type: whole numbers and doubles as numbers (a bigint too
 * large for a JavaScript number stays text, exactly), decimals as numbers, booleans as
 * booleans, dates (`2025-04-01`), timestamps and everything else as text; null stays null.
 * Athena gives every value as text (`VarCharValue`); DuckDB's JSON gives bigints and decimals as text.
 */
export function typedValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (INTEGER_TYPES.has(type)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  if (FLOAT_TYPES.has(type)) {
    if (typeof value === 'number') return value;
    const text = String(value);
    if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return text;
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (type === 'boolean')
    return typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Rows of values in column order → objects keyed by the (unique) column names, typed. */
export function rowObjects(
  columns: readonly ResultColumn[],
  rows: readonly (readonly unknown[])[],
): Record<string, unknown>[] {
  return rows.map((values) =>
    Object.fromEntries(columns.map((c, i) => [c.name, typedValue(c.type, values[i])])),
  );
}
