/**
 * An accepted return's rows, held column by column: dates as day numbers and numbers in
 * Float64Arrays (NaN for blank), codes and references as strings (null for blank). Columns
 * are compact for hundreds of thousands of rows and load straight into DuckDB.
 */
import { isoDate } from '../calendar/days.js';
import { fieldsFor, type ReturnKind } from '../returns/fields.js';
import type { AggregateRow, ParticipantRow } from '../returns/row-schema.js';

export type TypedColumn = Float64Array | (string | null)[];

export interface TypedReturn {
  kind: ReturnKind;
  rowCount: number;
  /** The spreadsheet row each data row came from, for messages about it later. */
  rowNumbers: Int32Array;
  columns: Record<string, TypedColumn>;
}

/** A column of numbers (dates are day numbers); undefined when the column holds text. */
export function numbers(data: TypedReturn, name: string): Float64Array {
  const col = data.columns[name];
  if (!(col instanceof Float64Array)) throw new TypeError(`${name} is not a numeric column`);
  return col;
}

export function strings(data: TypedReturn, name: string): (string | null)[] {
  const col = data.columns[name];
  if (!Array.isArray(col)) throw new TypeError(`${name} is not a text column`);
  return col;
}

/** The rows as plain objects, dates as ISO strings: for tests, exports and small returns. */
export function toRows(data: TypedReturn): Record<string, string | number | null>[] {
  const fields = fieldsFor(data.kind);
  const out: Record<string, string | number | null>[] = [];
  for (let i = 0; i < data.rowCount; i++) {
    const row: Record<string, string | number | null> = {};
    for (const f of fields) {
      const col = data.columns[f.name]!;
      if (col instanceof Float64Array) {
        const v = col[i]!;
        row[f.name] = Number.isNaN(v) ? null : f.type === 'date' ? isoDate(v) : v;
      } else row[f.name] = col[i] ?? null;
    }
    out.push(row);
  }
  return out;
}

export function toParticipantRows(data: TypedReturn): ParticipantRow[] {
  if (data.kind !== 'participant') throw new TypeError('This is not a participant-level return');
  return toRows(data) as unknown as ParticipantRow[];
}

export function toAggregateRows(data: TypedReturn): AggregateRow[] {
  if (data.kind !== 'aggregate') throw new TypeError('This is not an aggregate return');
  return toRows(data) as unknown as AggregateRow[];
}
