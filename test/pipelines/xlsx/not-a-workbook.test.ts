/**
 * Whatever bytes arrive, readFirstSheet answers with a typed result and a message a provider
 * can act on; it never throws.
 */
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';
import { writeXlsx } from '../../../pipelines/xlsx/write.js';
import { inspectZip } from '../../../pipelines/xlsx/zip-guard.js';
import { handMadeXlsx, pseudoRandomBytes } from './helpers.js';

const NOT_VALID = {
  ok: false,
  problem: {
    rule: 'file.format',
    message: 'The file is not a valid Excel workbook (.xlsx)',
    fix: "Save the file from your spreadsheet program as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8', then upload it again",
  },
};

const sample = writeXlsx([
  {
    name: 'Return',
    header: true,
    rows: [
      ['participant_id', 'referral_date'],
      ['P-1', { date: '2025-01-06' }],
      ['P-2', 'text'],
    ],
  },
]);

describe('files that are not workbooks', () => {
  it.each([
    ['no bytes', new Uint8Array(0)],
    ['a PDF', strToU8('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n')],
    ['a CSV', strToU8('participant_id,referral_date\r\nP-1,2025-01-06\r\n')],
    ['random bytes', pseudoRandomBytes(10_000, 7)],
    ['just a zip signature', strToU8('PK\u0003\u0004')],
    [
      'an end record promising 3 entries that are not there',
      new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]).map((b, i) =>
        i === 8 || i === 10 ? 3 : b,
      ),
    ],
  ])('refuses %s as not a valid workbook', (_what, bytes) => {
    expect(readFirstSheet(bytes)).toMatchObject(NOT_VALID);
  });

  it('refuses an empty zip and a zip of other files', () => {
    expect(readFirstSheet(zipSync({}))).toMatchObject(NOT_VALID);
    expect(
      readFirstSheet(
        zipSync({ 'photo.jpg': pseudoRandomBytes(100, 1), 'notes.txt': strToU8('hello') }),
      ),
    ).toMatchObject(NOT_VALID);
  });

  it('says when the file is an OpenDocument spreadsheet', () => {
    const ods = zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'),
      'content.xml': strToU8('<office:document-content/>'),
    });
    expect(readFirstSheet(ods)).toMatchObject({
      ok: false,
      problem: { rule: 'file.format', message: expect.stringMatching(/OpenDocument/) },
    });
  });

  it('says when the file is an old .xls or password-protected workbook (an OLE compound file)', () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(readFirstSheet(ole)).toMatchObject({
      ok: false,
      problem: {
        rule: 'file.format',
        message: 'The file is an older Excel workbook (.xls) or is protected with a password',
      },
    });
  });

  it('refuses a workbook cut short at any point', () => {
    for (let length = 0; length < sample.length; length += 37) {
      expect(readFirstSheet(sample.subarray(0, length)), `cut at ${length}`).toMatchObject(
        NOT_VALID,
      );
    }
  });

  it('refuses a workbook whose sheet data is damaged but still inflates (CRC check)', () => {
    const stored = handMadeXlsx({ level: 0, sheet: '<row r="1"><c r="A1"><v>12345</v></c></row>' });
    const at = findBytes(stored, strToU8('12345'));
    const damaged = stored.slice();
    damaged[at] = 0x39; // '1' becomes '9': same size, still XML, wrong value
    expect(readFirstSheet(stored)).toMatchObject({ ok: true, rows: [['12345']] });
    expect(readFirstSheet(damaged)).toMatchObject({
      ok: false,
      problem: { rule: 'file.format', detail: expect.stringMatching(/CRC-32/) },
    });
  });

  it('refuses a worksheet that ends before its data does', () => {
    const bytes = handMadeXlsx({
      wholeSheet: true,
      sheet:
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c>',
    });
    expect(readFirstSheet(bytes)).toMatchObject(NOT_VALID);
  });

  it('refuses a cell that points to a shared string that does not exist', () => {
    const bytes = handMadeXlsx({
      sharedStrings: ['only one'],
      sheet: '<row r="1"><c r="A1" t="s"><v>1</v></c></row>',
    });
    expect(readFirstSheet(bytes)).toMatchObject({
      ...NOT_VALID,
      problem: {
        ...NOT_VALID.problem,
        detail: expect.stringMatching(/A1 points to shared string 1/),
      },
    });
  });

  it('refuses cell and row references outside Excel’s grid', () => {
    expect(
      readFirstSheet(handMadeXlsx({ sheet: '<row r="1"><c r="XFE1"><v>1</v></c></row>' })),
    ).toMatchObject(NOT_VALID);
    expect(
      readFirstSheet(handMadeXlsx({ sheet: '<row r="1048577"><c><v>1</v></c></row>' })),
    ).toMatchObject(NOT_VALID);
    expect(
      readFirstSheet(handMadeXlsx({ sheet: '<row r="1"><c r="1A"><v>1</v></c></row>' })),
    ).toMatchObject(NOT_VALID);
  });

  it('never throws, and always gives a rule and plain words, for any corruption of a real workbook (property)', () => {
    const rules = ['file.format', 'xlsx.bomb', 'file.too_many_rows', 'cell.too_long'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const bytes = sample.slice();
          for (const [at, value] of edits) bytes[at] = value;
          const result = readFirstSheet(bytes);
          if (result.ok) {
            expect(Array.isArray(result.rows)).toBe(true);
          } else {
            expect(rules).toContain(result.problem.rule);
            expect(result.problem.message.length).toBeGreaterThan(10);
            expect(result.problem.fix.length).toBeGreaterThan(10);
            // Every refusal comes from a check, not from the safety net under unexpected exceptions.
            expect(result.problem.detail).not.toMatch(/^unexpected/);
          }
        },
      ),
      { numRuns: 500, seed: 42 },
    );
  });

  it('never throws on arbitrary bytes that start like a zip (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        const bytes = new Uint8Array(4 + tail.length);
        bytes.set([0x50, 0x4b, 0x03, 0x04]);
        bytes.set(tail, 4);
        const result = readFirstSheet(bytes);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problem.detail).not.toMatch(/^unexpected/);
        expect(inspectZip(bytes).ok).toBe(false);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}
