/**
 * Turns the bytes of an uploaded file into rows of text, whatever the user saved: a CSV in
 * UTF-8 (with or without a byte-order mark) or an Excel workbook. The file's content decides
 * how it is read, not its name, so a renamed file is caught and explained.
 */
import { scanCsv, type CsvScanResult } from '../csv/parse.js';
import { RowCursor } from '../csv/row-cursor.js';
import { readFirstSheet } from '../xlsx/read.js';
import type { Limits } from './limits.js';
import type { RuleId } from './report.js';

export type FileFormat = 'csv' | 'xlsx';

/** A readable table: `scan` hands over each row in turn, the heading row first (index 0). */
export interface Table {
  ok: true;
  format: FileFormat;
  /** At least the number of rows, to size columns before the scan. */
  rowEstimate: number;
  /** `onRow` returns `false` to stop reading. */
  scan(onRow: (row: RowCursor, index: number) => boolean | void): CsvScanResult;
}

export type TableResult =
  | Table
  | {
      ok: false;
      format: FileFormat | 'unknown';
      rule: RuleId;
      row: number | null;
      message: string;
      fix: string;
    };

const SAVE_AS =
  'Save the return from your spreadsheet program as "CSV UTF-8 (Comma delimited)" or as "Excel Workbook (.xlsx)", then upload it again.';

const signatures: { bytes: number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an old-style Excel 97-2003 workbook (.xls) or another Office document',
  },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: 'a Rich Text document' },
];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export interface ReadOptions {
  /**
   * Read a CSV that is not UTF-8 as Windows-1252, what Excel's "CSV (Comma delimited)" writes
   * (reference data from commissioners' spreadsheets); returns keep asking for UTF-8.
   */
  windows1252?: boolean;
}

export function readTable(
  bytes: Uint8Array,
  fileName: string,
  limits: Limits,
  options: ReadOptions = {},
): TableResult {
  const named = /\.xlsx$/i.test(fileName) ? 'xlsx' : /\.csv$/i.test(fileName) ? 'csv' : 'unknown';
  if (bytes.length === 0)
    return {
      ok: false,
      format: named,
      rule: 'file.empty',
      row: null,
      message: 'The file is empty.',
      fix: SAVE_AS,
    };

  if (isZip(bytes)) {
    const sheet = readFirstSheet(bytes, {
      maxInflatedBytes: limits.maxInflatedBytes,
      maxRows: limits.maxRows + 1,
      maxCellLength: limits.maxCellLength,
    });
    if (!sheet.ok)
      return {
        ok: false,
        format: 'xlsx',
        rule: sheet.problem.rule as RuleId,
        row: null,
        ...pick(sheet.problem),
      };
    const rows = sheet.rows;
    return {
      ok: true,
      format: 'xlsx',
      rowEstimate: rows.length,
      scan(onRow) {
        const cursor = new RowCursor();
        for (let i = 0; i < rows.length; i++)
          if (onRow(cursor.fill(rows[i]!), i) === false) return { ok: true, records: i + 1 };
        return { ok: true, records: rows.length };
      },
    };
  }

  for (const s of signatures)
    if (startsWith(bytes, s.bytes))
      return {
        ok: false,
        format: named,
        rule: 'file.format',
        row: null,
        message: `This file is ${s.what}, not a CSV or Excel workbook${named === 'csv' ? ', although its name ends in .csv' : ''}.`,
        fix: SAVE_AS,
      };

  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]))
    return {
      ok: false,
      format: 'csv',
      rule: 'file.encoding',
      row: null,
      message: 'The file is saved as "Unicode Text" (UTF-16), which Outturn does not read.',
      fix: SAVE_AS,
    };

  const probe = bytes.subarray(0, 65_536);
  if (probe.includes(0))
    return {
      ok: false,
      format: named,
      rule: 'file.format',
      row: null,
      message: `This file holds binary data, so it is not a CSV file${named === 'csv' ? ' even though its name ends in .csv' : ''}.`,
      fix: SAVE_AS,
    };

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (options.windows1252)
      return readCsvText(new TextDecoder('windows-1252').decode(bytes), limits);
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\uFFFD');
    const row = lineOf(lossy, at);
    const around = lossy.slice(Math.max(0, at - 12), at + 12).replace(/[\r\n]+/g, ' ');
    return {
      ok: false,
      format: 'csv',
      rule: 'file.encoding',
      row,
      message: `The file is not saved as UTF-8: row ${row} has a character Outturn cannot read, near "${around}". Files saved as "CSV (Comma delimited)" by older versions of Excel use a different encoding.`,
      fix: 'Save the return as "CSV UTF-8 (Comma delimited)", then upload it again.',
    };
  }

  return readCsvText(text, limits);
}

/** A CSV's decoded text as a table, or the reason it is not one. */
function readCsvText(text: string, limits: Limits): TableResult {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r|\n/)) || text.length);
  if (!firstLine.includes(',')) {
    const sep = firstLine.includes(';') ? 'semicolons' : firstLine.includes('\t') ? 'tabs' : null;
    if (sep)
      return {
        ok: false,
        format: 'csv',
        rule: 'file.format',
        row: 1,
        message: `The values in this file are separated by ${sep}, not commas.`,
        fix: 'Save the return as "CSV UTF-8 (Comma delimited)", then upload it again.',
      };
  }

  return {
    ok: true,
    format: 'csv',
    // Never more than the rows allowed: a flood of line breaks must not size the columns.
    rowEstimate: Math.min(countLines(text), limits.maxRows + 2),
    scan: (onRow) =>
      scanCsv(
        text,
        {
          maxRows: limits.maxRows,
          maxCellLength: limits.maxCellLength,
          maxColumns: limits.maxColumns,
        },
        onRow,
      ),
  };
}

/** Line breaks plus one: never fewer than the records, since a record ends with a break or the text. */
function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  const crOnly = n === 1 && text.includes('\r');
  return crOnly ? text.split('\r').length : n;
}

function pick(p: { message: string; fix: string }) {
  return { message: p.message, fix: p.fix };
}
