/**
 * A model is one table the transform builds, dbt-style: one SQL file (a SELECT, reading
 * sources and other models by name) and, beside it, a definition of every column with its
 * type, description and tests. The column list is the truth about the table: the build checks
 * the SQL produces exactly these columns and types, and the Glue tables are generated from it.
 */

import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReferenceData } from '../reference/schema.js';

export type ColumnTest =
  | 'not_null'
  | 'unique'
  | { accepted_values: readonly string[] }
  | { min: number }
  | { max: number };

/** How a page shows a value (reports/format.ts formats it; `rag` is a RAG tag). */
export type ColumnFormat = 'text' | 'number' | 'percent' | 'money' | 'date' | 'period' | 'rag';

export interface Column {
  name: string;
  /** A DuckDB type: VARCHAR, INTEGER, BIGINT, DOUBLE, DATE, TIMESTAMP, BOOLEAN. */
  type: 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';
  description: string;
  tests?: readonly ColumnTest[];
  /**
   * The heading users see over it, on every page and download that shows it: pages pick mart
   * columns by name (reports/columns.ts `martColumns`) and never write the heading again.
   */
  label?: string;
  /** How pages show it; default `text`. */
  format?: ColumnFormat;
}

export type Layer = 'staging' | 'mart' | 'suppressed';

/**
 * Who may read a table. `published`: figures anyone who may see a programme's aggregates may see
 * (commissioners, the published site, every ad-hoc query outside an administrator's), because
 * its small numbers are suppressed or it counts no people. `internal`: true figures, for those
 * who may see a contract's own figures. The restricted engine, the Glue database over the
 * published prefix and the tables a commissioner may query are all derived from it
 * (`publishedModels` in ./registry.ts).
 */
export type Audience = 'published' | 'internal';

export interface FixedPoint {
  /** The most passes in a row; with an audit, the most between two audits. */
  passes: number;
  changed: string;
  pass: string;
  /**
   * Run once the passes settle (ADR 050): writes what still needs changing to the `pass` table
   * and says how many rows it wrote; passes resume from them, until an audit finds nothing (at
   * most `rounds` audits, after which the last audit's rows are left as the unsettled pass).
   * `memo` is the same object in every audit of one build of the model (empty at the first), for
   * what an audit reads or works out once and the next can reuse.
   */
  audit?: {
    rounds: number;
    run: (
      connection: DuckDBConnection,
      pass: string,
      memo: Map<string, unknown>,
    ) => Promise<number>;
  };
}

export interface Model {
  name: string;
  layer: Layer;
  /** Default: `published` for the suppressed layer, `internal` for every other (see `Audience`). */
  audience?: Audience;
  description: string;
  /**
   * `contract`: every row belongs to one contract (a `contract_id` column), so a new return
   * rebuilds only its contract's rows. `global`: rebuilt whole every time (cross-contract
   * checks, programme-level comparisons); it may read only full sources and other models.
   */
  partition: 'contract' | 'global';
  /**
   * The SELECT that produces the table; for a model that runs to a fixed point (`fixedPoint`),
   * its working tables, pass, apply and final SELECT in `-- @` sections (fixed-point.ts).
   */
  sql: string;
  /**
   * A model built by repeating a pass until it changes nothing (ADR 044), at most `passes`
   * times: `changed` names the table of what the pass before changed (a `-- @table` section
   * builds it for the first), `pass` the table each pass's changes are written to.
   */
  fixedPoint?: FixedPoint;
  /**
   * For a global model: a SELECT giving the same rows as `sql` after an incremental build, from
   * the rows of the build before (the table `previous_rows`) and the contracts rebuilt (the table
   * `rebuilt_contracts`, one `contract_id` column), so its cost follows the change rather than
   * the nation (ADR 047). Used only when the build before has the same models and reference
   * data; the property tests compare it with a full rebuild.
   */
  incrementalSql?: string;
  /**
   * Placeholders compiled from the reference data in force at build time (programme-defined
   * measures, ADR 024); null reference gives the SQL of a build with no programmes.
   */
  compile?: (reference: ReferenceData | null) => Record<string, string>;
  columns: readonly Column[];
  /** Columns that together identify a row. */
  uniqueKey?: readonly string[];
}
