/**
 * Quality summaries: the counts the data-quality score is made from (docs/methods/
 * data-quality-score.md, ADR 051), one row per field of one accepted return version, counted
 * once, at ingest, from the staged file and the validator's warnings, and kept in the staged
 * zone beside the version:
 *
 *   staged/quality/<kind>/<contract>/<period>/v<version>.parquet
 *
 * Each row says, for one field: the rows in the return, how many of them have the field filled,
 * how many of those are a "not known" code (null for a field that has none), and how many rows
 * have a warning on that field. Counts of values, never a value. A version is never rewritten,
 * so neither is its summary. The build reads the summaries of the versions in force of the
 * contracts it rebuilds, making any that are missing (a store staged before summaries existed,
 * or an ingest that stopped between the staged file and the receipt) from the staged file and
 * the receipt's warnings, as change records are made (ADR 031): the score never reads
 * participant rows, so a build as at a new day stays incremental.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../duckdb/open.js';
import { fieldsFor, NOT_KNOWN_CODES, type Field, type ReturnKind } from '../returns/fields.js';
import { zones, type ObjectStore } from '../store/object-store.js';
import { stagedColumns } from './staged-schema.js';
import { stagingConnection } from './stage.js';

/** One accepted return version, of either kind. */
export interface SummarisedVersion {
  contract_id: string;
  period: string;
  version: number;
  kind: ReturnKind;
  staged_key: string;
}

/** A warning as the receipt lists it: a cell when it names a row and a column. */
export interface CellWarning {
  row: number | null;
  column: string | null;
}

/** The columns of a quality-summary file (and of the source `src_quality_summaries`). */
export const qualitySummaryColumns = [
  ['contract_id', 'VARCHAR', 'Contract id'],
  ['period', 'VARCHAR', 'Month the return is for'],
  ['version', 'INTEGER', 'Version of the return'],
  ['kind', 'VARCHAR', 'participant or aggregate'],
  ['field', 'VARCHAR', 'The return field counted'],
  ['rows', 'INTEGER', 'Rows in the return'],
  ['filled', 'INTEGER', 'Rows with the field filled in'],
  [
    'not_known',
    'INTEGER',
    `Of those, rows whose value is ${NOT_KNOWN_CODES.join(' or ')}; null for a field with no such code`,
  ],
  ['warned', 'INTEGER', 'Rows with a warning on the field'],
] as const;

/** Whether a field has a "not known" code, so its default share can be counted. */
export function hasNotKnownCode(field: Field): boolean {
  return field.type === 'code' && field.codes.some((c) => NOT_KNOWN_CODES.includes(c.code));
}

/** The key of a version's quality summary. */
export function qualitySummaryKey(v: SummarisedVersion): string {
  return `${zones.staged}quality/${v.kind}/${v.contract_id}/${v.period}/v${v.version}.parquet`;
}

/** Rows warned on, per field: a warning naming no row or no column names no value. */
export function warnedRowsByField(warnings: readonly CellWarning[]): Map<string, number> {
  const cells = new Map<string, Set<number>>();
  for (const w of warnings) {
    if (w.row === null || w.column === null) continue;
    const rows = cells.get(w.column) ?? new Set<number>();
    rows.add(w.row);
    cells.set(w.column, rows);
  }
  return new Map([...cells].map(([column, rows]) => [column, rows.size]));
}

/** The SELECT giving a version's summary from its staged file (a local path). */
export function qualitySummarySql(
  v: SummarisedVersion,
  stagedPath: string,
  warnings: readonly CellWarning[],
): string {
  const fields = fieldsFor(v.kind);
  const columns = stagedColumns(v.kind);
  // A file staged before a field was added lacks its column (fields.ts `optionalColumn`): a
  // typed empty row set unioned by name gives every column, blank where the file has none.
  const empty = columns.map((c) => `NULL::${c.type} AS ${sqlIdent(c.name)}`).join(', ');
  const notKnown = NOT_KNOWN_CODES.map(sqlString).join(', ');
  const counts = fields.flatMap((f, i) => [
    `count(${sqlIdent(f.name)})::integer AS filled_${i}`,
    hasNotKnownCode(f)
      ? `(count(*) FILTER (WHERE ${sqlIdent(f.name)} IN (${notKnown})))::integer AS not_known_${i}`
      : `NULL::integer AS not_known_${i}`,
  ]);
  const warned = warnedRowsByField(warnings);
  const perField = fields.map(
    (f, i) =>
      `{'field': ${sqlString(f.name)}, 'filled': filled_${i}, 'not_known': not_known_${i}, 'warned': ${warned.get(f.name) ?? 0}::integer}`,
  );
  return `with staged as (
    SELECT ${columns.map((c) => sqlIdent(c.name)).join(', ')}
    FROM (SELECT ${empty} WHERE false UNION ALL BY NAME SELECT * FROM read_parquet(${sqlString(stagedPath)}))
),
counts as (
    SELECT count(*)::integer AS rows, ${counts.join(', ')} FROM staged
),
per_field as (
    SELECT rows, unnest([${perField.join(', ')}], recursive := true) FROM counts
)
SELECT
    ${sqlString(v.contract_id)} AS contract_id,
    ${sqlString(v.period)} AS period,
    ${v.version}::integer AS version,
    ${sqlString(v.kind)} AS kind,
    field,
    rows,
    filled,
    not_known,
    -- A warning on a row beyond the file's rows cannot be: held to the rows there are.
    least(warned, rows)::integer AS warned
FROM per_field`;
}

/** Writes a version's quality summary to a Parquet file at `path`. */
export async function writeQualitySummary(
  connection: DuckDBConnection,
  v: SummarisedVersion,
  stagedPath: string,
  warnings: readonly CellWarning[],
  path: string,
): Promise<void> {
  await connection.run(
    `COPY (${qualitySummarySql(v, stagedPath, warnings)}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}

/**
 * Makes a version's quality summary in the store, unless it is there already, and returns its
 * key. `stagedPath` is a local copy of the staged file when the caller has one (ingest, before
 * the version is moved into the store); otherwise the staged file is read from the store.
 */
export async function ensureQualitySummary(
  store: ObjectStore,
  v: SummarisedVersion,
  warnings: readonly CellWarning[],
  stagedPath?: string,
): Promise<string> {
  const key = qualitySummaryKey(v);
  if (await store.exists(key)) return key;
  const dir = await mkdtemp(join(tmpdir(), 'outturn-quality-'));
  const connection = await stagingConnection();
  try {
    const path = join(dir, 'quality.parquet');
    await writeQualitySummary(
      connection,
      v,
      stagedPath ?? (await store.localFile(v.staged_key)),
      warnings,
      path,
    );
    await store.putFile(key, path, { move: true, contentType: 'application/vnd.apache.parquet' });
    return key;
  } finally {
    connection.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
