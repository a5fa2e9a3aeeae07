import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';
import { sanitiseSheetName, writeXlsx, type CellValue } from '../../../pipelines/xlsx/write.js';
import { inspectZip } from '../../../pipelines/xlsx/zip-guard.js';
import { exceljsLoad } from './helpers.js';

function readOk(bytes: Uint8Array) {
  const result = readFirstSheet(bytes);
  if (!result.ok)
    throw new Error(`expected a sheet, got ${result.problem.rule}: ${result.problem.detail}`);
  return result;
}

describe('writeXlsx then readFirstSheet', () => {
  it('gives back the same strings, numbers, booleans and ISO dates, with row numbers kept', () => {
    const bytes = writeXlsx([
      {
        name: 'Return',
        header: true,
        rows: [
          ['participant_id', 'referral_date', 'contact_count', 'baseline_score', 'flag'],
          ['P-000123', { date: '2025-01-06' }, 6, 14.5, true],
          [],
          ['P-000124', { date: '2024-02-29', display: 'local' }, 0, -0.25, false],
          [null, null, 1e21, 0.1 + 0.2, null],
          ['=SUM(A1:A2)', '  spaced  ', 'tab\there', 'x & y < z > "q" \'a\'', '£ é 😀 ✓'],
        ],
      },
      { name: 'Second', rows: [['not read']] },
    ]);
    const result = readOk(bytes);
    expect(result.sheetName).toBe('Return');
    expect(result.rows).toEqual([
      ['participant_id', 'referral_date', 'contact_count', 'baseline_score', 'flag'],
      ['P-000123', '2025-01-06', '6', '14.5', 'TRUE'],
      [],
      ['P-000124', '2024-02-29', '0', '-0.25', 'FALSE'],
      ['', '', '1e+21', '0.30000000000000004'], // trailing empty cells are dropped
      ['=SUM(A1:A2)', '  spaced  ', 'tab\there', 'x & y < z > "q" \'a\'', '£ é 😀 ✓'],
    ]);
  });

  it('keeps line breaks, carriage returns and text that looks like an Office escape', () => {
    const tricky = [
      'two\nlines',
      'crlf\r\nend',
      'lone\rcr',
      '_x000D_ literally',
      'a_x0041_b',
      '_x005F_',
    ];
    const result = readOk(writeXlsx([{ name: 'S', rows: [tricky] }]));
    expect(result.rows).toEqual([tricky]);
  });

  it('drops characters XML cannot hold instead of writing a broken file', () => {
    const result = readOk(
      writeXlsx([
        {
          name: 'S',
          rows: [['a\u0000b\u0001c\u001fd', 'lone \ud800 surrogate', 'bad \uffff end']],
        },
      ]),
    );
    expect(result.rows).toEqual([['abcd', 'lone  surrogate', 'bad  end']]);
  });

  it('round-trips any string and any finite number (property)', () => {
    const legalXml = (s: string) =>
      s.replace(
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        '',
      );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 40 }),
            fc.string({ unit: 'grapheme', maxLength: 40 }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 8,
        }),
        (strings, numbers) => {
          const result = readFirstSheet(writeXlsx([{ name: 'P', rows: [strings, numbers] }]));
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const expectedStrings = strings.map(legalXml);
          while (expectedStrings.length && expectedStrings[expectedStrings.length - 1] === '')
            expectedStrings.pop();
          expect(result.rows[0] ?? []).toEqual(expectedStrings);
          expect(result.rows[1]).toEqual(numbers.map((n) => String(n)));
        },
      ),
      { numRuns: 200, seed: 20250106 },
    );
  });

  it('round-trips dates across the range returns use, in both display styles', () => {
    const dates = [
      '1900-03-01',
      '1970-01-01',
      '2000-02-29',
      '2025-12-31',
      '2099-06-15',
      '9999-12-31',
    ];
    const result = readOk(
      writeXlsx([
        {
          name: 'D',
          rows: [
            dates.map((date) => ({ date })),
            dates.map((date) => ({ date, display: 'local' as const })),
          ],
        },
      ]),
    );
    expect(result.rows).toEqual([dates, dates]);
  });

  it('reads a large sheet whose rows span many inflate steps', () => {
    const rows: CellValue[][] = [['id', 'date', 'n', 'text']];
    for (let r = 1; r <= 20_000; r++)
      rows.push([`P-${r}`, { date: '2025-01-01' }, r * 3, `row ${r} é😀`]);
    const result = readOk(writeXlsx([{ name: 'Big', header: true, rows }]));
    expect(result.rows).toHaveLength(20_001);
    expect(result.rows[12_345]).toEqual([
      'P-12345',
      '2025-01-01',
      String(12_345 * 3),
      'row 12345 é😀',
    ]);
    expect(result.rows[20_000]).toEqual(['P-20000', '2025-01-01', '60000', 'row 20000 é😀']);
  });

  it('writes a zip our own guard accepts, with the parts an XLSX needs', () => {
    const guard = inspectZip(writeXlsx([{ name: 'A', rows: [['x']] }]));
    expect(guard.ok).toBe(true);
    if (!guard.ok) return;
    expect(guard.entries.map((e) => e.name).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
  });

  it('writes the same bytes for the same sheets', () => {
    const spec = [{ name: 'A', rows: [['x', 1, { date: '2025-01-01' }]] as CellValue[][] }];
    expect(writeXlsx(spec)).toEqual(writeXlsx(spec));
  });

  it('refuses values a workbook cannot hold rather than writing them wrong', () => {
    expect(() => writeXlsx([{ name: 'A', rows: [[Number.NaN]] }])).toThrow(RangeError);
    expect(() => writeXlsx([{ name: 'A', rows: [[{ date: '2025-02-30' }]] }])).toThrow(RangeError);
    expect(() => writeXlsx([{ name: 'A', rows: [[{ date: '1900-01-01' }]] }])).toThrow(RangeError);
    expect(() => writeXlsx([])).toThrow(RangeError);
  });
});

