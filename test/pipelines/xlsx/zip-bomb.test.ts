/**
 * Zip bombs, generated here (never committed): a small zip that inflates to hundreds of MiB
 * must be refused quickly, before or during inflation, without the memory it would take.
 */
import { Zip, ZipDeflate, strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { inflateEntry } from '../../../pipelines/xlsx/inflate.js';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';
import { inspectZip } from '../../../pipelines/xlsx/zip-guard.js';
import { MAIN_NS, handMadeXlsx, withDeclaredSize, zipRecords } from './helpers.js';

const MiB = 1024 * 1024;
const SHEET = 'xl/worksheets/sheet1.xml';

/**
 * A valid-looking workbook whose sheet1.xml is `head`, then `mib` MiB of one repeated character,
 * then `tail`, deflated at level 9 with fflate's streaming zip so the test never holds the
 * inflated sheet either.
 */
function bombXlsx(mib: number, head: string, tail: string): Uint8Array {
  const template = handMadeXlsx({ sheet: '' });
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    chunks.push(data);
  });
  // Copy every part of a normal workbook except the sheet, which is replaced by the bomb.
  for (const record of zipRecords(template)) {
    if (record.name === SHEET) continue;
    const part = new ZipDeflate(record.name, { level: 9 });
    zip.add(part);
    part.push(partText(template, record.name), true);
  }
  const sheet = new ZipDeflate(SHEET, { level: 9 });
  zip.add(sheet);
  sheet.push(strToU8(head));
  const filler = new Uint8Array(MiB).fill(0x41); // 'A'
  for (let i = 0; i < mib; i++) sheet.push(filler);
  sheet.push(strToU8(tail), true);
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The original bytes of a small part of a handMadeXlsx workbook. */
function partText(zip: Uint8Array, name: string): Uint8Array {
  const guard = inspectZip(zip);
  if (!guard.ok) throw new Error('template is not a zip');
  const entry = guard.entries.find((e) => e.name === name)!;
  const parts: Uint8Array[] = [];
  inflateEntry(zip, entry, { remaining: Infinity }, (chunk) => {
    parts.push(chunk.slice());
    return undefined;
  });
  return strToU8(parts.map((p) => new TextDecoder().decode(p)).join(''));
}

/** Calls `read` and reports how long it took and how much the process's resident memory grew. */
function measured<T>(read: () => T): { result: T; ms: number; rssGrowthMiB: number } {
  const before = process.memoryUsage().rss;
  const start = performance.now();
  const result = read();
  const ms = performance.now() - start;
  return { result, ms, rssGrowthMiB: (process.memoryUsage().rss - before) / MiB };
}

const inText = {
  head: `<?xml version="1.0"?><worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`,
  tail: '</t></is></c></row></sheetData></worksheet>',
};
const betweenRows = {
  head: `<?xml version="1.0"?><worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`,
  tail: '</sheetData></worksheet>',
};

