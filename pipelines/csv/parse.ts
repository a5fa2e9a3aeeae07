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
}

export type CsvFailure = {
  ok: false;
  rule: 'file.format' | 'file.too_many_rows' | 'cell.too_long';
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

/**
 * Calls `onRecord` for every record. Record `i` is the row a spreadsheet shows as row `i + 1`,
 * even when a quoted value spans lines, so row numbers in reports match what the user sees.
 * The cursor is reused: read what you need from it before returning.
 */
export function scanCsv(
  text: string,
  limits: CsvLimits,
  onRecord: (row: RowCursor, index: number) => void,
): CsvScanResult {
  const n = text.length;
  const cursor = new RowCursor();
  let records = 0;
  let i = 0;
  const fail = (rule: CsvFailure['rule'], message: string, fix: string): CsvFailure => ({
    ok: false,
    rule,
    row: records + 1,
    message,
    fix,
  });

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
        if (q === -1)
          return fail(
            'file.format',
            `Row ${records + 1} has a value that opens with a quote mark (") but never closes it.`,
            'Check the quote marks in that row: a value that starts with " must end with ", and a " inside a value must be doubled ("").',
          );
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
    }
    if (end - start > limits.maxCellLength)
      return fail(
        'cell.too_long',
        `Row ${records + 1}, column ${cursor.count + 1} is ${(end - start).toLocaleString('en-GB')} characters long; no value in a return may be longer than ${limits.maxCellLength.toLocaleString('en-GB')}.`,
        'Check that the column holds the right thing and that quote marks in the row are paired.',
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
        `The file has more than ${limits.maxRows.toLocaleString('en-GB')} rows.`,
        'Check the file is one contract’s return for one month. Ask your contract manager if a return really needs more rows.',
      );
    onRecord(cursor, records++);
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
  const result = scanCsv(text, limits, (row) => rows.push(row.toArray()));
  return result.ok ? { ok: true, rows } : result;
}