describe('exceljs opens what writeXlsx writes', () => {
  it('sees the sheet names, values, dates, header style, frozen row, widths and drop-down lists', async () => {
    const longList = Array.from({ length: 40 }, (_, i) => `a_fairly_long_code_number_${i}`);
    const bytes = writeXlsx([
      {
        name: 'Return',
        header: true,
        columnWidths: [20, 12],
        rows: [
          ['participant_id', 'referral_date', 'sex', 'long', 'comma'],
          ['P-1', { date: '2025-01-06' }, 'female', longList[3]!, 'a, b'],
          ['=1+1', 42, true, null, 'two\nlines'],
        ],
        listValidations: [
          {
            column: 2,
            firstRow: 2,
            lastRow: 500,
            values: ['female', 'male', 'other', 'not_stated'],
          },
          { column: 3, firstRow: 2, lastRow: 500, values: longList },
          { column: 4, firstRow: 2, lastRow: 500, values: ['a, b', 'c'] },
        ],
      },
      { name: 'Data dictionary', rows: [['Column', 'Name']] },
    ]);
    const wb = await exceljsLoad(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Return', 'Data dictionary', 'Lists']);
    const lists = wb.getWorksheet('Lists')!;
    expect(lists.state).toBe('hidden');
    expect(lists.getCell('A1').value).toBe(longList[0]);
    expect(lists.getCell('A40').value).toBe(longList[39]);
    expect(lists.getCell('B1').value).toBe('a, b');

    const ws = wb.getWorksheet('Return')!;
    expect(ws.getCell('A1').value).toBe('participant_id');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A1').fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(ws.getCell('A2').value).toBe('P-1');
    expect(ws.getCell('B2').value).toEqual(new Date(Date.UTC(2025, 0, 6)));
    expect(ws.getCell('B2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('A3').value).toBe('=1+1'); // text, not a formula
    expect(ws.getCell('A3').formula).toBeUndefined();
    expect(ws.getCell('B3').value).toBe(42);
    expect(ws.getCell('C3').value).toBe(true);
    expect(ws.getCell('E3').value).toBe('two\nlines');
    expect(ws.getCell('E3').alignment?.wrapText).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(1).width).toBe(20);

    expect(ws.getCell('C2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"female,male,other,not_stated"'],
    });
    expect(ws.getCell('C500').dataValidation).toMatchObject({ type: 'list' });
    expect(ws.getCell('C501').dataValidation).toBeUndefined();
    expect(ws.getCell('D2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ["'Lists'!$A$1:$A$40"],
    });
    expect(ws.getCell('E2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ["'Lists'!$B$1:$B$2"],
    });
  });
});

describe('sanitiseSheetName', () => {
  it('makes names Excel accepts: no []:*?/\\, at most 31 characters, unique ignoring case', () => {
    const taken = new Set<string>();
    expect(sanitiseSheetName('Returns 2025/01: [draft]?', taken)).toBe('Returns 2025-01- -draft--');
    expect(sanitiseSheetName('A name that is much longer than thirty-one characters', taken)).toBe(
      'A name that is much longer than',
    );
    expect(sanitiseSheetName('a name that is much longer than thirty-one characters', taken)).toBe(
      'a name that is much longer (2)',
    );
    expect(sanitiseSheetName("'quoted'", taken)).toBe('quoted');
    expect(sanitiseSheetName('   ', taken)).toBe('Sheet');
    expect(sanitiseSheetName('history', taken)).toBe('History (1)');
    for (const name of taken) expect(name.length).toBeLessThanOrEqual(31);
  });

  it('does not split an emoji when shortening', () => {
    const name = sanitiseSheetName(`${'x'.repeat(30)}😀`);
    expect(name).toBe('x'.repeat(30));
  });
});
