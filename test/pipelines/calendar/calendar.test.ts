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
import { returnDeadline } from '../../../pipelines/calendar/working-days.js';

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
