/**
 * The small XLSX parts that tell us how to read a sheet: relationships (which file is which),
 * the workbook (sheet names and order, date system), shared strings and styles (which cells
 * hold dates). Each parser takes the whole part as text and returns plain data, or a reason
 * the part is damaged.
 */

import { isDateFormat } from './dates.js';
import { XmlScanner, decodeOfficeEscapes } from './xml.js';

export interface Relationship {
  readonly type: string;
  /** The part the relationship points to, as a zip entry name (`xl/worksheets/sheet1.xml`). */
  readonly target: string;
}

/** Relationships by id. `fromDir` is the folder of the part that owns them (`xl/`), for relative targets. */
export function parseRelationships(xml: string, fromDir: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const sc = new XmlScanner(xml);
  while (sc.next()) {
    if (!sc.is('Relationship') || sc.closing) continue;
    const id = sc.attr('Id');
    const type = sc.attr('Type');
    const target = sc.attr('Target');
    if (
      id === undefined ||
      type === undefined ||
      target === undefined ||
      sc.attr('TargetMode') === 'External'
    )
      continue;
    rels.set(id, { type, target: resolvePartName(fromDir, target) });
  }
  return rels;
}

/** `xl/` + `worksheets/sheet1.xml`, or an absolute `/xl/...` target, as a zip entry name. */
export function resolvePartName(fromDir: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : fromDir + decoded;
  const segments: string[] = [];
  for (const segment of path.replaceAll('\\', '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/** `xl/workbook.xml` → `xl/`. */
export function folderOf(partName: string): string {
  return partName.slice(0, partName.lastIndexOf('/') + 1);
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
export function relationshipsPartOf(partName: string): string {
  const folder = folderOf(partName);
  return `${folder}_rels/${partName.slice(folder.length)}.rels`;
}

export interface SheetRef {
  readonly name: string;
  readonly relationshipId: string;
  readonly hidden: boolean;
}

export interface WorkbookInfo {
  /** Mac Excel before 2011 counted days from 1904-01-01, and a workbook keeps the system it was made with. */
  readonly date1904: boolean;
  /** In tab order. */
  readonly sheets: readonly SheetRef[];
}

export function parseWorkbook(xml: string): WorkbookInfo {
  let date1904 = false;
  const sheets: SheetRef[] = [];
  const sc = new XmlScanner(xml);
  while (sc.next()) {
    if (sc.closing) continue;
    if (sc.is('workbookPr')) {
      const value = sc.attr('date1904');
      date1904 = value === '1' || value === 'true';
    } else if (sc.is('sheet')) {
      const relationshipId = sc.attr('r:id') ?? sc.attr('id', true);
      if (relationshipId === undefined) continue;
      const state = sc.attr('state');
      sheets.push({
        name: sc.attr('name') ?? '',
        relationshipId,
        hidden: state === 'hidden' || state === 'veryHidden',
      });
    }
  }
  return { date1904, sheets };
}

/** The shared string table, or `undefined` when the part is cut short. */
export function parseSharedStrings(xml: string): string[] | undefined {
  const strings: string[] = [];
  const sc = new XmlScanner(xml);
  for (;;) {
    if (!sc.next()) return sc.partial ? undefined : strings;
    if (!sc.is('si') || sc.closing) continue;
    const s = readRichText(sc);
    if (s === undefined) return undefined;
    strings.push(s);
  }
}

/**
 * The text of a string item (`<si>` or `<is>`) whose open tag was just scanned: plain `<t>` or
 * rich text runs `<r><t>`, joined. Phonetic guides (`<rPh>`, Japanese furigana) are not part of
 * the value and are skipped. `undefined` when the text ends first.
 */
export function readRichText(sc: XmlScanner): string | undefined {
  if (sc.selfClosing) return '';
  let out = '';
  let depth = 0;
  for (;;) {
    if (!sc.next()) return undefined;
    if (sc.closing) {
      if (depth === 0) return decodeOfficeEscapes(out);
      depth--;
    } else if (sc.is('t')) {
      const t = sc.readText();
      if (t === undefined) return undefined;
      out += t;
    } else if (sc.is('rPh')) {
      if (!sc.skipElement()) return undefined;
    } else if (!sc.selfClosing) {
      depth++;
    }
  }
}

/** For each cell format (`<cellXfs>` entry, which a cell's `s` attribute indexes): does it show a date? */
export function parseDateStyles(xml: string): boolean[] {
  const customCodes = new Map<number, string>();
  const xfFormats: number[] = [];
  let inNumFmts = false;
  let inCellXfs = false;
  const sc = new XmlScanner(xml);
  while (sc.next()) {
    if (sc.is('numFmts')) inNumFmts = sc.opening;
    else if (sc.is('cellXfs')) inCellXfs = sc.opening;
    else if (sc.closing) continue;
    else if (inNumFmts && sc.is('numFmt')) {
      const id = Number(sc.attr('numFmtId'));
      const code = sc.attr('formatCode');
      if (Number.isInteger(id) && code !== undefined) customCodes.set(id, code);
    } else if (inCellXfs && sc.is('xf')) {
      xfFormats.push(Number(sc.attr('numFmtId') ?? 0));
    }
  }
  return xfFormats.map((id) => Number.isInteger(id) && isDateFormat(id, customCodes));
}
