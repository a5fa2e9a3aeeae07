/**
 * A strict, fast CSV reader (RFC 4180: commas, double-quoted fields, doubled quotes inside
 * them, CRLF or LF line ends). It scans the text once by character code and hands each record
 * to a callback as spans of the text, because returns can hold hundreds of thousands of rows
 * and copying every cell into its own string costs more than checking it.
 */
import { RowCursor } from './row-cursor.js';

export interface CsvLimits {
  /** Most records after the heading row. */
  maxRows: number;
  maxCellLength: number;
  /** Most values in one record, empty ones included; unlimited when not given. */
  maxColumns?: number;
}

export type CsvFailure = {
  ok: false;
  rule: 'file.format' | 'file.too_many_rows' | 'file.too_many_columns' | 'cell.too_long';
  row: number;
  message: string;
  fix: string;
};

export type CsvScanResult = { ok: true; records: number } | CsvFailure;
export type CsvParseResult = { ok: true; rows: string[][] } | CsvFailure;

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
/** Longest heading quoted back in a message. */
const NAME_SHOWN = 60;

const count = (n: number) => n.toLocaleString('en-GB');

/**
 * Calls `onRecord` for every record. Record `i` is the row a spreadsheet shows as row `i + 1`,
 * even when a quoted value spans lines, so row numbers in reports match what the user sees.
 * The cursor is reused: read what you need from it before returning. `onRecord` returns
 * `false` to stop the scan early (the result then counts the records seen so far).
 *
 * A hostile shape is refused where it is found, before anything is copied: a value longer than
 * `maxCellLength` (measured by scanning, never by building it), a record wider than
 * `maxColumns`. So the memory a scan takes is the cursor's, whatever the text holds.
 */
export function scanCsv(
  text: string,
  limits: CsvLimits,
  onRecord: (row: RowCursor, index: number) => boolean | void,
): CsvScanResult {
  const n = text.length;
  const cursor = new RowCursor();
  const maxColumns = limits.maxColumns ?? Infinity;
  let headings: string[] = [];
  let records = 0;
  let i = 0;
  const fail = (rule: CsvFailure['rule'], message: string, fix: string): CsvFailure => ({
    ok: false,
    rule,
    row: records + 1,
    message,
    fix,
  });
  const columnName = (j: number) => {
    const h = records > 0 ? (headings[j] ?? '').trim() : '';
    return h
      ? `field ${h.length > NAME_SHOWN ? `${h.slice(0, NAME_SHOWN)}…` : h}`
      : `column ${j + 1}`;
  };
  const tooLong = (from: number, to: number) => {
    let breaks = 0;
    for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1))
      breaks++;
    return fail(
      'cell.too_long',
      `Row ${records + 1}, ${columnName(cursor.count)}: this cell is ${count(to - from)} characters long${breaks ? ` and holds ${count(breaks)} line breaks` : ''}; the most a cell may hold is ${count(limits.maxCellLength)}.`,
      breaks > 1
        ? 'A quote mark (") that opens a value but is never paired runs the rest of the file into one cell: check the quote marks in that row.'
        : 'Check that the column holds the right thing and that quote marks in the row are paired.',
    );
  };

  while (i < n) {
    let src = text;
    let start: number;
    let end: number;
    if (text.charCodeAt(i) === QUOTE) {
      // A quoted value runs to the next quote that is not doubled.
      start = i + 1;
      let built: string | null = null;
      let from = start;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) {
          if (n - start > limits.maxCellLength) return tooLong(start, n);
          return fail(
            'file.format',
            `Row ${records + 1} has a value that opens with a quote mark (") but never closes it.`,
            'Check the quote marks in that row: a value that starts with " must end with ", and a " inside a value must be doubled ("").',
          );
        }
        if (q - start > limits.maxCellLength) return tooLong(start, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          built = (built ?? '') + text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        if (built === null) end = q;
        else {
          src = built + text.slice(from, q);
          start = 0;
          end = src.length;
        }
        i = q + 1;
        break;
      }
      const c = text.charCodeAt(i);
      if (i < n && c !== COMMA && c !== CR && c !== LF)
        return fail(
          'file.format',
          `Row ${records + 1} has text straight after a closing quote mark, in column ${cursor.count + 1}.`,
          'A quoted value must be followed by a comma or the end of the line. Double any quote mark inside a value ("").',
        );
    } else {
      start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === LF || c === CR) break;
        i++;
      }
      end = i;
      if (end - start > limits.maxCellLength) return tooLong(start, end);
    }
    if (cursor.count >= maxColumns)
      return fail(
        'file.too_many_columns',
        `Row ${records + 1} has more than ${count(maxColumns)} values.`,
        'Check the row: a return has one value for each column of the template. Delete the extra columns or commas.',
      );
    cursor.push(src, start, end);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i === n) cursor.push(text, n, n);
      continue;
    }
    // End of record: CRLF, LF, lone CR, or end of text.
    if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
    else if (c === LF) i++;
    if (records > limits.maxRows)
      return fail(
        'file.too_many_rows',
        `The file has more than ${count(limits.maxRows)} rows.`,
        'Check the file is one contract’s return for one month. Ask your contract manager if a return really needs more rows.',
      );
    if (records === 0) headings = cursor.toArray().map((h) => h.slice(0, NAME_SHOWN + 1));
    if (onRecord(cursor, records++) === false) return { ok: true, records };
    cursor.count = 0;
  }
  if (cursor.count) onRecord(cursor, records++);
  return { ok: true, records };
}

/**
 * Splits CSV text into arrays of strings: simpler to use than `scanCsv`, for small files.
 *
 * @example parseCsv('a,b\r\n1,"x, y"\r\n', limits) // { ok: true, rows: [['a','b'],['1','x, y']] }
 */
export function parseCsv(text: string, limits: CsvLimits): CsvParseResult {
  const rows: string[][] = [];
  const result = scanCsv(text, limits, (row) => {
    rows.push(row.toArray());
  });
  return result.ok ? { ok: true, rows } : result;
}
