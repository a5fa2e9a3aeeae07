/**
 * Builders for test workbooks: hand-written XML parts zipped with fflate (for the quirks other
 * writers produce), exceljs workbooks (a real foreign writer), and byte surgery on zips.
 */
import ExcelJS from 'exceljs';
import { strToU8, zipSync, type Zippable, type ZipOptions } from 'fflate';

export const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface HandMadeParts {
  /** The `<sheetData>` contents (or a whole worksheet when `wholeSheet` is set). */
  sheet: string;
  wholeSheet?: boolean;
  sharedStrings?: string[] | string;
  /** `<numFmts>` and `<cellXfs>` contents. */
  numFmts?: string;
  cellXfs?: string;
  date1904?: boolean;
  /** Extra zip entries, or replacements for the default ones. */
  extra?: Record<string, string | Uint8Array>;
  level?: ZipOptions['level'];
}

/** A minimal but complete workbook built from literal XML, so a test controls every byte Excel would write. */
export function handMadeXlsx(p: HandMadeParts): Uint8Array {
  const shared =
    p.sharedStrings === undefined
      ? undefined
      : typeof p.sharedStrings === 'string'
        ? p.sharedStrings
        : `<sst xmlns="${MAIN_NS}">${p.sharedStrings.map((s) => `<si><t xml:space="preserve">${s}</t></si>`).join('')}</sst>`;
  const files: Record<string, string | Uint8Array> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `<?xml version="1.0"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
      `${p.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/>` +
      (shared === undefined
        ? ''
        : `<Relationship Id="rId3" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`) +
      '</Relationships>',
    'xl/styles.xml':
      `<?xml version="1.0"?><styleSheet xmlns="${MAIN_NS}">${p.numFmts ? `<numFmts>${p.numFmts}</numFmts>` : ''}` +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      `<cellXfs>${p.cellXfs ?? '<xf numFmtId="0"/>'}</cellXfs></styleSheet>`,
    'xl/worksheets/sheet1.xml': p.wholeSheet
      ? p.sheet
      : `<?xml version="1.0"?><worksheet xmlns="${MAIN_NS}"><sheetData>${p.sheet}</sheetData></worksheet>`,
  };
  if (shared !== undefined) files['xl/sharedStrings.xml'] = shared;
  Object.assign(files, p.extra ?? {});
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files))
    zippable[name] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(zippable, { level: p.level ?? 6 });
}

export async function exceljsBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export async function exceljsLoad(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

export interface ZipRecord {
  name: string;
  /** Offset of the central directory record and of the local header. */
  central: number;
  local: number;
  compressedSize: number;
  uncompressedSize: number;
}

/** The zip's central directory, read independently of the code under test. */
export function zipRecords(zip: Uint8Array): ZipRecord[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const records: ZipRecord[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    records.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      central: at,
      local: view.getUint32(at + 42, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return records;
}

/** A copy of `zip` whose entry `name` declares `uncompressedSize`, in the central directory and the local header alike. */
export function withDeclaredSize(
  zip: Uint8Array,
  name: string,
  uncompressedSize: number,
): Uint8Array {
  const copy = zip.slice();
  const record = zipRecords(copy).find((r) => r.name === name);
  if (!record) throw new Error(`no entry ${name}`);
  const view = new DataView(copy.buffer);
  view.setUint32(record.central + 24, uncompressedSize, true);
  view.setUint32(record.local + 22, uncompressedSize, true);
  return copy;
}

/** Deterministic pseudo-random bytes (mulberry32), so a failing case can be replayed. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}
