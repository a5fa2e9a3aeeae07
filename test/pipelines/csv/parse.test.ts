import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../pipelines/csv/parse.js';
import { csvLine, toCsv } from '../../../pipelines/csv/write.js';

const limits = { maxRows: 1000, maxCellLength: 100 };

describe('parseCsv', () => {
  it('reads plain, quoted and doubled-quote values with CRLF, LF and CR line ends', () => {
    const r = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\n2,,\r3,"",z', limits);
    expect(r).toEqual({
      ok: true,
      rows: [
        ['a', 'b', 'c'],
        ['1', 'x, y', 'say "hi"'],
        ['2', '', ''],
        ['3', '', 'z'],
      ],
    });
  });

  it('keeps a line break inside quotes in one record, so row numbers match a spreadsheet', () => {
    const r = parseCsv('a,b\n"two\nlines",1\n3,4\n', limits);
    expect(r.ok && r.rows).toEqual([
      ['a', 'b'],
      ['two\nlines', '1'],
      ['3', '4'],
    ]);
  });

  it('treats a blank line as a record with one empty value', () => {
    const r = parseCsv('a,b\n\n1,2\n', limits);
    expect(r.ok && r.rows).toEqual([['a', 'b'], [''], ['1', '2']]);
  });

  it('refuses an unclosed quote, naming the row', () => {
    const r = parseCsv('a,b\n1,2\n3,"oops\n', limits);
    expect(r).toMatchObject({ ok: false, rule: 'file.format', row: 3 });
  });

  it('refuses text after a closing quote', () => {
    const r = parseCsv('a,b\n"x"y,2\n', limits);
    expect(r).toMatchObject({ ok: false, rule: 'file.format', row: 2 });
  });

  it('refuses too many rows and over-long values', () => {
    expect(parseCsv('a\n' + '1\n'.repeat(5), { maxRows: 3, maxCellLength: 10 })).toMatchObject({
      ok: false,
      rule: 'file.too_many_rows',
    });
    expect(parseCsv('a\n' + 'x'.repeat(11), { maxRows: 3, maxCellLength: 10 })).toMatchObject({
      ok: false,
      rule: 'cell.too_long',
      row: 2,
    });
  });

  it('reads back what the writer wrote', () => {
    const rows = [['plain', 'with, comma', 'with "quotes"', 'with\nbreak', '']];
    const r = parseCsv(toCsv(['a', 'b', 'c', 'd', 'e'], rows), limits);
    expect(r.ok && r.rows.slice(1)).toEqual(rows);
    expect(csvLine(['a', null, 3])).toBe('a,,3\r\n');
  });
});
