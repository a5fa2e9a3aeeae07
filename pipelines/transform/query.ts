/**
 * Read-only SQL over the marts in force: each model is a view over its Parquet files, and only
 * SELECT statements are run, so nothing a query says can change the curated zone.
 */
import { StatementType, type DuckDBConnection, type DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb, sqlIdent, sqlString } from '../duckdb/open.js';
import type { ObjectStore } from '../store/object-store.js';
import { readCurrentManifest, type BuildManifest } from './curated.js';

export class QueryError extends Error {
  override name = 'QueryError';
}

export interface CuratedDb {
  manifest: BuildManifest;
  connection: DuckDBConnection;
  /** Runs one read-only statement and gives its column names and rows (JSON-safe values). */
  query(sql: string, params?: Record<string, string | number | boolean | null>): Promise<{ columns: string[]; rows: Record<string, unknown>[] }>;
  close(): void;
}

/** Opens the marts in force; throws QueryError when nothing has been built yet. */
export async function openCurated(store: ObjectStore): Promise<CuratedDb> {
  const manifest = await readCurrentManifest(store);
  if (!manifest) throw new QueryError('There are no marts yet: ingest a return or run `npm run outturn -- rebuild` first.');
  const { instance, connection } = await openDuckDb({ memoryLimit: '2GB' });
  for (const [name, model] of Object.entries(manifest.models)) {
    const keys = Object.values(model.files);
    const columns = model.columns.map((c) => sqlIdent(c.name)).join(', ');
    if (keys.length) {
      const paths = await Promise.all(keys.map((k) => store.localFile(k)));
      await connection.run(`CREATE VIEW ${sqlIdent(name)} AS SELECT ${columns} FROM read_parquet([${paths.map(sqlString).join(', ')}])`);
    } else await connection.run(`CREATE TABLE ${sqlIdent(name)} (${model.columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ')})`);
  }
  return curatedDb(manifest, instance, connection);
}

function curatedDb(manifest: BuildManifest, instance: DuckDBInstance, connection: DuckDBConnection): CuratedDb {
  return {
    manifest,
    connection,
    async query(sql, params) {
      const statements = await connection.extractStatements(sql);
      if (statements.count !== 1) throw new QueryError(`Give exactly one statement (this has ${statements.count}).`);
      const prepared = await statements.prepare(0);
      if (prepared.statementType !== StatementType.SELECT) throw new QueryError('Only SELECT queries can be run over the marts: they are read-only.');
      if (params) prepared.bind(params);
      const result = await prepared.runAndReadAll();
      return { columns: result.columnNames(), rows: result.getRowObjectsJson() as Record<string, unknown>[] };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
