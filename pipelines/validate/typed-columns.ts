/**
 * The cells stage: each data row's cells read into typed columns, one compiled reader per
 * field (see column-readers.ts). The columns start small and double as rows arrive, so a file
 * of line breaks or blank rows sizes nothing.
 */
import type { RowCursor } from '../csv/row-cursor.js';
import type { Field } from '../returns/fields.js';
import { columnReader, dateOrder, type ColumnReader, type DateBounds } from './column-readers.js';
import type { Header } from './header.js';
import type { ProblemLog } from './report.js';
import type { TypedColumn, TypedReturn } from './typed-return.js';

/** Columns start at most this long. */
const INITIAL_CAPACITY_LIMIT = 65_536;

export class TypedColumns {
  private capacity: number;
  private readonly columns: Record<string, TypedColumn> = {};
  private rowNumbers: Int32Array;
  private readers: (ColumnReader | null)[] = [];
  private readonly order = dateOrder();
  /** Data rows read so far. */
  count = 0;

  constructor(
    private readonly header: Header,
    private readonly bounds: DateBounds,
    private readonly log: ProblemLog,
    rowEstimate: number,
  ) {
    this.capacity = Math.min(Math.max(16, rowEstimate), INITIAL_CAPACITY_LIMIT);
    for (const f of header.fields) this.columns[f.name] = emptyColumn(f, this.capacity);
    this.rowNumbers = new Int32Array(this.capacity);
    this.compileReaders();
  }

  /** Reads one data row, spreadsheet row `rowNo`, logging what is wrong with its cells. */
  add(row: RowCursor, rowNo: number): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.rowNumbers[i] = rowNo;
    const { readers } = this;
    const fieldAt = this.header.map.fields;
    const width = Math.min(row.count, readers.length);
    for (let j = 0; j < readers.length; j++) {
      const read = readers[j];
      if (!read) continue;
      let start = 0;
      let end = 0;
      let src = '';
      if (j < width) {
        src = row.src[j]!;
        start = row.start[j]!;
        end = row.end[j]!;
        while (start < end && src.charCodeAt(start) <= 32) start++;
        while (end > start && src.charCodeAt(end - 1) <= 32) end--;
      }
      if (start === end) {
        const f = fieldAt[j]!;
        if (f.required)
          this.log.error(
            'cell.required',
            rowNo,
            f.name,
            null,
            `${f.label} is blank.`,
            `Enter the ${f.label.toLowerCase()}: every row needs one. ${f.description}`,
          );
        continue;
      }
      read(src, start, end, i, rowNo);
    }
  }

  /**
   * Warns when every date in the file is written day/month/year with a day of 12 or less, so
   * each could be read month-first too (a US file would pass with wrong dates).
   */
  checkDateOrder(): void {
    const { dayFirst, other, dayOver12, example } = this.order;
    if (dayFirst === 0 || other > 0 || dayOver12 > 0 || !example) return;
    const [d, m, y] = example.value.split(/[/ T]/).map(Number);
    const month = (n: number) =>
      new Date(Date.UTC(2000, n - 1, 1)).toLocaleString('en-GB', {
        month: 'long',
        timeZone: 'UTC',
      });
    this.log.warning(
      'file.ambiguous_dates',
      example.row,
      example.column,
      example.value,
      `Every date in this file (${dayFirst.toLocaleString('en-GB')}) is written day/month/year with a day of 12 or less, so each could be read either way round. Outturn has read them day first: ${example.value} as ${d} ${month(m!)} ${y}, not ${m} ${month(d!)} ${y}.`,
      'Check a date you know. If it has been read wrongly, your spreadsheet wrote month/day/year: set its locale to English (UK), or write dates as YYYY-MM-DD, and send the return again.',
    );
  }

  /** The participant reference read from spreadsheet row `rowNo`, or null. */
  participantAt(rowNo: number): string | null {
    const ids = this.columns['participant_id'];
    if (!Array.isArray(ids)) return null;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.rowNumbers[mid]!;
      if (r === rowNo) return ids[mid] ?? null;
      if (r < rowNo) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /** The typed return, its columns cut to the rows read. */
  finish(): TypedReturn {
    const n = this.count;
    const columns: Record<string, TypedColumn> = {};
    for (const [name, col] of Object.entries(this.columns)) columns[name] = col.slice(0, n);
    return {
      kind: this.header.kind,
      rowCount: n,
      rowNumbers: this.rowNumbers.slice(0, n),
      columns,
    };
  }

  private grow(): void {
    this.capacity *= 2;
    for (const f of this.header.fields)
      this.columns[f.name] = resize(this.columns[f.name]!, this.capacity);
    const r = new Int32Array(this.capacity);
    r.set(this.rowNumbers);
    this.rowNumbers = r;
    this.compileReaders();
  }

  /** Readers write into the column arrays, so they are compiled again whenever those grow. */
  private compileReaders(): void {
    this.readers = this.header.map.fields.map((f) =>
      f ? columnReader(f, this.columns[f.name]!, this.bounds, this.log, this.order) : null,
    );
  }
}

function emptyColumn(f: Field, capacity: number): TypedColumn {
  return f.type === 'id' || f.type === 'code'
    ? new Array<string | null>(capacity).fill(null)
    : new Float64Array(capacity).fill(NaN);
}

function resize(col: TypedColumn, capacity: number): TypedColumn {
  if (col instanceof Float64Array) {
    const out = new Float64Array(capacity).fill(NaN);
    out.set(col);
    return out;
  }
  const out = col.slice();
  while (out.length < capacity) out.push(null);
  return out;
}
