/**
 * The steps the benches time the same way: a demo return through the real ingest, and DuckDB
 * alone reading a file into a table as the baseline beside it. Medians, since the machine is
 * shared: each bench compares ratios within one run.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Demo, Submission } from '../pipelines/demo/index.js';
import { sqlString } from '../pipelines/duckdb/open.js';
import { ingestReturn, type IngestResult } from '../pipelines/ingest/ingest.js';
import type { ObjectStore } from '../pipelines/store/object-store.js';

/** The middle value (the upper of the two middle ones for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** One demo return through the real ingest, as its provider sent it: the result and the time it took. */
export async function timedDemoIngest(
  store: ObjectStore,
  demo: Demo,
  s: Submission,
): Promise<IngestResult & { ms: number; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(demo.returnCsv(s.contract_id, s.period, s.version));
  const t = performance.now();
  const result = await ingestReturn({
    store,
    bytes,
    fileName: `${s.contract_id}-${s.period}.csv`,
    contractId: s.contract_id,
    period: s.period,
    submittedBy: s.submitted_by,
    reference: demo.reference,
    now: new Date(s.submitted_at),
  });
  return { ...result, ms: performance.now() - t, bytes };
}

/**
 * The baseline: milliseconds for DuckDB alone to read a local CSV (with its heading row) or
 * Parquet file into a table.
 *
 * @example
 * const ms = await timedDuckDbRead(connection, 'parquet', '/tmp/store/staged/participant/x/2025-01/v1.parquet');
 */
export async function timedDuckDbRead(
  connection: DuckDBConnection,
  format: 'csv' | 'parquet',
  file: string,
): Promise<number> {
  const read =
    format === 'csv'
      ? `read_csv(${sqlString(file)}, header = true)`
      : `read_parquet(${sqlString(file)})`;
  const t = performance.now();
  await connection.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM ${read}`);
  return performance.now() - t;
}
