/**
 * Every table as a download, CSV or XLSX, with the same columns as on the page.
 *
 * Formula injection: a provider controls text that ends up in a commissioner's spreadsheet
 * (ids, free text). A cell starting `=`, `+`, `-`, `@`, tab or carriage return is read by Excel
 * and LibreOffice as a formula, which can run commands or leak data. Such text gets a leading
 * `'`, which the spreadsheet shows as text (OWASP's advice). Numbers are left as numbers:
 * −2 is a number, "-2" sent as text is not.
 *
 * @example
 *   const { body, contentType } = toCsvDownload(columns, rows);
 */
import { toCsv, type CsvValue } from '../pipelines/csv/write.js';
import { writeXlsx, type CellValue } from '../pipelines/xlsx/write.js';
import type { Column, Row } from './columns.js';

export interface Download {
  body: Uint8Array;
  contentType: string;
  /** The usual extension, for a Content-Disposition file name. */
  extension: 'csv' | 'xlsx';
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet would take for a formula, made plain text by a leading `'`. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell's value for a download: numbers stay numbers, booleans become words, anything else text. */
function downloadValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutraliseFormula(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * CSV with a UTF-8 byte order mark: without it Excel opens UTF-8 as Windows-1252 and turns
 * "£" and "’" into mojibake. The header is neutralised too: column labels are ours, but cheap.
 */
export function toCsvDownload(columns: readonly Column[], rows: readonly Row[]): Download {
  const text = toCsv(
    columns.map((c) => neutraliseFormula(c.label)),
    rows.map((row) => columns.map((c): CsvValue => downloadValue(row[c.key]))),
  );
  return {
    body: new TextEncoder().encode(`\uFEFF${text}`),
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * XLSX through Outturn's own writer. It writes every string as an inline string, so Excel never
 * evaluates one as a formula; we still add the `'` to formula-like text, so a user who saves the
 * sheet as CSV and opens that does not meet the formula there. Date columns become real dates.
 */
export function toXlsxDownload(
  sheetName: string,
  columns: readonly Column[],
  rows: readonly Row[],
): Download {
  const header: CellValue[] = columns.map((c) => neutraliseFormula(c.label));
  const body: CellValue[][] = rows.map((row) =>
    columns.map((c): CellValue => {
      const value = row[c.key];
      if (c.format === 'date' && typeof value === 'string' && ISO_DATE.test(value))
        return { date: value, display: 'local' };
      return downloadValue(value);
    }),
  );
  const widths = columns.map((c, i) =>
    Math.min(
      60,
      Math.max(
        10,
        c.label.length + 2,
        ...body.slice(0, 200).map((r) => String(r[i] ?? '').length + 2),
      ),
    ),
  );
  const bytes = writeXlsx([
    { name: sheetName, rows: [header, ...body], header: true, columnWidths: widths },
  ]);
  return {
    body: bytes,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  };
}
