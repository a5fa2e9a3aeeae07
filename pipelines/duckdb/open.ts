/**
 * Opens DuckDB the way every part of Outturn uses it: in-process, in memory, with bounded
 * memory and threads, spilling to a local temp folder, and no extension ever downloaded
 * (only the built-in parquet, json and icu are available on the machines Outturn runs on).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckDbOptions {
  /** For example '2GB'. Default: 3GB, within the 4 GiB the pipeline is allowed. */
  memoryLimit?: string;
  threads?: number;
  tempDirectory?: string;
  /**
   * Whether results keep the order rows went in (DuckDB's default). A build, which orders every
   * file it writes, turns it off so that large CREATE TABLE … AS statements use less memory.
   */
  preserveInsertionOrder?: boolean;
}

let opened = 0;

export async function openDuckDb(
  options: DuckDbOptions = {},
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  // A folder of its own for each database: DuckDB names its spill files the same in every
  // database (duckdb_temp_storage_DEFAULT-0.tmp), so two builds spilling to one folder at once —
  // two processes on one machine — overwrite each other's and fail with "could not read enough
  // bytes" (seen when a bench's rebuild ran beside another's).
  const temp =
    options.tempDirectory ?? join(tmpdir(), 'outturn-duckdb', `${process.pid}-${++opened}`);
  mkdirSync(temp, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: options.memoryLimit ?? '3GB',
    threads: String(options.threads ?? 2),
    temp_directory: temp,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
    preserve_insertion_order: String(options.preserveInsertionOrder ?? true),
  });
  const connection = await instance.connect();
  return { instance, connection };
}

/** A SQL string literal: for file paths and values that cannot be bound as parameters (COPY, read_parquet). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
