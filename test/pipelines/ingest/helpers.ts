/** A real LocalStore in a fresh temp folder, and DuckDB to read what ingest wrote. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../../pipelines/duckdb/open.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import type { ObjectStore } from '../../../pipelines/store/object-store.js';

export async function tempStore(): Promise<LocalStore> {
  return new LocalStore(await mkdtemp(join(tmpdir(), 'outturn-ingest-')));
}

/** Every key and its bytes (as base64), to show a store did not change at all. */
export async function snapshot(store: ObjectStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await store.list(''))
    out[key] = Buffer.from((await store.get(key))!).toString('base64');
  return out;
}

let db: Promise<DuckDBConnection> | null = null;

/** Rows of a query, as plain JS values (DATE as Date, INTEGER as number, BIGINT as bigint). */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  db ??= DuckDBInstance.create(':memory:').then((i) => i.connect());
  return (await (await db).runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** `read_parquet('path')`, for use in a query. */
export function parquet(path: string): string {
  return `read_parquet(${sqlString(path)})`;
}

/** Column names and DuckDB types of a Parquet file. */
export async function parquetSchema(path: string): Promise<{ name: string; type: string }[]> {
  const rows = await query(`DESCRIBE SELECT * FROM ${parquet(path)}`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}
