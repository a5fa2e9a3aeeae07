/**
 * The Glue tables analysts query with Athena, generated from the model definitions the
 * transform builds and checks its Parquet against (pipelines/transform/model.ts) — so a
 * column is typed once, in the model, and the catalogue can never drift from the files.
 *
 * Each exported model is one SymlinkTextInputFormat table over
 * `s3://<working>/curated/athena/<model>/`, whose `symlink.txt` lists the current build's
 * Parquet files (ADR 015): Athena follows a build switch without any Glue API call.
 */
import type { Column, Model } from '../transform/model.js';
import { exportedModels, models as allModels, publishedModels } from '../transform/registry.js';
import { athenaPrefix } from './athena-manifests.js';

export interface GlueColumn {
  name: string;
  /** A Hive type as Glue and Athena's Parquet reader expect it. */
  type: string;
  comment: string;
}

export interface GlueTableSpec {
  name: string;
  description: string;
  /** The key prefix in the working bucket the table's symlink file sits under. */
  prefix: string;
  columns: GlueColumn[];
}

/** Glue limits a column comment to 255 characters. */
const MAX_COMMENT = 255;

/**
 * DuckDB type → Hive type, for the types DuckDB writes to Parquet that Athena reads back as the
 * same values. DuckDB writes VARCHAR as UTF8 byte arrays, INTEGER as INT32, BIGINT as INT64,
 * DOUBLE as DOUBLE, BOOLEAN as BOOLEAN, DATE as INT32 (DATE), TIMESTAMP as INT64
 * (TIMESTAMP, microseconds, not UTC-adjusted) and DECIMAL(p,s) as fixed-point DECIMAL. Types
 * without a faithful Hive twin — HUGEINT and UHUGEINT (128-bit), UBIGINT (beyond bigint),
 * TIMESTAMP WITH TIME ZONE, nested types — are refused: a model that needs one must CAST.
 */
const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: 'string',
  INTEGER: 'int',
  BIGINT: 'bigint',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
};

/** The Hive type for a DuckDB column type; throws on any type it cannot map faithfully. */
export function glueType(duckdbType: string): string {
  const t = duckdbType.trim().toUpperCase();
  const simple = SIMPLE_TYPES[t];
  if (simple) return simple;
  const decimal = /^DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (precision < 1 || precision > 38 || scale > precision)
      throw new Error(
        `DECIMAL(${precision},${scale}) has no Hive equivalent (precision 1–38, scale ≤ precision).`,
      );
    return `decimal(${precision},${scale})`;
  }
  throw new Error(
    `No Glue type for the DuckDB type "${duckdbType}": CAST the column in the model's SQL to one of ${Object.keys(SIMPLE_TYPES).join(', ')} or DECIMAL(p,s).`,
  );
}

export { athenaPrefix, exportedModels };

function glueColumn(column: Column, model: string): GlueColumn {
  try {
    return {
      name: column.name,
      type: glueType(column.type),
      comment: column.description.slice(0, MAX_COMMENT),
    };
  } catch (e) {
    throw new Error(`${model}.${column.name}: ${(e as Error).message}`);
  }
}

/**
 * One table per exported model, columns in the model's order; with `published`, only the
 * published models (the Glue database for readers who may see only those: ADR 020).
 */
export function glueTables(
  list: readonly Model[] = allModels,
  which: 'exported' | 'published' = 'exported',
): GlueTableSpec[] {
  return (which === 'published' ? publishedModels(list) : exportedModels(list)).map((m) => ({
    name: m.name,
    description: m.description,
    prefix: athenaPrefix(m.name),
    columns: m.columns.map((c) => glueColumn(c, m.name)),
  }));
}
