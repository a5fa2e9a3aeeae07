/**
 * Query results kept per build: the marts change only when a build is switched in, so a page's
 * query, with the same parameters over the same build and the same engine, gives the same rows
 * until then. Pages whose filters vary one part of the page at a time (the programme overview:
 * the costs depend on the area only, the breakdown table on area and breakdown) then run each
 * query once per distinct value of what it depends on, not once per combination of filters.
 *
 * The key is the build id, the engine's scope (a restricted engine's scope key, or `full`), the
 * SQL and its parameters: one reader's rows are never served to a reader of another scope. The
 * rows are frozen, since every later request shares them. Bounded by bytes (the rows as JSON),
 * least recently used out first; a failed query is not kept. For page queries only: ad-hoc
 * analytics queries have their own limits and are never kept (docs/decisions/034).
 *
 * A query read by parts (`queryPart`: every quarter of a contract, every breakdown and grain of
 * its measures, each row naming its part) is kept apart, column by column: each value an index
 * into its column's distinct values, with the rows of each part listed, so a contract's
 * hundred thousand measure rows take a few megabytes, and any part is answered from it with no
 * query (docs/decisions/043). Bounded by bytes in the same way, least recently used out first.
 *
 * @example const db = rememberResults(await openPublished(deps, caller), scopeKey(scope));
 */
import type { CuratedDb } from './query.js';

/**
 * The most the kept results may hold together, as JSON characters (the rows take a few times
 * that as objects); one result over a sixteenth of it is not kept at all.
 */
export const MAX_RESULT_BYTES = 16 * 1024 * 1024;

type Result = Awaited<ReturnType<CuratedDb['query']>>;

interface Entry {
  result: Promise<Result>;
  /** Known once the query has run; 0 until then. */
  size: number;
}

const kept = new Map<string, Entry>();
let held = 0;

function evict(): void {
  for (const [key, entry] of kept) {
    if (held <= MAX_RESULT_BYTES) return;
    if (entry.size === 0) continue; // still running
    kept.delete(key);
    held -= entry.size;
  }
}

/** What the kept results hold now, for tests and the benchmark. */
export function keptResultBytes(): number {
  return held;
}

function frozen(result: Result): Result {
  for (const row of result.rows) Object.freeze(row);
  Object.freeze(result.rows);
  Object.freeze(result.columns);
  return Object.freeze(result);
}

/** The most the results kept by parts may hold together (bytes, as estimated); one over a quarter of it is not kept. */
export const MAX_PARTED_BYTES = 64 * 1024 * 1024;

/** A result held column by column, and which of its rows each part has. */
interface Parted {
  columns: string[];
  /** Per column: its distinct values, and each row's index into them. */
  values: unknown[][];
  codes: Uint32Array[];
  parts: Map<string, Uint32Array>;
}

interface PartedEntry {
  result: Promise<Parted>;
  size: number;
}

const keptParted = new Map<string, PartedEntry>();
let heldParted = 0;

function evictParted(): void {
  for (const [key, entry] of keptParted) {
    if (heldParted <= MAX_PARTED_BYTES) return;
    if (entry.size === 0) continue; // still running
    keptParted.delete(key);
    heldParted -= entry.size;
  }
}

/** What the results kept by parts hold now (bytes, as estimated), for tests and the benchmark. */
export function keptPartedBytes(): number {
  return heldParted;
}

