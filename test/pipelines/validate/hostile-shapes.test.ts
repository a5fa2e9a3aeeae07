/**
 * Shapes of file that could make the validator hold far more memory than the file's size: each
 * is refused where it is first seen, with a message naming the row (and the field) and the fix.
 * Memory itself is measured in bench/validate.ts, never asserted here.
 */
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { writeXlsx } from '../../../pipelines/xlsx/write.js';
import {
  validateReturn,
  type ValidationResult,
} from '../../../pipelines/validate/validate-return.js';
import {
  bytesOf,
  csvOf,
  participant,
  participantHeader,
  participants,
} from '../../fixtures/returns.js';

const ctx = { today: fromIsoDate('2026-11-26'), period: '2025-03' };

function only(result: ValidationResult) {
  expect(result.status).toBe('rejected');
  expect(result.report.problems).toHaveLength(1);
  return result.report.problems[0]!;
}

describe('a hostile shape is refused as soon as it is seen', () => {
  it('a giant cell names its row and field, its length and the most a cell may hold', () => {
    const text = csvOf(participants(3)).replace('P-000002', 'x'.repeat(20_000));
    const p = only(validateReturn(bytesOf(text), 'r.csv', ctx));
    expect(p).toMatchObject({ rule: 'cell.too_long', row: 3 });
    expect(p.message).toBe(
      'Row 3, field participant_id: this cell is 20,000 characters long; the most a cell may hold is 1,000.',
    );
  });

  it('a quoted cell with millions of line breaks says so and points at the quote marks', () => {
    const text =
      csvOf(participants(2)) + `P-9,"${'\n'.repeat(2_000_000)}",` + '\r\n' + csvOf(participants(1));
    const p = only(validateReturn(bytesOf(text), 'r.csv', ctx));
    expect(p).toMatchObject({ rule: 'cell.too_long', row: 4 });
    expect(p.message).toContain('field referral_date');
    expect(p.message).toContain('2,000,000 line breaks');
    expect(p.fix).toContain('quote mark');
  });

  it('an unclosed quote that swallows the rest of a long file is a giant cell, not a lost quote', () => {
    const text = csvOf(participants(2)) + 'P-9,"2025-01-06\n' + csvOf(participants(200));
    const p = only(validateReturn(bytesOf(text), 'r.csv', ctx));
    expect(p).toMatchObject({ rule: 'cell.too_long', row: 4 });
  });

  it('a flood of blank lines is refused at the first row past the limit, naming the rows', () => {
    const text = csvOf(participants(2)) + '\r\n'.repeat(50_000) + csvOf(participants(1));
    const p = only(validateReturn(bytesOf(text), 'r.csv', ctx));
    expect(p).toMatchObject({ rule: 'file.blank_rows', row: 4 });
    expect(p.message).toBe(
      'Rows 4 to 10,004 are all blank: more than 10,000 blank rows one after another.',
    );
  });

  it('rows of commas alone count as blank', () => {
    const blank = ','.repeat(participantHeader.length - 1) + '\r\n';
    const text = csvOf(participants(1)) + blank.repeat(30);
    const p = only(validateReturn(bytesOf(text), 'r.csv', { ...ctx, limits: { maxBlankRun: 20 } }));
    expect(p).toMatchObject({ rule: 'file.blank_rows', row: 3 });
  });

  it('blank rows up to the limit are ignored, as a spreadsheet leaves them', () => {
    const text =
      csvOf(participants(1)) +
      '\r\n'.repeat(20) +
      csvOf([participant({ participant_id: 'Z-1' })]).split('\r\n')[1];
    const result = validateReturn(bytesOf(text), 'r.csv', { ...ctx, limits: { maxBlankRun: 20 } });
    expect(result.status).toBe('accepted');
    expect(result.report.rowCount).toBe(2);
  });

  it('a blank flood in a workbook is refused the same way', () => {
    const rows: (string | null)[][] = [
      participantHeader,
      participantHeader.map((h) => participant()[h] ?? null),
    ];
    rows[40] = participantHeader.map((h) => participant({ participant_id: 'Z-1' })[h] ?? null);
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    const bytes = writeXlsx([{ name: 'Return', rows }]);
    const p = only(validateReturn(bytes, 'r.xlsx', { ...ctx, limits: { maxBlankRun: 20 } }));
    expect(p).toMatchObject({ rule: 'file.blank_rows', row: 3 });
  });

  it('a row of a million commas is refused at its thousand-and-first value', () => {
    const text = csvOf(participants(1)) + ','.repeat(1_000_000) + '\r\n';
    const p = only(validateReturn(bytesOf(text), 'r.csv', ctx));
    expect(p).toMatchObject({ rule: 'file.too_many_columns', row: 3 });
    expect(p.message).toBe('Row 3 has more than 1,000 values.');
  });
});
