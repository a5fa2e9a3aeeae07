/**
 * Reads a worksheet's `<sheetData>` as it is inflated, a row at a time, into plain strings.
 *
 * The sheet is the one part that can be large, so it is never held whole: text arrives in
 * pieces, complete rows are turned into values and only an unfinished row is kept for the next
 * piece. Limits are checked cell by cell, so a sheet with data in row 900,000 is refused when
 * that row arrives and the rest is never inflated.
 */

import {
  MAX_SHEET_COLUMNS,
  MAX_SHEET_ROWS,
  cellName,
  characterCount,
  columnOfRef,
} from './cells.js';
import { excelSerialToIso } from './dates.js';
import type { ChunkVerdict } from './inflate.js';
import { readRichText } from './parts.js';
import {
  bomb,
  cellTooLong,
  notAWorkbook,
  tooManyColumns,
  tooManyRows,
  type XlsxProblem,
} from './problem.js';
import { XmlScanner, decodeOfficeEscapes } from './xml.js';

export interface SheetLimits {
  readonly maxRows: number;
  readonly maxColumns: number;
  readonly maxCellLength: number;
}

export interface SheetContext {
  readonly sharedStrings: readonly string[];
  /** Indexed by a cell's `s` attribute. */
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
  readonly limits: SheetLimits;
}

/**
 * Longest stretch of XML we keep while waiting for a row to end. A legal row of a return is far
 * smaller (200 columns of 1,000 characters, even as `&#...;` references); only a crafted file
 * gets near it.
 */
const MAX_PENDING_CHARACTERS = 16 * 1024 * 1024;

const ROW_UNFINISHED = Symbol('row unfinished');
/** Read once: imported bindings can cost a property lookup on every use under some loaders. */
const LAST_COLUMN = MAX_SHEET_COLUMNS - 1;
const CELL_ATTRIBUTES = ['r', 't', 's'] as const;

export class SheetReader {
  /** `rows[i]` is spreadsheet row i + 1. */
  readonly rows: string[][] = [];
  private pending = '';
  private inSheetData = false;
  private finished = false;
  private lastRow = 0;
  /** The kept text is an unfinished row: no point scanning again until a `row>` arrives. */
  private waitingForRowEnd = false;
  /** Returns repeat the same few hundred dates; making an ISO string is the slow part. */
  private readonly isoBySerial = new Map<number, string | undefined>();
  /** Reused for every cell: `r`, `t` and `s`. */
  private readonly cellAttributes: (string | undefined)[] = [undefined, undefined, undefined];

  constructor(private readonly context: SheetContext) {}

  /** Hands over the next piece of the sheet's text; `final` with the last one. */
  feed(text: string, final: boolean): ChunkVerdict {
    if (this.finished) return 'stop';
    if (this.waitingForRowEnd && !final && (this.pending.slice(-3) + text).indexOf('row>') < 0) {
      this.pending += text;
      return this.pending.length > MAX_PENDING_CHARACTERS
        ? bomb('one row of the sheet is over 16 Mi characters of XML')
        : undefined;
    }
    const buffer = this.pending + text;
    const sc = new XmlScanner(buffer);
    let keepFrom = buffer.length;
    this.waitingForRowEnd = false;
    for (;;) {
      if (!sc.next()) {
        if (sc.partial) keepFrom = sc.tagStart;
        break;
      }
      if (!this.inSheetData) {
        if (sc.is('sheetData') && !sc.closing) {
          this.inSheetData = true;
          if (sc.selfClosing) return this.finish();
        }
        continue;
      }
      if (sc.closing) {
        if (sc.is('sheetData')) return this.finish();
        continue;
      }
      const start = sc.tagStart;
      if (!sc.is('row')) {
        if (!sc.skipElement()) {
          keepFrom = start;
          break;
        }
        continue;
      }
      const rowNumber = this.rowNumber(sc.attr('r'));
      if (typeof rowNumber !== 'number') return rowNumber;
      if (sc.selfClosing) {
        this.lastRow = rowNumber;
        continue;
      }
      const result = this.readRow(sc, rowNumber);
      if (result === ROW_UNFINISHED) {
        keepFrom = start;
        this.waitingForRowEnd = true;
        break;
      }
      if (result) return result;
    }
    this.pending = keepFrom < buffer.length ? buffer.slice(keepFrom) : '';
    if (final) return notAWorkbook('the worksheet ends before its </sheetData>');
    return this.pending.length > MAX_PENDING_CHARACTERS
      ? bomb('one row of the sheet is over 16 Mi characters of XML')
      : undefined;
  }

  private finish(): ChunkVerdict {
    this.finished = true;
    this.pending = '';
    return 'stop';
  }

  /** Whether `</sheetData>` was reached. */
  get complete(): boolean {
    return this.finished;
  }

  private rowNumber(r: string | undefined): number | XlsxProblem {
    if (r === undefined) return this.lastRow + 1;
    const n = /^\d{1,7}$/.test(r) ? Number(r) : NaN;
    return n >= 1 && n <= MAX_SHEET_ROWS
      ? n
      : notAWorkbook(`row number ${JSON.stringify(r.slice(0, 20))}`);
  }

