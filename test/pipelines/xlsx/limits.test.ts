import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';
import { writeXlsx, type CellValue } from '../../../pipelines/xlsx/write.js';
import { exceljsBytes, handMadeXlsx } from './helpers.js';

const rowsOfNumbers = (n: number): CellValue[][] => Array.from({ length: n }, (_, i) => [i + 1]);

describe('row limit', () => {
  it('accepts exactly maxRows rows and refuses one more, naming the row', () => {
    expect(
      readFirstSheet(writeXlsx([{ name: 'R', rows: rowsOfNumbers(10) }]), { maxRows: 10 }).ok,
    ).toBe(true);
    expect(
      readFirstSheet(writeXlsx([{ name: 'R', rows: rowsOfNumbers(11) }]), { maxRows: 10 }),
    ).toEqual({
      ok: false,
      problem: {
        rule: 'file.too_many_rows',
        message: 'The sheet has data in row 11. A return can have up to 10 rows',
        fix: 'Delete any rows below the return, then upload the file again',
        detail: 'data in row 11, limit 10',
      },
    });
  });

  it('refuses data far below the return with the default limit of 250,000 rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('R');
    ws.getCell('A1').value = 'header';
    ws.getCell('B250001').value = 'stray';
    const result = readFirstSheet(await exceljsBytes(wb));
    expect(result).toMatchObject({ ok: false, problem: { rule: 'file.too_many_rows' } });
    if (!result.ok)
      expect(result.problem.message).toBe(
        'The sheet has data in row 250,001. A return can have up to 250,000 rows',
      );
  });

  it('does not count formatted but empty rows far below the data', () => {
    const bytes = handMadeXlsx({
      sheet:
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="A1000000" s="0"/></row>',
    });
    expect(readFirstSheet(bytes)).toMatchObject({ ok: true, rows: [['1']] });
  });
});

describe('column limit', () => {
  it('refuses a value beyond the column limit, naming the cell', () => {
    const row = Array.from({ length: 201 }, (_, i) => `c${i}`);
    const result = readFirstSheet(writeXlsx([{ name: 'R', rows: [['h'], row] }]));
    expect(result).toMatchObject({
      ok: false,
      problem: {
        rule: 'file.format',
        message: 'Cell GS2 has data in column 201. A return can have up to 200 columns',
        cell: 'GS2',
      },
    });
    expect(readFirstSheet(writeXlsx([{ name: 'R', rows: [row.slice(0, 200)] }])).ok).toBe(true);
  });

  it('ignores formatted empty cells beyond the limit', () => {
    const bytes = handMadeXlsx({
      sheet: '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/><c r="ZZ1" t="s"/></row>',
    });
    expect(readFirstSheet(bytes)).toMatchObject({ ok: true, rows: [['1']] });
  });
});

describe('cell length limit', () => {
  it('refuses a cell longer than 1,000 characters, naming the cell', () => {
    const rows: CellValue[][] = Array.from({ length: 14 }, () => ['a', 'b', 'c', 'd']);
    rows[13]![3] = 'x'.repeat(1_001);
    expect(readFirstSheet(writeXlsx([{ name: 'R', rows }]))).toEqual({
      ok: false,
      problem: {
        rule: 'cell.too_long',
        message: 'Cell D14 is longer than 1,000 characters',
        fix: 'Shorten the text in cell D14 to 1,000 characters or fewer, then upload the file again',
        detail: '1001 characters, limit 1000',
        cell: 'D14',
      },
    });
  });

  it('accepts exactly 1,000 characters, counting an emoji as one', () => {
    const result = readFirstSheet(
      writeXlsx([{ name: 'R', rows: [['x'.repeat(1_000), '😀'.repeat(1_000)]] }]),
    );
    expect(result.ok).toBe(true);
  });

  it('checks shared strings and rich text too, and honours a custom limit', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('R').getCell('C3').value = {
      richText: [{ text: 'a'.repeat(30) }, { text: 'b'.repeat(30), font: { bold: true } }],
    };
    const bytes = await exceljsBytes(wb);
    expect(readFirstSheet(bytes, { maxCellLength: 60 }).ok).toBe(true);
    expect(readFirstSheet(bytes, { maxCellLength: 59 })).toMatchObject({
      ok: false,
      problem: { rule: 'cell.too_long', message: 'Cell C3 is longer than 59 characters' },
    });
  });
});

describe('inflated size limit', () => {
  it('refuses a workbook that declares more than maxInflatedBytes in total', () => {
    const bytes = writeXlsx([{ name: 'R', rows: rowsOfNumbers(2_000) }]);
    expect(readFirstSheet(bytes).ok).toBe(true);
    expect(readFirstSheet(bytes, { maxInflatedBytes: 20_000 })).toMatchObject({
      ok: false,
      problem: { rule: 'xlsx.bomb' },
    });
  });
});
