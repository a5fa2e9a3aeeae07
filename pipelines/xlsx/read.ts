/**
 * Reads the first sheet of an uploaded XLSX workbook as rows of strings, or says plainly why not.
 *
 * The order is the point: the zip guard checks the central directory before anything is
 * inflated; then only the parts needed to read one sheet are inflated, each held to its
 * declared size and all to one budget; the sheet itself is parsed as it streams out. Values
 * come back as the text a return's validator expects: numbers in JavaScript's shortest form
 * (`3`, not `3.0`), dates as ISO `YYYY-MM-DD`, booleans `TRUE`/`FALSE`, errors as shown (`#N/A`),
 * formulas as their cached results. This function never throws.
 */

import { inflateEntry, inflateText, StreamingText, type InflateBudget } from './inflate.js';
import {
  folderOf,
  parseDateStyles,
  parseRelationships,
  parseSharedStrings,
  parseWorkbook,
  relationshipsPartOf,
  resolvePartName,
  type Relationship,
} from './parts.js';
import { notAWorkbook, oldFormatOrPassword, openDocument, type XlsxProblem } from './problem.js';
import { SheetReader } from './sheet.js';
import { inspectZip, type ZipEntry } from './zip-guard.js';

export interface XlsxLimits {
  /** All the parts we inflate, together; also the most the zip may declare in total. */
  readonly maxInflatedBytes: number;
  readonly maxRows: number;
  /** Columns that hold a value; formatted empty cells further right do not count. */
  readonly maxColumns: number;
  /** In characters (code points). */
  readonly maxCellLength: number;
}

export const defaultXlsxLimits: XlsxLimits = {
  maxInflatedBytes: 200 * 1024 * 1024,
  maxRows: 250_000,
  maxColumns: 200,
  maxCellLength: 1_000,
};

export type XlsxReadResult =
  | {
      ok: true;
      sheetName: string;
      /** `rows[i]` is spreadsheet row i + 1; rows with no values are `[]`; trailing empty cells and rows are dropped. */
      rows: string[][];
    }
  | { ok: false; problem: XlsxProblem };

/** Password-protected XLSX files and Excel 97–2003 files are both OLE compound files. */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function readFirstSheet(
  bytes: Uint8Array,
  limits: Partial<XlsxLimits> = {},
): XlsxReadResult {
  try {
    return read(bytes, { ...defaultXlsxLimits, ...limits });
  } catch (error) {
    // Every known way a file can be wrong is handled above; this is the net under the unknown ones.
    return fail(
      notAWorkbook(
        `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
    );
  }
}

function fail(problem: XlsxProblem): XlsxReadResult {
  return { ok: false, problem };
}

function read(bytes: Uint8Array, limits: XlsxLimits): XlsxReadResult {
  if (OLE_SIGNATURE.every((b, i) => bytes[i] === b))
    return fail(oldFormatOrPassword('OLE compound file'));

  const guard = inspectZip(bytes, { maxTotalUncompressedBytes: limits.maxInflatedBytes });
  if (!guard.ok) return guard;
  const parts = new Map<string, ZipEntry>(guard.entries.map((e) => [e.name.toLowerCase(), e]));
  const budget: InflateBudget = { remaining: limits.maxInflatedBytes };

  /** A part's text, `undefined` when the zip has no such part. */
  const text = (name: string): { text: string } | XlsxProblem | undefined => {
    const entry = parts.get(name.toLowerCase());
    return entry && inflateText(bytes, entry, budget);
  };

  // The package relationships say where the workbook is; it is almost always xl/workbook.xml.
  let workbookPart = 'xl/workbook.xml';
  const packageRels = text('_rels/.rels');
  if (packageRels && !('text' in packageRels)) return fail(packageRels);
  if (packageRels) {
    const office = findByType(parseRelationships(packageRels.text, ''), 'officeDocument');
    if (office) workbookPart = office.target;
  }
  const workbookXml = text(workbookPart);
  if (!workbookXml) {
    if (parts.has('mimetype') && parts.has('content.xml'))
      return fail(openDocument('zip holds mimetype and content.xml'));
    return fail(notAWorkbook(`no workbook part ${workbookPart}`));
  }
  if (!('text' in workbookXml)) return fail(workbookXml);
  const workbook = parseWorkbook(workbookXml.text);

  const workbookRelsXml = text(relationshipsPartOf(workbookPart));
  if (!workbookRelsXml) return fail(notAWorkbook('no workbook relationships part'));
  if (!('text' in workbookRelsXml)) return fail(workbookRelsXml);
  const workbookRels = parseRelationships(workbookRelsXml.text, folderOf(workbookPart));

  // The first sheet a person sees: hidden sheets and chart sheets are passed over.
  let sheet: { name: string; entry: ZipEntry } | undefined;
  for (const ref of workbook.sheets) {
    const rel = workbookRels.get(ref.relationshipId);
    if (ref.hidden || !rel || !rel.type.endsWith('/worksheet')) continue;
    const entry = parts.get(rel.target.toLowerCase());
    if (!entry) return fail(notAWorkbook(`sheet ${ref.name} points to missing part ${rel.target}`));
    sheet = { name: ref.name, entry };
    break;
  }
  if (!sheet) return fail(notAWorkbook('no visible worksheet'));

  const sharedStringsPart =
    findByType(workbookRels, 'sharedStrings')?.target ??
    `${folderOf(workbookPart)}sharedStrings.xml`;
  const sharedStringsXml = text(sharedStringsPart);
  if (sharedStringsXml && !('text' in sharedStringsXml)) return fail(sharedStringsXml);
  const sharedStrings = sharedStringsXml ? parseSharedStrings(sharedStringsXml.text) : [];
  if (!sharedStrings) return fail(notAWorkbook('shared strings part is cut short'));

  const stylesPart =
    findByType(workbookRels, 'styles')?.target ?? `${folderOf(workbookPart)}styles.xml`;
  const stylesXml = text(stylesPart);
  if (stylesXml && !('text' in stylesXml)) return fail(stylesXml);
  const dateStyles = stylesXml ? parseDateStyles(stylesXml.text) : [];

  const reader = new SheetReader({
    sharedStrings,
    dateStyles,
    date1904: workbook.date1904,
    limits,
  });
  const decoder = new StreamingText();
  const problem = inflateEntry(bytes, sheet.entry, budget, (chunk) =>
    reader.feed(decoder.push(chunk), false),
  );
  if (problem) return fail(problem);
  if (!reader.complete) {
    const last = reader.feed(decoder.end(), true);
    if (last !== undefined && last !== 'stop') return fail(last);
  }
  return { ok: true, sheetName: sheet.name, rows: reader.rows };
}

function findByType(
  rels: ReadonlyMap<string, Relationship>,
  type: string,
): Relationship | undefined {
  for (const rel of rels.values()) if (rel.type.endsWith(`/${type}`)) return rel;
  return undefined;
}
