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
import { openCurated, QueryError } from '../transform/query.js';
import {
  AnalyticsError,
  normaliseType,
  prepareQuery,
  rowObjects,
  uniqueNames,
  type AnalyticsEngine,
  type AnalyticsResult,
  type ParamValue,
  type ResultColumn,
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

export class LocalEngine implements AnalyticsEngine {
  readonly name = 'duckdb' as const;

  constructor(
    private readonly store: ObjectStore,
    readonly database: string = LOCAL_DATABASE,
  ) {}

  async run(sql: string, params: readonly ParamValue[], maxRows: number): Promise<AnalyticsResult> {
    const limited = unqualify(prepareQuery(sql, params, maxRows), this.database);
    let db;
    try {
      db = await openCurated(this.store);
    } catch (e) {
      if (e instanceof QueryError)
        throw new AnalyticsError(
          'no-data',
          'There are no marts to query yet: they are built once a return has been accepted.',
        );
      throw e;
    }
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
      const result = await prepared.runAndReadAll();
      const names = uniqueNames(result.columnNames());
      const columns: ResultColumn[] = result
        .columnTypes()
        .map((t, i) => ({ name: names[i]!, type: normaliseType(String(t)) }));
      const rows = rowObjects(columns, result.getRowsJson());
      return {
        columns,
        rows: rows.slice(0, maxRows),
        engine: 'duckdb',
        truncated: rows.length > maxRows,
      };
    } catch (e) {
      if (e instanceof AnalyticsError) throw e;
      // DuckDB's own words (an unknown column, a type mismatch) are what the analyst must fix.
      const reason = (e instanceof Error ? e.message.split('\n')[0]! : String(e)).replace(
        /[.!\s]+$/,
        '',
      );
      throw new AnalyticsError(
        'failed',
        `The query could not be run: ${reason}. Change the query and run it again.`,
      );
    } finally {
      db.close();
    }
  }
}
