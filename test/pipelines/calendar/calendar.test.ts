import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  fromExcelSerial,
  fromIsoDate,
  isoDate,
  ukDate,
  weekday,
} from '../../../pipelines/calendar/days.js';
import {
  addMonths,
  periodEnd,
  periodLabel,
  periodOf,
  periodsBetween,
} from '../../../pipelines/calendar/periods.js';
import {
  bankHolidays,
  bankHolidayYears,
  CalendarCoverageError,
  isWorkingDay,
  returnDeadline,
  type Nation,
} from '../../../pipelines/calendar/working-days.js';

describe('days', () => {
  it('knows real dates from impossible ones', () => {
    expect(isoDate(dayNumber(2024, 2, 29))).toBe('2024-02-29');
    expect(dayNumber(2025, 2, 29)).toBeNaN();
    expect(dayNumber(2025, 4, 31)).toBeNaN();
    expect(fromIsoDate('1970-01-02')).toBe(1);
    expect(ukDate(fromIsoDate('2025-01-31'))).toBe('31/01/2025');
    expect(weekday(fromIsoDate('2026-11-26'))).toBe(4); // a Thursday
    expect(isoDate(fromExcelSerial(45658))).toBe('2025-01-01');
  });
});

describe('periods', () => {
  it('steps across year ends and lists months', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(periodsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(isoDate(periodEnd('2024-02'))).toBe('2024-02-29');
    expect(periodOf(fromIsoDate('2025-07-31'))).toBe('2025-07');
    expect(periodLabel('2025-04')).toBe('April 2025');
  });
});

describe('return deadlines', () => {
  it('count working days, skipping weekends and bank holidays', () => {
    // April 2025: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9, Thu 10, Fri 11, Mon 14 is the 10th.
    expect(isoDate(returnDeadline('2025-03', 10))).toBe('2025-04-14');
    // January 2026: Thu 1 is a bank holiday; Fri 2, 5, 6, 7, 8, 9, 12, 13, 14, Thu 15 is the 10th.
    expect(isoDate(returnDeadline('2025-12', 10))).toBe('2026-01-15');
    // May 2025: Thu 1, Fri 2, Mon 5 is a bank holiday, so Tue 6 is the 3rd.
    expect(isoDate(returnDeadline('2025-04', 3))).toBe('2025-05-06');
  });
});

/** Bank holidays in England and Wales as GOV.UK published them (the table Outturn kept by hand until ADR 028). */
const govUkEnglandAndWales = [
  ...['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03'],
  ...['2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27', '2023-01-02', '2023-04-07'],
  ...['2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25'],
  ...['2023-12-26', '2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27'],
  ...['2024-08-26', '2024-12-25', '2024-12-26', '2025-01-01', '2025-04-18', '2025-04-21'],
  ...['2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26', '2026-01-01'],
  ...['2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25'],
  ...['2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31'],
  ...['2027-08-30', '2027-12-27', '2027-12-28'],
];

/** Weekday bank holidays of a nation in a year, as ISO dates (a holiday on a Sunday has its substitute). */
const weekdayHolidays = (year: number, nation?: Nation) =>
  [...bankHolidays(year, nation)]
    .filter((d) => ![0, 6].includes(new Date(d * 864e5).getUTCDay()))
    .map(isoDate)
    .sort();

describe('bank holidays, from date-holidays', () => {
  it("agree with GOV.UK's list for England and Wales, 2022 to 2027", () => {
    for (let year = 2022; year <= 2027; year++)
      expect(weekdayHolidays(year), String(year)).toEqual(
        govUkEnglandAndWales.filter((d) => d.startsWith(String(year))),
      );
  });

  it('know June 2012: the spring bank holiday moved to Monday 4 June, the Diamond Jubilee on the 5th', () => {
    for (const nation of ['england-and-wales', 'scotland', 'northern-ireland'] as const) {
      const june = weekdayHolidays(2012, nation).filter((d) => d.startsWith('2012-0'));
      expect(june, nation).toContain('2012-06-04');
      expect(june, nation).toContain('2012-06-05');
      expect(june, nation).not.toContain('2012-05-28');
    }
    // May 2012's return, due on the 3rd working day of June: Fri 1, Wed 6, Thu 7.
    expect(isoDate(returnDeadline('2012-05', 3))).toBe('2012-06-07');
  });

  it('know Scotland keeps 2 January and not Easter Monday, and its own August', () => {
    const scotland = weekdayHolidays(2025, 'scotland');
    expect(scotland).toContain('2025-01-02');
    expect(scotland).not.toContain('2025-04-21');
    expect(scotland).toContain('2025-08-04');
    expect(scotland).not.toContain('2025-08-25');
    expect(isWorkingDay(fromIsoDate('2025-01-02'), 'scotland')).toBe(false);
    expect(isWorkingDay(fromIsoDate('2025-01-02'), 'england-and-wales')).toBe(true);
    // December 2024's return, 10th working day of January 2025: Scotland loses Thu 2 January.
    expect(isoDate(returnDeadline('2024-12', 10))).toBe('2025-01-15');
    expect(isoDate(returnDeadline('2024-12', 10, 'scotland'))).toBe('2025-01-16');
  });

  it("know Northern Ireland's 17 March and 12 July, with their substitute days", () => {
    const ni = weekdayHolidays(2025, 'northern-ireland');
    expect(ni).toContain('2025-03-17');
    // 12 July 2025 is a Saturday: the holiday is Monday 14 July.
    expect(ni).toContain('2025-07-14');
    expect(weekdayHolidays(2024, 'northern-ireland')).toContain('2024-07-12');
    expect(weekdayHolidays(2025, 'england-and-wales')).not.toContain('2025-03-17');
    // June 2025's return, 10th working day of July: NI loses Mon 14 July.
    expect(isoDate(returnDeadline('2025-06', 10))).toBe('2025-07-14');
    expect(isoDate(returnDeadline('2025-06', 10, 'northern-ireland'))).toBe('2025-07-15');
  });

  it('refuse a year the source does not cover, saying which years it does', () => {
    const before = bankHolidayYears.first - 1;
    const after = bankHolidayYears.last + 1;
    expect(() => returnDeadline(`${before}-03`, 10)).toThrow(CalendarCoverageError);
    expect(() => returnDeadline(`${after}-03`, 10)).toThrow(
      `Outturn knows bank holidays only for ${bankHolidayYears.first} to ${bankHolidayYears.last}, so it cannot count working days in ${after}.`,
    );
    // The deadline of December's return falls in the next year, which must be covered too.
    expect(() => returnDeadline(`${bankHolidayYears.last}-12`, 10)).toThrow(CalendarCoverageError);
    expect(() => returnDeadline(`${bankHolidayYears.last}-11`, 10)).not.toThrow();
  });
});
