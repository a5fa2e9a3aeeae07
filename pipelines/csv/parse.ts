/**
 * A strict, fast CSV reader (RFC 4180: commas, double-quoted fields, doubled quotes inside
 * them, CRLF or LF line ends). It scans the text once by character code, because returns can
 * hold hundreds of thousands of rows and a general-purpose parser is several times slower.
 */

export interface CsvLimits {
  maxRows: number;
  maxCellLength: number;
}

export type CsvParseResult =
  | { ok: true; rows: string[][] }
  | { ok: false; rule: 'file.format' | 'file.too_many_rows' | 'cell.too_long'; row: number; message: string; fix: string };

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Splits CSV text into records. Record `i` is the row a spreadsheet shows as row `i + 1`, even
 * when a quoted value spans lines, so row numbers in reports match what the user sees.
 *
 * @example parseCsv('a,b\r\n1,"x, y"\r\n', limits) // { ok: true, rows: [['a','b'],['1','x, y']] }
 */
export function parseCsv(text: string, limits: CsvLimits): CsvParseResult {
  const rows: string[][] = [];
  const n = text.length;
  let i = 0;
  let row: string[] = [];
  while (i < n) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      // Quoted field: runs to the next quote that is not doubled.
      let start = i + 1;
      let parts = '';
      let j = start;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          return {
            ok: false,
            rule: 'file.format',
            row: rows.length + 1,
            message: `Row ${rows.length + 1} has a value that opens with a quote mark (") but never closes it.`,
            fix: 'Check the quote marks in that row: a value that starts with " must end with ", and a " inside a value must be doubled ("").',
          };
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          parts += text.slice(start, q + 1);
          j = start = q + 2;
          continue;
        }
        value = parts + text.slice(start, q);
        i = q + 1;
        break;
      }
      const c = text.charCodeAt(i);
      if (i < n && c !== COMMA && c !== CR && c !== LF) {
        return {
          ok: false,
          rule: 'file.format',
          row: rows.length + 1,
          message: `Row ${rows.length + 1} has text straight after a closing quote mark, in column ${row.length + 1}.`,
          fix: 'A quoted value must be followed by a comma or the end of the line. Double any quote mark inside a value ("").',
        };
      }
    } else {
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
      }
      value = text.slice(i, j);
      i = j;
    }
    if (value.length > limits.maxCellLength) {
      return {
        ok: false,
        rule: 'cell.too_long',
        row: rows.length + 1,
        message: `Row ${rows.length + 1}, column ${row.length + 1} is ${value.length.toLocaleString('en-GB')} characters long; no value in a return may be longer than ${limits.maxCellLength.toLocaleString('en-GB')}.`,
        fix: 'Check that the column holds the right thing and that quote marks in the row are paired.',
      };
    }
    row.push(value);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i === n) row.push('');
      continue;
    }
    // End of record: CRLF, LF, lone CR, or end of text.
    if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
    else if (c === LF) i++;
    rows.push(row);
    row = [];
    if (rows.length > limits.maxRows + 1) {
      return {
        ok: false,
        rule: 'file.too_many_rows',
        row: rows.length,
        message: `The file has more than ${limits.maxRows.toLocaleString('en-GB')} rows.`,
        fix: 'Check the file is one contract’s return for one month. Ask your contract manager if a return really needs more rows.',
      };
    }
  }
  if (row.length) rows.push(row);
  return { ok: true, rows };
}
