/**
 * Models that run to a fixed point (ADR 044). A model is one SELECT, but some rules (secondary
 * suppression) hold only once repeating them changes nothing. Such a model's SQL is in
 * sections:
 *
 *   -- @table <name>   a working table, built in order (each may read the ones before)
 *   -- @pass           a SELECT of what one pass changes, reading the `changed` table
 *   -- @apply          the statement that applies a pass's changes (the `pass` table)
 *   -- @select         the model itself
 *
 * The build runs the pass, stops when it changes nothing, applies it otherwise, and runs at
 * most `passes` passes; the final SELECT then reads `pass` as the last pass's changes (empty
 * when it settled). The working tables are dropped afterwards.
 *
 * A model may add an audit (ADR 050): once the passes settle, it looks at the whole state and
 * writes what still needs changing as a pass of its own; the passes resume from it, and the
 * model has settled when an audit finds nothing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent } from '../duckdb/open.js';
import type { FixedPoint } from './model.js';

export interface FixedPointSql {
  tables: { name: string; sql: string }[];
  pass: string;
  apply: string;
  select: string;
}

const MARKER = /^-- @(table (\w+)|pass|apply|select)[ \t]*$/gm;

/** The sections of a fixed-point model's SQL (already rendered). */
export function fixedPointSections(sql: string, model: string): FixedPointSql {
  const marks = [...sql.matchAll(MARKER)];
  const tables: { name: string; sql: string }[] = [];
  const single: Partial<Record<'pass' | 'apply' | 'select', string>> = {};
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index : sql.length;
    const text = sql
      .slice(m.index + m[0].length, end)
      .trim()
      .replace(/;\s*$/, '');
    if (m[2]) tables.push({ name: m[2], sql: text });
    else single[m[1] as 'pass' | 'apply' | 'select'] = text;
  });
  const missing = (['pass', 'apply', 'select'] as const).filter((k) => !single[k]);
  if (missing.length)
    throw new Error(`${model} runs to a fixed point but has no -- @${missing.join(', -- @')}`);
  return { tables, pass: single.pass!, apply: single.apply!, select: single.select! };
}

/**
 * Builds `name` from a fixed-point model's sections: the passes it ran, whether it settled and,
 * with an audit (ADR 050), the audits run.
 */
export async function runFixedPoint(
  connection: DuckDBConnection,
  name: string,
  sql: string,
  loop: FixedPoint,
): Promise<{ passes: number; settled: boolean; audits?: number }> {
  const s = fixedPointSections(sql, name);
  const table = (t: string) => sqlIdent(t);
  const working = [...s.tables.map((t) => t.name), loop.pass];
  const next = async () => {
    await connection.run(`DROP TABLE ${table(loop.changed)}`);
    await connection.run(`ALTER TABLE ${table(loop.pass)} RENAME TO ${table(loop.changed)}`);
  };
  try {
    for (const t of s.tables)
      await connection.run(`CREATE OR REPLACE TABLE ${table(t.name)} AS ${t.sql}`);
    let passes = 0;
    let audits = 0;
    let settled = false;
    const memo = new Map<string, unknown>();
    for (;;) {
      // Passes until one changes nothing, at most loop.passes in a row.
      let quiet = false;
      for (let run = 1; run <= loop.passes; run++) {
        passes += 1;
        await connection.run(`CREATE OR REPLACE TABLE ${table(loop.pass)} AS ${s.pass}`);
        const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${table(loop.pass)}`);
        if (Number(counted.getRows()[0]![0]) === 0) {
          quiet = true;
          break;
        }
        await connection.run(s.apply);
        if (run < loop.passes) await next();
      }
      if (!quiet || !loop.audit) {
        settled = quiet;
        break;
      }
      // Settled: the audit writes what still needs changing as the next pass.
      audits += 1;
      const found = await loop.audit.run(connection, loop.pass, memo);
      if (found === 0) {
        settled = true;
        break;
      }
      await connection.run(s.apply);
      if (audits >= loop.audit.rounds) break;
      await next();
    }
    await connection.run(`CREATE OR REPLACE TABLE ${table(name)} AS ${s.select}`);
    return loop.audit ? { passes, settled, audits } : { passes, settled };
  } finally {
    for (const t of working) await connection.run(`DROP TABLE IF EXISTS ${table(t)}`);
  }
}