/** `result` column by column, without `column`, whose values name each row's part. */
function byParts(result: Result, column: string): { parted: Parted; size: number } {
  const columns = result.columns.filter((c) => c !== column);
  const n = result.rows.length;
  const values: unknown[][] = columns.map(() => []);
  const codes = columns.map(() => new Uint32Array(n));
  const seen = columns.map(() => new Map<unknown, number>());
  const rowsOf = new Map<string, number[]>();
  let size = 0;
  result.rows.forEach((row, i) => {
    const part = String(row[column]);
    const rows = rowsOf.get(part) ?? [];
    if (!rows.length) rowsOf.set(part, rows);
    rows.push(i);
    columns.forEach((c, j) => {
      const value = row[c];
      let code = seen[j]!.get(value);
      if (code === undefined) {
        code = values[j]!.length;
        values[j]!.push(value);
        seen[j]!.set(value, code);
        size += JSON.stringify(value ?? null).length + 16;
      }
      codes[j]![i] = code;
    });
  });
  size += n * 4 * (columns.length + 1);
  const parts = new Map([...rowsOf].map(([part, rows]) => [part, Uint32Array.from(rows)]));
  return { parted: { columns, values, codes, parts }, size };
}

/** The rows of one part, as the query gave them (less the part's column). */
function rowsOfPart(parted: Parted, part: string): Result {
  const rows = [...(parted.parts.get(part) ?? [])].map((i) => {
    const row: Record<string, unknown> = {};
    parted.columns.forEach((c, j) => {
      row[c] = parted.values[j]![parted.codes[j]![i]!];
    });
    return row;
  });
  return { columns: parted.columns, rows };
}

/**
 * The same handle, whose `query` answers from the results kept for its build and `scope` when
 * it has run that query with those parameters before. Closing it closes `db`.
 */
export function rememberResults(db: CuratedDb, scope: string): CuratedDb {
  return {
    manifest: db.manifest,
    connection: db.connection,
    close: () => db.close(),
    ...(db.fork ? { fork: db.fork } : {}),
    query(sql, params) {
      const key = JSON.stringify([db.manifest.build_id, scope, sql, params ?? null]);
      const hit = kept.get(key);
      if (hit) {
        kept.delete(key);
        kept.set(key, hit);
        return hit.result;
      }
      const entry: Entry = { result: db.query(sql, params).then(frozen), size: 0 };
      kept.set(key, entry);
      entry.result.then(
        (result) => {
          if (kept.get(key) !== entry) return;
          entry.size = key.length + JSON.stringify(result.rows).length;
          if (entry.size > MAX_RESULT_BYTES / 16) {
            kept.delete(key);
            return;
          }
          held += entry.size;
          evict();
        },
        () => {
          if (kept.get(key) === entry) kept.delete(key);
        },
      );
      return entry.result;
    },
    async queryPart(sql, params, column, part) {
      const key = JSON.stringify([db.manifest.build_id, scope, sql, params ?? null, column]);
      const hit = keptParted.get(key);
      if (hit) {
        keptParted.delete(key);
        keptParted.set(key, hit);
        return rowsOfPart(await hit.result, part);
      }
      // The whole result is read on a connection of its own: two queries at once on one
      // connection are not safe, and this one may outlast the page (which closes its handle).
      const whole = db.fork
        ? db.fork().then(async (own) => {
            try {
              return await own.query(sql, params);
            } finally {
              own.close();
            }
          })
        : db.query(sql, params);
      const result = whole.then((rows) => {
        const { parted, size } = byParts(rows, column);
        if (keptParted.get(key) === entry) {
          if (size > MAX_PARTED_BYTES / 4) keptParted.delete(key);
          else {
            entry.size = size;
            heldParted += size;
            evictParted();
          }
        }
        return parted;
      });
      const entry: PartedEntry = { result, size: 0 };
      keptParted.set(key, entry);
      entry.result.catch(() => {
        if (keptParted.get(key) === entry) keptParted.delete(key);
      });
      // Without a second connection, the page waits for the whole result and takes its part.
      if (!db.fork) return rowsOfPart(await result, part);
      // Not kept yet (the first page under a build): this page reads its own part alone, the
      // whole result being read for the next pages meanwhile.
      const alone = await db.query(
        `select * exclude (${column}) from (${sql}) where ${column} = $outturn_part`,
        { ...params, outturn_part: part },
      );
      return { columns: alone.columns, rows: alone.rows };
    },
  };
}
