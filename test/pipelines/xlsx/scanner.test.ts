import { describe, expect, it } from 'vitest';
import {
  cellName,
  characterCount,
  columnName,
  columnOfRef,
} from '../../../pipelines/xlsx/cells.js';
import { excelSerialToIso, isDateFormatCode } from '../../../pipelines/xlsx/dates.js';
import { XmlScanner, decodeEntities, decodeOfficeEscapes } from '../../../pipelines/xlsx/xml.js';

describe('isDateFormatCode', () => {
  it.each([
    ['yyyy-mm-dd', true],
    ['dd/mm/yyyy', true],
    ['d mmm yyyy', true],
    ['mmm-yy', true],
    ['mmmm', true],
    ['[$-F800]dddd, mmmm dd, yyyy', true],
    ['[$-409]d-mmm-yy;@', true],
    ['dd/mm/yyyy hh:mm', true],
    ['h:mm', false],
    ['mm:ss', false],
    ['[h]:mm:ss', false],
    ['[mm]:ss', false],
    ['0.00', false],
    ['#,##0.00_);[Red](#,##0.00)', false],
    ['"Day "0', false],
    ['0 \\d\\a\\y\\s', false],
    ['General', false],
    ['@', false],
    ['0.00E+00', false],
  ])('%s → %s', (code, isDate) => {
    expect(isDateFormatCode(code)).toBe(isDate);
  });
});

describe('excelSerialToIso', () => {
  it('converts 1900-system serials, keeping the phantom 29 February 1900', () => {
    expect(excelSerialToIso(45658, false)).toBe('2025-01-01');
    expect(excelSerialToIso(45658.999, false)).toBe('2025-01-01');
    expect(excelSerialToIso(45658.99999999999, false)).toBe('2025-01-02'); // rounds to the millisecond first
    expect(excelSerialToIso(60, false)).toBe('1900-02-29');
    expect(excelSerialToIso(2958465, false)).toBe('9999-12-31');
    expect(excelSerialToIso(2958466, false)).toBeUndefined();
    expect(excelSerialToIso(0.5, false)).toBeUndefined();
    expect(excelSerialToIso(Number.NaN, false)).toBeUndefined();
  });

  it('converts 1904-system serials', () => {
    expect(excelSerialToIso(0, true)).toBe('1904-01-01');
    expect(excelSerialToIso(45658 - 1462, true)).toBe('2025-01-01');
  });
});

describe('entities and escapes', () => {
  it('decodes the XML entities and character references, and leaves others alone', () => {
    expect(
      decodeEntities('&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#x1f600; &nbsp; &#x110000; & alone'),
    ).toBe('&<>"\' AB😀 &nbsp; &#x110000; & alone');
  });

  it('decodes Office _xHHHH_ escapes, with _x005F_ protecting a literal one', () => {
    expect(decodeOfficeEscapes('a_x000D_b_x0009_c _x005F_x000D_ _xZZZZ_')).toBe(
      'a\rb\tc _x000D_ _xZZZZ_',
    );
  });
});

describe('XmlScanner', () => {
  it('finds tag ends past > inside quoted attribute values', () => {
    const sc = new XmlScanner(`<numFmt formatCode="[>=100]0" other='a>b'/><next>`);
    expect(sc.next()).toBe(true);
    expect(sc.name).toBe('numFmt');
    expect(sc.selfClosing).toBe(true);
    expect(sc.attr('formatCode')).toBe('[>=100]0');
    expect(sc.attr('other')).toBe('a>b');
    expect(sc.next()).toBe(true);
    expect(sc.name).toBe('next');
  });

  it('says when text ends inside a tag, so the caller can wait for more', () => {
    const sc = new XmlScanner('<row r="1"><c r="A');
    expect(sc.next()).toBe(true);
    expect(sc.next()).toBe(false);
    expect(sc.partial).toBe(true);
    expect(sc.tagStart).toBe(11);
    const done = new XmlScanner('<a/> trailing text');
    done.next();
    expect(done.next()).toBe(false);
    expect(done.partial).toBe(false);
  });
});

describe('cell references', () => {
  it('names columns and cells as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
      'XFD',
    ]);
    expect(cellName(3, 14)).toBe('D14');
  });

  it('reads the column of a reference, refusing anything outside the grid', () => {
    expect(['A1', 'd14', '$C$7', 'XFD1048576'].map(columnOfRef)).toEqual([0, 3, 2, 16_383]);
    expect(['XFE1', 'A', '1', 'AAAA1', 'A1B', ''].map(columnOfRef)).toEqual([
      -1, -1, -1, -1, -1, -1,
    ]);
  });

  it('counts characters by code point', () => {
    expect(characterCount('a😀é')).toBe(3);
    expect(characterCount('\ud800x')).toBe(2);
  });
});
