/**
 * Writes small, correct XLSX workbooks: return templates and downloads for commissioners.
 *
 * Only what those need: sheets of values, a bold frozen header, column widths, date cells and
 * drop-down lists. Every string is an inline string (`t="inlineStr"`), so a value that starts
 * with `=` is text, never a formula. Output is deterministic: the same sheets give the same bytes.
 */

import { strToU8, zipSync, type Zippable } from 'fflate';
import { fromIsoDate, toExcelSerial } from '../calendar/days.js';
import { MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, cellName, columnName } from './cells.js';

/** `display: 'local'` shows the date in the reader's own short date format (numFmt 14); the default is `yyyy-mm-dd`. */
export type DateCell = { date: string; display?: 'iso' | 'local' };
export type CellValue = string | number | boolean | null | DateCell;

export interface ListValidation {
  /** Index into a row array: 0 is column A. */
  column: number;
  /** Spreadsheet row numbers, as the user sees them: 2 is the first row under a header. */
  firstRow: number;
  lastRow: number;
  values: string[];
}

export interface SheetSpec {
  /** Made safe for Excel: see `sanitiseSheetName`. */
  name: string;
  /** `rows[i]` is spreadsheet row i + 1. */
  rows: CellValue[][];
  /** Bold the first row on a light grey fill, and freeze it. */
  header?: boolean;
  /** Excel character widths; `columnWidths[0]` is column A. */
  columnWidths?: number[];
  listValidations?: ListValidation[];
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Indexes into `<cellXfs>` below. */
const STYLE_HEADER = 1;
const STYLE_WRAP = 2;
const STYLE_DATE_LOCAL = 3;
const STYLE_DATE_ISO = 4;

/** Excel refuses longer cells. */
const MAX_CELL_CHARACTERS = 32_767;
/** Excel's limit on a list typed into the data validation box, commas included. */
const MAX_INLINE_LIST = 255;
/** A fixed zip timestamp, so output is reproducible (DOS dates start in 1980). */
const ZIP_MTIME = new Date(2000, 0, 1);

export function writeXlsx(sheets: SheetSpec[]): Uint8Array {
  if (sheets.length === 0) throw new RangeError('a workbook needs at least one sheet');
  const taken = new Set<string>();
  const names = sheets.map((s) => sanitiseSheetName(s.name, taken));

  // Lists too long (or with commas or quotes) for the validation box go on one hidden sheet, a column each.
  const lists: string[][] = [];
  const listsSheetName = sanitiseSheetName('Lists', taken);
  const worksheets = sheets.map((spec, i) => worksheetXml(spec, i === 0, lists, listsSheetName));
  const allSheets = [...names.map((name) => ({ name, hidden: false }))];
  if (lists.length > 0) {
    worksheets.push(
      worksheetXml({ name: listsSheetName, rows: transpose(lists) }, false, [], listsSheetName),
    );
    allSheets.push({ name: listsSheetName, hidden: true });
  }

  const files: Zippable = {
    '[Content_Types].xml': text(contentTypesXml(worksheets.length)),
    '_rels/.rels': text(
      `${XML_DECLARATION}<Relationships xmlns="${NS_PKG_REL}">` +
        `<Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': text(workbookXml(allSheets)),
    'xl/_rels/workbook.xml.rels': text(workbookRelsXml(worksheets.length)),
    'xl/styles.xml': text(STYLES_XML),
  };
  worksheets.forEach((xml, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = text(xml);
  });
  return zipSync(files, { level: 6, mtime: ZIP_MTIME });
}

function text(s: string): Uint8Array {
  return strToU8(s);
}

/**
 * A name Excel accepts: no `[ ] : * ? / \` (each becomes `-`), no control characters, not
 * starting or ending with `'`, at most 31 characters, not `History` (Excel reserves it), and
 * unique ignoring case (a repeat gets ` (2)`). `taken` collects the names given so far.
 */
export function sanitiseSheetName(wanted: string, taken: Set<string> = new Set()): string {
  let base = stripIllegalXml(wanted)
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[[\]:*?/\\]/g, '-')
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim();
  if (base === '') base = 'Sheet';
  if (base.toLowerCase() === 'history') base = 'History (1)';
  const shortened = (max: number) => truncate(base, max).replace(/[\s']+$/, '');
  let name = shortened(31);
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = shortened(31 - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** At most `max` UTF-16 units (Excel's count), never splitting a surrogate pair. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function transpose(columns: string[][]): CellValue[][] {
  const rows: CellValue[][] = [];
  columns.forEach((values, c) => {
    values.forEach((value, r) => {
      (rows[r] ??= [])[c] = value;
    });
  });
  for (const row of rows) for (let c = 0; c < row.length; c++) row[c] ??= null;
  return rows;
}

function worksheetXml(
  spec: SheetSpec,
  selected: boolean,
  lists: string[][],
  listsSheetName: string,
): string {
  if (spec.rows.length > MAX_SHEET_ROWS)
    throw new RangeError(`sheet ${spec.name} has more rows than Excel allows`);
  const parts: string[] = [XML_DECLARATION, `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`];
  let width = 0;
  for (const row of spec.rows) width = Math.max(width, row.length);
  if (width > MAX_SHEET_COLUMNS)
    throw new RangeError(`sheet ${spec.name} has more columns than Excel allows`);
  parts.push(
    `<dimension ref="A1${width > 0 && spec.rows.length > 0 ? `:${cellName(width - 1, spec.rows.length)}` : ''}"/>`,
  );

  const view = selected ? ' tabSelected="1"' : '';
  parts.push(
    spec.header
      ? `<sheetViews><sheetView${view} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
          '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
      : `<sheetViews><sheetView${view} workbookViewId="0"/></sheetViews>`,
  );
  parts.push('<sheetFormatPr defaultRowHeight="15"/>');

  const cols = (spec.columnWidths ?? [])
    .map((w, i) =>
      Number.isFinite(w) && w > 0
        ? `<col min="${i + 1}" max="${i + 1}" width="${Math.min(w, 255)}" customWidth="1"/>`
        : '',
    )
    .join('');
  if (cols) parts.push(`<cols>${cols}</cols>`);

  parts.push('<sheetData>');
  spec.rows.forEach((row, r) => {
    const cells: string[] = [];
    row.forEach((value, c) => {
      const cell = cellXml(value, cellName(c, r + 1), spec.header === true && r === 0);
      if (cell) cells.push(cell);
    });
    if (cells.length) parts.push(`<row r="${r + 1}">${cells.join('')}</row>`);
  });
  parts.push('</sheetData>');

  const validations = (spec.listValidations ?? [])
    .map((v) => validationXml(v, lists, listsSheetName))
    .filter(Boolean);
  if (validations.length)
    parts.push(
      `<dataValidations count="${validations.length}">${validations.join('')}</dataValidations>`,
    );

  parts.push(
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
  );
  return parts.join('');
}

function cellXml(value: CellValue, ref: string, isHeader: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    const s = stripIllegalXml(value);
    if (s === '') return '';
    if (s.length > MAX_CELL_CHARACTERS)
      throw new RangeError(`cell ${ref} is longer than Excel allows`);
    const style = isHeader ? STYLE_HEADER : s.includes('\n') ? STYLE_WRAP : 0;
    return `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t xml:space="preserve">${escapeText(s)}</t></is></c>`;
  }
  const headerStyle = isHeader ? ` s="${STYLE_HEADER}"` : '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError(`cell ${ref}: ${value} cannot be written to a workbook`);
    return `<c r="${ref}"${headerStyle}><v>${String(value)}</v></c>`;
  }
  if (typeof value === 'boolean')
    return `<c r="${ref}"${headerStyle} t="b"><v>${value ? 1 : 0}</v></c>`;
  const days = fromIsoDate(value.date);
  // Excel's serials are off by one before 1 March 1900 (its phantom 29 February); returns never go there.
  if (Number.isNaN(days) || value.date < '1900-03-01')
    throw new RangeError(`cell ${ref}: ${value.date} is not a date we can write`);
  const style = value.display === 'local' ? STYLE_DATE_LOCAL : STYLE_DATE_ISO;
  return `<c r="${ref}" s="${style}"><v>${toExcelSerial(days)}</v></c>`;
}

function validationXml(v: ListValidation, lists: string[][], listsSheetName: string): string {
  if (!Number.isInteger(v.column) || v.column < 0 || v.column >= MAX_SHEET_COLUMNS)
    throw new RangeError(`validation column ${v.column}`);
  if (
    !Number.isInteger(v.firstRow) ||
    !Number.isInteger(v.lastRow) ||
    v.firstRow < 1 ||
    v.lastRow < v.firstRow ||
    v.lastRow > MAX_SHEET_ROWS
  ) {
    throw new RangeError(`validation rows ${v.firstRow} to ${v.lastRow}`);
  }
  const values = v.values.map(stripIllegalXml).filter((s) => s !== '');
  if (values.length === 0) return '';
  const sqref = `${cellName(v.column, v.firstRow)}:${cellName(v.column, v.lastRow)}`;
  const joined = values.join(',');
  let formula: string;
  if (joined.length <= MAX_INLINE_LIST && !values.some((s) => s.includes(',') || s.includes('"'))) {
    formula = `"${joined}"`;
  } else {
    lists.push(values);
    const column = columnName(lists.length - 1);
    formula = `'${listsSheetName.replaceAll("'", "''")}'!$${column}$1:$${column}$${values.length}`;
  }
  return (
    `<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="Not in the list" ` +
    `error="Choose a value from the list." sqref="${sqref}"><formula1>${escapeText(formula)}</formula1></dataValidation>`
  );
}

/**
 * Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
 * dropped. A carriage return is legal but XML readers turn it into a line feed, so it is kept
 * as Office's `_x000D_`; and text that already looks like such an escape is itself escaped
 * (`_x005F_`), so every reader gets back exactly what was written.
 */
function escapeText(s: string): string {
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '_x000D_');
}

function stripIllegalXml(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

function escapeAttribute(s: string): string {
  return escapeText(s).replaceAll('"', '&quot;');
}

function contentTypesXml(sheetCount: number): string {
  const overrides = Array.from(
    { length: sheetCount },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT}.worksheet+xml"/>`,
  ).join('');
  return (
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>` +
    `${overrides}</Types>`
  );
}

function workbookXml(sheets: { name: string; hidden: boolean }[]): string {
  const entries = sheets
    .map(
      (s, i) =>
        `<sheet name="${escapeAttribute(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`,
    )
    .join('');
  return (
    `${XML_DECLARATION}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<bookViews><workbookView activeTab="0"/></bookViews><sheets>${entries}</sheets></workbook>`
  );
}

function workbookRelsXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join('');
  return (
    `${XML_DECLARATION}<Relationships xmlns="${NS_PKG_REL}">${sheets}` +
    `<Relationship Id="rId${sheetCount + 1}" Type="${REL_TYPE}/styles" Target="styles.xml"/></Relationships>`
  );
}

/** Cell formats, in `STYLE_*` order: normal, header, wrapped, local date (built-in 14), ISO date (custom 164). */
const STYLES_XML =
  `${XML_DECLARATION}<styleSheet xmlns="${NS_MAIN}">` +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>' +
  '<fonts count="2">' +
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '</fonts>' +
  '<fills count="3">' +
  '<fill><patternFill patternType="none"/></fill>' +
  '<fill><patternFill patternType="gray125"/></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFE7E7E7"/><bgColor indexed="64"/></patternFill></fill>' +
  '</fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>' +
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';
