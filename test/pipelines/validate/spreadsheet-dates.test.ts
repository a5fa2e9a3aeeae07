/**
 * Dates as real spreadsheets write them, from fixtures LibreOffice Calc made
 * (test/fixtures/spreadsheets/make.ts): accepted when they can mean one thing, explained when not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { explainDate, parseDate } from '../../../pipelines/validate/cells.js';
import { toParticipantRows } from '../../../pipelines/validate/typed-return.js';
import { validateReturn } from '../../../pipelines/validate/validate-return.js';
import { bytesOf, csvOf, participant } from '../../fixtures/returns.js';

const ctx = { today: fromIsoDate('2026-11-26'), period: '2025-03' };
const fixture = (name: string) =>
  validateReturn(
    new Uint8Array(readFileSync(new URL(`../../fixtures/spreadsheets/${name}`, import.meta.url))),
    name,
    ctx,
  );

function accepted(name: string) {
  const result = fixture(name);
  expect(result.report.problems).toEqual([]);
  if (result.status !== 'accepted') throw new Error(`${name} was rejected`);
  return toParticipantRows(result.data);
}

describe('dates from real spreadsheets', () => {
  it.each([
    ['date-time-cells.xlsx', 'Excel date-time cells (serials with a fraction)'],
    ['date-time-text.csv', 'day/month/year with a time of 00:00'],
    ['named-month.csv', '06-Jan-2025'],
    ['iso-midnight.csv', 'ISO with a time of 00:00:00'],
  ])('accepts %s: %s', (name) => {
    const rows = accepted(name);
    expect(rows.map((r) => [r.referral_date, r.first_contact_date, r.start_date])).toEqual([
      ['2025-01-06', '2025-01-08', '2025-01-20'],
      ['2025-01-13', '2025-01-15', '2025-01-27'],
    ]);
  });

  it('refuses a US month/day/year file, saying day and month look swapped', () => {
    const result = fixture('us-dates.csv');
    expect(result.status).toBe('rejected');
    const swapped = result.report.problems.filter((p) => p.message.includes('look swapped'));
    expect(swapped.map((p) => [p.row, p.column, p.value])).toEqual([
      [2, 'start_date', '01/20/2025'],
      [3, 'referral_date', '01/13/2025'],
      [3, 'first_contact_date', '01/15/2025'],
      [3, 'start_date', '01/27/2025'],
    ]);
    expect(swapped[0]!.message).toBe(
      '"01/20/2025" looks like month/day/year, the American order: the day and month look swapped.',
    );
  });

  it('warns when every date could be read either way round, and says how it was read', () => {
    const result = fixture('ambiguous-dates.csv');
    expect(result.status).toBe('accepted');
    expect(result.report.problems).toMatchObject([
      {
        severity: 'warning',
        rule: 'file.ambiguous_dates',
        row: 2,
        column: 'referral_date',
        value: '06/01/2025',
      },
    ]);
    expect(result.report.problems[0]!.message).toContain(
      'Outturn has read them day first: 06/01/2025 as 6 January 2025, not 1 June 2025.',
    );
  });

  it('does not warn once one date has a day over 12, or is written a way that reads one way only', () => {
    expect(fixture('date-time-text.csv').report.warningCount).toBe(0);
    const mixed = csvOf([
      participant({
        referral_date: '06/01/2025',
        first_contact_date: '2025-01-08',
        start_date: '',
      }),
    ]);
    expect(validateReturn(bytesOf(mixed), 'm.csv', ctx).report.warningCount).toBe(0);
  });
});

describe('parseDate', () => {
  it.each([
    ['2023-04-04', '2023-04-04'],
    ['04/04/2023 00:00', '2023-04-04'],
    ['4/4/2023 00:00:00', '2023-04-04'],
    ['2023-04-04T00:00', '2023-04-04'],
    ['2023-04-04T00:00:00.000Z', '2023-04-04'],
    ['04-Apr-2023', '2023-04-04'],
    ['4-apr-2023', '2023-04-04'],
    ['4 April 2023', '2023-04-04'],
    ['30 Sept 2023', '2023-09-30'],
  ])('reads %s', (text, iso) => {
    expect(parseDate(text)).toBe(fromIsoDate(iso));
  });

  it.each(['04/04/2023 09:30', '2023-04-04T12:00', '31-Feb-2023', '04-Avr-2023', '04-Apr-23'])(
    'does not read %s',
    (text) => {
      expect(parseDate(text)).toBeNaN();
    },
  );

  it('explains a time that is not midnight', () => {
    expect(explainDate('04/04/2023 09:30').message).toBe(
      '"04/04/2023 09:30" has a time as well as a date.',
    );
  });
});
