/**
 * A model is one table the transform builds, dbt-style: one SQL file (a SELECT, reading
 * sources and other models by name) and, beside it, a definition of every column with its
 * type, description and tests. The column list is the truth about the table: the build checks
 * the SQL produces exactly these columns and types, and the Glue tables are generated from it.
 */

export type ColumnTest =
  | 'not_null'
  | 'unique'
  | { accepted_values: readonly string[] }
  | { min: number }
  | { max: number };

export interface Column {
  name: string;
  /** A DuckDB type: VARCHAR, INTEGER, BIGINT, DOUBLE, DATE, TIMESTAMP, BOOLEAN. */
  type: 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';
  description: string;
  tests?: readonly ColumnTest[];
}

export type Layer = 'staging' | 'mart' | 'suppressed';

export interface Model {
  name: string;
  layer: Layer;
  description: string;
  /**
   * `contract`: every row belongs to one contract (a `contract_id` column), so a new return
   * rebuilds only its contract's rows. `global`: rebuilt whole every time (cross-contract
   * checks, programme-level comparisons); it may read only full sources and other models.
   */
  partition: 'contract' | 'global';
  /** The SELECT that produces the table. */
  sql: string;
  columns: readonly Column[];
  /** Columns that together identify a row. */
  uniqueKey?: readonly string[];
}
