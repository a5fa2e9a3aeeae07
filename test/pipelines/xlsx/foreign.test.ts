/**
 * Workbooks written by other programs: exceljs (a real, independent XLSX writer) and hand-made
 * XML with the quirks other writers produce (namespace prefixes, missing references, inline
 * strings, phonetic runs, strict-OOXML dates, UTF-16 parts).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';
import { MAIN_NS, REL_NS, exceljsBytes, handMadeXlsx } from './helpers.js';

function rowsOf(bytes: Uint8Array): string[][] {
  const result = readFirstSheet(bytes);
  if (!result.ok)
    throw new Error(`expected a sheet, got ${result.problem.rule}: ${result.problem.detail}`);
  return result.rows;
}

const utc = (y: number, m: number, d: number, h = 0, min = 0) =>
  new Date(Date.UTC(y, m - 1, d, h, min));

describe('workbooks written by exceljs', () => {
  async function returnWorkbook(date1904 = false): Promise<Uint8Array> {
    const wb = new ExcelJS.Workbook();
    if (date1904) wb.properties.date1904 = true;
    const ws = wb.addWorksheet('Return');
    ws.getRow(1).values = [
      'id',
      'default date',
      'uk date',
      'long date',
      'count',
      'flag',
      'formula',
      'rich',
      'error',
      'text formula',
    ];
    ws.getRow(2).values = [
      'P-1',
      utc(2025, 1, 6),
      utc(2025, 1, 31, 15, 30), // a time of day does not move the date
      utc(2024, 2, 29),
      3,
      true,
      { formula: 'E2*2', result: 6 },
      { richText: [{ text: 'bold ', font: { bold: true } }, { text: 'and plain' }] },
      { error: '#N/A' },
      { formula: 'A2&"-x"', result: 'P-1-x' },
    ];
    ws.getCell('C2').numFmt = 'dd/mm/yyyy';
    ws.getCell('D2').numFmt = '[$-F800]dddd, mmmm dd, yyyy';
    // Row 3 left empty on purpose. Row 4 has gaps.
    ws.getCell('A4').value = 'P-2';
    ws.getCell('C4').value = utc(1999, 12, 31);
    ws.getCell('C4').numFmt = 'd mmm yyyy';
    ws.getCell('E4').value = 1.25;
    ws.getCell('F4').value = false;
    ws.getCell('J4').value = 'P-1'; // the same shared string as A2
    ws.getCell('A5').value = 0.1 + 0.2;
    ws.getCell('B5').value = -5;
    ws.getCell('C5').value = 1234567890123;
    ws.getCell('D5').value = 0.75;
    ws.getCell('D5').numFmt = 'h:mm'; // a time, not a date
    ws.getCell('E5').value = 45658;
    ws.getCell('E5').numFmt = '#,##0'; // a number that only looks like a date serial
    const other = wb.addWorksheet('Notes');
    other.getCell('A1').value = 'not the first sheet';
    return exceljsBytes(wb);
  }

  it('reads shared strings, dates in default and custom formats, numbers, booleans, formulas, rich text and errors', async () => {
    const rows = rowsOf(await returnWorkbook());
    expect(rows).toEqual([
      [
        'id',
        'default date',
        'uk date',
        'long date',
        'count',
        'flag',
        'formula',
        'rich',
        'error',
        'text formula',
      ],
      [
        'P-1',
        '2025-01-06',
        '2025-01-31',
        '2024-02-29',
        '3',
        'TRUE',
        '6',
        'bold and plain',
        '#N/A',
        'P-1-x',
      ],
      [],
      ['P-2', '', '1999-12-31', '', '1.25', 'FALSE', '', '', '', 'P-1'],
      ['0.30000000000000004', '-5', '1234567890123', '0.75', '45658'],
    ]);
  });

  it('honours the 1904 date system', async () => {
    const rows = rowsOf(await returnWorkbook(true));
    expect(rows[1]!.slice(1, 4)).toEqual(['2025-01-06', '2025-01-31', '2024-02-29']);
  });

  it('names the first sheet and ignores the others', async () => {
    const result = readFirstSheet(await returnWorkbook());
    expect(result.ok && result.sheetName).toBe('Return');
  });

  it('reads the first visible sheet when the first one is hidden', async () => {
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet('Lookups');
    hidden.state = 'hidden';
    hidden.getCell('A1').value = 'lookup';
    wb.addWorksheet('My return').getCell('B2').value = 'data';
    const result = readFirstSheet(await exceljsBytes(wb));
    expect(result).toEqual({ ok: true, sheetName: 'My return', rows: [[], ['', 'data']] });
  });

  it('reads an empty first sheet as no rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Empty');
    expect(readFirstSheet(await exceljsBytes(wb))).toEqual({
      ok: true,
      sheetName: 'Empty',
      rows: [],
    });
  });

  it('keeps spreadsheet row numbers when many rows are empty, and drops trailing empty rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Gaps');
    ws.getCell('A1').value = 'header';
    ws.getCell('C10').value = 'ten';
    ws.getCell('A20').value = '';
    ws.getCell('B20').numFmt = '0.00'; // styled but empty
    const rows = rowsOf(await exceljsBytes(wb));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual(['header']);
    expect(rows.slice(1, 9)).toEqual(Array.from({ length: 8 }, () => []));
    expect(rows[9]).toEqual(['', '', 'ten']);
  });
});

describe('hand-made workbooks with other writers’ quirks', () => {
  it('reads inline strings, t="str", booleans, errors and strict-OOXML ISO dates', () => {
    const rows = rowsOf(
      handMadeXlsx({
        sheet:
          '<row r="1"><c r="A1" t="inlineStr"><is><t>inline</t></is></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>' +
          '<c r="C1" t="b"><v>0</v></c><c r="D1" t="e"><v>#DIV/0!</v></c><c r="E1" t="d"><v>2025-03-04T00:00:00Z</v></c>' +
          '<c r="F1"><f>1/0</f></c><c r="G1" t="n"><v>1.0</v></c><c r="H1"><v>1.5E-3</v></c></row>',
      }),
    );
    expect(rows).toEqual([['inline', 'ab', 'FALSE', '#DIV/0!', '2025-03-04', '', '1', '0.0015']]);
  });

  it('decodes entities, character references, CDATA and Office _xHHHH_ escapes', () => {
    const rows = rowsOf(
      handMadeXlsx({
        sharedStrings: [
          'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;',
          '&#65;&#x42;&#x1F600;',
          'line_x000D_&#10;next',
          '_x005F_x000D_ kept',
          'x &unknown; y',
        ],
        sheet:
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>' +
          '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>' +
          '<c r="F1" t="inlineStr"><is><t><![CDATA[<raw> & ]]>done</t></is></c></row>',
      }),
    );
    expect(rows).toEqual([
      [
        'a & b <c> "d" \'e\'',
        'AB😀',
        'line\r\nnext',
        '_x000D_ kept',
        'x &unknown; y',
        '<raw> & done',
      ],
    ]);
  });

  it('joins rich text runs and leaves out phonetic guides', () => {
    const rows = rowsOf(
      handMadeXlsx({
        sharedStrings:
          `<sst xmlns="${MAIN_NS}"><si><r><rPr><b/></rPr><t>東京</t></r><r><t xml:space="preserve"> office</t></r>` +
          '<rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si><si><t/></si></sst>',
        sheet:
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>7</v></c></row>',
      }),
    );
    expect(rows).toEqual([['東京 office', '', '7']]);
  });

  it('places cells by reference, and counts on when rows or cells have no reference', () => {
    const rows = rowsOf(
      handMadeXlsx({
        sheet:
          '<row r="2"><c r="C2"><v>1</v></c><c><v>2</v></c><c r="A2"><v>0</v></c></row>' +
          '<row><c><v>3</v></c><c r="$E$3"><v>4</v></c></row>' +
          '<row r="5" spans="1:3"/><row><c r="b6"><v>6</v></c></row>',
      }),
    );
    expect(rows).toEqual([[], ['0', '', '1', '2'], ['3', '', '', '', '4'], [], [], ['', '6']]);
  });

  it('reads prefixed elements (x:row, x:c) and skips comments and processing instructions', () => {
    const sheet =
      `<?xml version="1.0"?><!-- made by a .NET tool --><x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData>` +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>pre</x:t></x:is></x:c><?pi data?><x:c r="B1"><x:v>2</x:v></x:c></x:row>' +
      '</x:sheetData></x:worksheet>';
    expect(rowsOf(handMadeXlsx({ sheet, wholeSheet: true }))).toEqual([['pre', '2']]);
  });

  it('does not expand entities declared in a DOCTYPE (billion laughs)', () => {
    const sheet =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      `<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>`;
    expect(rowsOf(handMadeXlsx({ sheet, wholeSheet: true }))).toEqual([['&lol2;']]);
  });

  it('treats built-in and custom date formats as dates, and times, elapsed times and numbers as numbers', () => {
    const numFmts =
      '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/>' +
      '<numFmt numFmtId="166" formatCode="&quot;Day &quot;0"/><numFmt numFmtId="167" formatCode="[$-409]d-mmm-yy;@"/>' +
      '<numFmt numFmtId="168" formatCode="mmm"/><numFmt numFmtId="169" formatCode="#,##0.00_);[Red](#,##0.00)"/>';
    const ids = [0, 14, 22, 164, 165, 166, 167, 168, 169, 2];
    const cellXfs = ids.map((id) => `<xf numFmtId="${id}" applyNumberFormat="1"/>`).join('');
    const cells = ids
      .map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" s="${i}"><v>45658.25</v></c>`)
      .join('');
    const rows = rowsOf(handMadeXlsx({ numFmts, cellXfs, sheet: `<row r="1">${cells}</row>` }));
    expect(rows).toEqual([
      [
        '45658.25',
        '2025-01-01',
        '2025-01-01',
        '2025-01-01',
        '45658.25',
        '45658.25',
        '2025-01-01',
        '2025-01-01',
        '45658.25',
        '45658.25',
      ],
    ]);
  });

  it('reads the 1900 leap-year bug and early dates the way Excel shows them', () => {
    const rows = rowsOf(
      handMadeXlsx({
        cellXfs: '<xf numFmtId="0"/><xf numFmtId="14"/>',
        sheet:
          '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>59</v></c><c r="C1" s="1"><v>60</v></c><c r="D1" s="1"><v>61</v></c><c r="E1" s="1"><v>0</v></c><c r="F1" s="1"><v>-1</v></c></row>',
      }),
    );
    expect(rows).toEqual([['1900-01-01', '1900-02-28', '1900-02-29', '1900-03-01', '0', '-1']]);
  });

  it('reads the worksheet wherever the relationships put it, and a UTF-16 part', () => {
    const utf16 = (s: string) => {
      const out = new Uint8Array(2 + s.length * 2);
      out[0] = 0xff;
      out[1] = 0xfe;
      for (let i = 0; i < s.length; i++) {
        out[2 + i * 2] = s.charCodeAt(i) & 0xff;
        out[3 + i * 2] = s.charCodeAt(i) >> 8;
      }
      return out;
    };
    const bytes = handMadeXlsx({
      sheet: '',
      extra: {
        'xl/_rels/workbook.xml.rels':
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="/xl/data/first%20sheet.xml"/></Relationships>`,
        'xl/data/first sheet.xml': utf16(
          `<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wide ✓</t></is></c></row></sheetData></worksheet>`,
        ),
      },
    });
    expect(rowsOf(bytes)).toEqual([['wide ✓']]);
  });

  it('reads stored (uncompressed) entries as well as deflated ones', () => {
    const bytes = handMadeXlsx({ level: 0, sheet: '<row r="1"><c r="A1"><v>42</v></c></row>' });
    expect(rowsOf(bytes)).toEqual([['42']]);
  });
});