  /** Reads the row whose open tag was just scanned and stores its values. */
  private readRow(
    sc: XmlScanner,
    rowNumber: number,
  ): XlsxProblem | typeof ROW_UNFINISHED | undefined {
    const { limits } = this.context;
    const cells: string[] = [];
    let column = -1;
    for (;;) {
      if (!sc.next()) return ROW_UNFINISHED;
      if (sc.closing) {
        if (sc.is('row')) break;
        continue;
      }
      if (!sc.is('c')) {
        if (!sc.skipElement()) return ROW_UNFINISHED;
        continue;
      }
      sc.attrs(CELL_ATTRIBUTES, this.cellAttributes);
      const [ref, type, style] = this.cellAttributes;
      column = ref === undefined ? column + 1 : columnOfRef(ref);
      if (column < 0 || column > LAST_COLUMN) {
        return notAWorkbook(
          `cell reference ${JSON.stringify((ref ?? '').slice(0, 20))} in row ${rowNumber}`,
        );
      }
      const content = sc.selfClosing ? {} : readCellContent(sc);
      if (content === undefined) return ROW_UNFINISHED;
      const value = this.cellValue(type, style, content.v, content.inline, column, rowNumber);
      if (typeof value !== 'string') return value;
      if (value === '') continue;

      if (rowNumber > limits.maxRows) return tooManyRows(rowNumber, limits.maxRows);
      if (column >= limits.maxColumns)
        return tooManyColumns(cellName(column, rowNumber), column + 1, limits.maxColumns);
      if (value.length > limits.maxCellLength) {
        const length = characterCount(value);
        if (length > limits.maxCellLength)
          return cellTooLong(cellName(column, rowNumber), length, limits.maxCellLength);
      }
      while (cells.length < column) cells.push('');
      cells[column] = value;
    }
    this.lastRow = rowNumber;
    this.store(rowNumber, cells);
    return undefined;
  }

  private store(rowNumber: number, cells: string[]): void {
    if (cells.length === 0) return;
    const index = rowNumber - 1;
    while (this.rows.length < index) this.rows.push([]);
    if (index === this.rows.length) {
      this.rows.push(cells);
      return;
    }
    // Rows should come in order, once each; if one repeats, its values join the earlier ones.
    const existing = this.rows[index]!;
    cells.forEach((value, column) => {
      if (value === '') return;
      while (existing.length < column) existing.push('');
      existing[column] = value;
    });
  }

  private cellValue(
    type: string | undefined,
    style: string | undefined,
    v: string | undefined,
    inline: string | undefined,
    column: number,
    rowNumber: number,
  ): string | XlsxProblem {
    switch (type) {
      case 's': {
        if (v === undefined || v.trim() === '') return '';
        const s = this.context.sharedStrings[Number(v)];
        return (
          s ??
          notAWorkbook(
            `cell ${cellName(column, rowNumber)} points to shared string ${v.slice(0, 20)}, which does not exist`,
          )
        );
      }
      case 'inlineStr':
      case 'str':
        return inline ?? decodeOfficeEscapes(v ?? '');
      case 'b': {
        const b = (v ?? '').trim();
        return b === '1' || b === 'true' ? 'TRUE' : b === '0' || b === 'false' ? 'FALSE' : b;
      }
      case 'e':
        return v ?? '';
      case 'd': {
        // ISO 8601 date-time; strict OOXML files store dates like this. Returns hold dates only.
        const d = (v ?? '').trim();
        return /^\d{4}-\d{2}-\d{2}/.test(d) ? d.slice(0, 10) : d;
      }
      default: {
        if (inline !== undefined) return inline;
        const text = (v ?? '').trim();
        if (text === '') return '';
        const n = Number(text);
        if (!Number.isFinite(n)) return text;
        if (style !== undefined && this.context.dateStyles[Number(style)] === true) {
          let iso = this.isoBySerial.get(n);
          if (iso === undefined && !this.isoBySerial.has(n)) {
            iso = excelSerialToIso(n, this.context.date1904);
            if (this.isoBySerial.size < 100_000) this.isoBySerial.set(n, iso);
          }
          return iso ?? String(n);
        }
        return String(n);
      }
    }
  }
}

/**
 * The `<v>` value and `<is>` inline string of the cell whose open tag was just scanned, up to its
 * `</c>`. Formulas (`<f>`) are skipped: we read the result Excel cached, as the user saw it.
 * `undefined` when the text ends first.
 */
function readCellContent(sc: XmlScanner): { v?: string; inline?: string } | undefined {
  const content: { v?: string; inline?: string } = {};
  for (;;) {
    if (!sc.next()) return undefined;
    if (sc.closing) {
      if (sc.is('c')) return content;
      continue;
    }
    if (sc.is('v')) {
      const v = sc.readText();
      if (v === undefined) return undefined;
      content.v = v;
    } else if (sc.is('is')) {
      const inline = readRichText(sc);
      if (inline === undefined) return undefined;
      content.inline = inline;
    } else if (!sc.skipElement()) {
      return undefined;
    }
  }
}
