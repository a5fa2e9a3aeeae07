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

/**
 * The same handle, whose `query` answers from the results kept for its build and `scope` when
 * it has run that query with those parameters before. Closing it closes `db`.
 */
export function rememberResults(db: CuratedDb, scope: string): CuratedDb {
  return {
    manifest: db.manifest,
    connection: db.connection,
    close: () => db.close(),
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
  };
}
