import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readFirstSheet } from '../../pipelines/xlsx/read.js';
import { neutraliseFormula, toCsvDownload, toXlsxDownload } from '../../reports/export.js';
import type { Column } from '../../reports/columns.js';

const columns: Column[] = [
  { key: 'note', label: 'Note' },
  { key: 'count', label: 'Count', format: 'number' },
  { key: 'date', label: 'Date', format: 'date' },
];
const rows = [
  { note: '=SUM(A1)', count: 3, date: '2025-03-10' },
  { note: '+1', count: -2, date: null },
  { note: '-2', count: 0.25, date: null },
  { note: '@cmd', count: null, date: null },
  { note: '\tx', count: 1, date: null },
  { note: '\r=1', count: 1, date: null },
  { note: 'plain, "quoted"', count: 1, date: null },
  { note: 'a=1', count: 1, date: null },
];

describe('neutraliseFormula', () => {
  it('prefixes text a spreadsheet would treat as a formula', () => {
    expect(
      ['=SUM(A1)', '+1', '-2', '@cmd', '\tx', '\r=1', 'a=1', '', "'=x"].map(neutraliseFormula),
    ).toEqual(["'=SUM(A1)", "'+1", "'-2", "'@cmd", "'\tx", "'\r=1", 'a=1', '', "'=x"]);
  });
});

describe('toCsvDownload', () => {
  const csv = toCsvDownload(columns, rows);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.body);

  it('starts with a byte order mark so Excel reads UTF-8', () => {
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect([...csv.body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('neutralises formula-like text and leaves numbers as numbers', () => {
    expect(text.slice(1).split('\r\n')).toEqual([
      'Note,Count,Date',
      "'=SUM(A1),3,2025-03-10",
      "'+1,-2,",
      "'-2,0.25,",
      "'@cmd,,",
      "'\tx,1,",
      `"'\r=1",1,`,
      '"plain, ""quoted""",1,',
      'a=1,1,',
      '',
    ]);
  });
});

describe('toXlsxDownload', () => {
  it('writes text with the same prefix, numbers as numbers, dates as dates', () => {
    const xlsx = toXlsxDownload('Performance', columns, rows);
    expect(xlsx.contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const read = readFirstSheet(xlsx.body);
    if (!read.ok) throw new Error(read.problem.message);
    expect(read.sheetName).toBe('Performance');
    expect(read.rows.map((r) => r[0])).toEqual([
      'Note',
      "'=SUM(A1)",
      "'+1",
      "'-2",
      "'@cmd",
      "'\tx",
      "'\r=1",
      'plain, "quoted"',
      'a=1',
    ]);
    expect(read.rows[1]).toEqual(["'=SUM(A1)", '3', '2025-03-10']);
    expect(read.rows[2]?.[1]).toBe('-2');
    expect(read.rows[3]?.[1]).toBe('0.25');

    // Numbers are numeric cells, strings inline strings (never formulas), and there is no <f> element at all.
    const sheet = strFromU8(unzipSync(xlsx.body)['xl/worksheets/sheet1.xml']!);
    expect(sheet).not.toContain('<f>');
    expect(sheet).toMatch(/<c r="B2"[^>]*><v>3<\/v><\/c>/);
    expect(sheet).not.toMatch(/<c r="B2"[^>]*t="/);
    expect(sheet).toMatch(/<c r="A2"[^>]*t="inlineStr"/);
  });
});