describe('zip bombs', () => {
  let bomb300: Uint8Array;
  let bomb50: Uint8Array;

  beforeAll(() => {
    bomb300 = bombXlsx(300, inText.head, inText.tail);
    bomb50 = bombXlsx(50, betweenRows.head, betweenRows.tail);
  });

  it('builds real bombs: a few hundred KiB that declare 300 MiB and 50 MiB', () => {
    const sheet300 = zipRecords(bomb300).find((r) => r.name === SHEET)!;
    expect(bomb300.length).toBeLessThan(1 * MiB);
    expect(sheet300.uncompressedSize).toBeGreaterThan(300 * MiB);
    const sheet50 = zipRecords(bomb50).find((r) => r.name === SHEET)!;
    expect(sheet50.uncompressedSize / sheet50.compressedSize).toBeGreaterThan(500);
  });

  it('(a) refuses a 300 MiB sheet from its declared size, before inflating, in little time and memory', () => {
    const { result, ms, rssGrowthMiB } = measured(() => readFirstSheet(bomb300));
    expect(result).toMatchObject({ ok: false, problem: { rule: 'xlsx.bomb' } });
    if (!result.ok) expect(result.problem.detail).toMatch(/declared uncompressed total/);
    expect(ms).toBeLessThan(1_000);
    expect(rssGrowthMiB).toBeLessThan(150);
  });

  it('(a) refuses a 50 MiB sheet (under the size limit) for its compression ratio', () => {
    const result = readFirstSheet(bomb50);
    expect(result).toMatchObject({ ok: false, problem: { rule: 'xlsx.bomb' } });
    if (!result.ok)
      expect(result.problem.detail).toMatch(/compression ratio of \d+:1, limit 200:1/);
  });

  it('(b) refuses a sheet that declares 2 KB but inflates to 300 MiB, on the first inflate step', () => {
    const liar = withDeclaredSize(bomb300, SHEET, 2_000);
    expect(inspectZip(liar).ok).toBe(true); // the directory alone looks harmless
    const { result, ms, rssGrowthMiB } = measured(() => readFirstSheet(liar));
    expect(result).toMatchObject({ ok: false, problem: { rule: 'xlsx.bomb' } });
    if (!result.ok)
      expect(result.problem.detail).toBe(`${SHEET} inflates past its declared 2000 bytes`);
    expect(ms).toBeLessThan(1_000);
    expect(rssGrowthMiB).toBeLessThan(150);
  });

  it('(b) refuses a sheet that declares 150 times its compressed size (under the ratio limit) but inflates to 50 MiB', () => {
    const declared = Math.floor(
      zipRecords(bomb50).find((r) => r.name === SHEET)!.compressedSize * 150,
    );
    expect(declared).toBeGreaterThan(2 * MiB); // past the 1 MiB below which ratios are not checked
    const liar = withDeclaredSize(bomb50, SHEET, declared);
    expect(inspectZip(liar).ok).toBe(true);
    const { result, ms, rssGrowthMiB } = measured(() => readFirstSheet(liar));
    expect(result).toMatchObject({ ok: false, problem: { rule: 'xlsx.bomb' } });
    if (!result.ok)
      expect(result.problem.detail).toBe(`${SHEET} inflates past its declared ${declared} bytes`);
    expect(ms).toBeLessThan(10_000);
    expect(rssGrowthMiB).toBeLessThan(150);
  });

  it('(b) refuses one giant cell that keeps a row open, before the declared size is reached', () => {
    // Declared 40 MiB passes the ratio check; the text of one cell passes 16 Mi characters first, and no row of a return is that big.
    const liar = withDeclaredSize(bomb300, SHEET, 40 * MiB);
    expect(inspectZip(liar).ok).toBe(true);
    const { result, rssGrowthMiB } = measured(() => readFirstSheet(liar));
    expect(result).toMatchObject({ ok: false, problem: { rule: 'xlsx.bomb' } });
    if (!result.ok)
      expect(result.problem.detail).toMatch(/one row of the sheet is over 16 Mi characters/);
    expect(rssGrowthMiB).toBeLessThan(150);
  });

  it('(b) inflateEntry stops at the budget shared by all parts, whatever the entry declares', () => {
    const bytes = handMadeXlsx({ sheet: '<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(200) });
    const guard = inspectZip(bytes);
    if (!guard.ok) throw new Error('not a zip');
    const sheet = guard.entries.find((e) => e.name === SHEET)!;
    let handedOver = 0;
    const problem = inflateEntry(bytes, sheet, { remaining: 1_000 }, (chunk) => {
      handedOver += chunk.length;
      return undefined;
    });
    expect(problem).toMatchObject({
      rule: 'xlsx.bomb',
      detail: expect.stringMatching(/remaining budget of 1000 bytes/),
    });
    expect(handedOver).toBeLessThanOrEqual(1_000);
  });

  it('(c) refuses a zip with more than 1,000 entries, and accepts 1,000', () => {
    const files = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`f/${i}.txt`, strToU8('x')]));
    const tooMany = zipSync(files(1_001));
    expect(inspectZip(tooMany)).toMatchObject({
      ok: false,
      problem: { rule: 'xlsx.bomb', detail: '1001 zip entries, limit 1000' },
    });
    expect(readFirstSheet(tooMany)).toMatchObject({ ok: false, problem: { rule: 'xlsx.bomb' } });
    expect(inspectZip(zipSync(files(1_000))).ok).toBe(true);
    expect(inspectZip(zipSync(files(11)), { maxEntries: 10 })).toMatchObject({
      ok: false,
      problem: { rule: 'xlsx.bomb' },
    });
  });
});
