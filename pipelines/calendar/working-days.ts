/**
 * Return deadlines are set in working days (for example "the 10th working day after the end of
 * the month"), so they skip weekends and bank holidays in England and Wales.
 */
import { fromIsoDate, weekday } from './days.js';
import { addMonths, periodStart, type Period } from './periods.js';

/** Bank holidays in England and Wales, as published by GOV.UK. */
const bankHolidayDates = [
  '2022-01-03',
  '2022-04-15',
  '2022-04-18',
  '2022-05-02',
  '2022-06-02',
  '2022-06-03',
  '2022-08-29',
  '2022-09-19',
  '2022-12-26',
  '2022-12-27',
  '2023-01-02',
  '2023-04-07',
  '2023-04-10',
  '2023-05-01',
  '2023-05-08',
  '2023-05-29',
  '2023-08-28',
  '2023-12-25',
  '2023-12-26',
  '2024-01-01',
  '2024-03-29',
  '2024-04-01',
  '2024-05-06',
  '2024-05-27',
  '2024-08-26',
  '2024-12-25',
  '2024-12-26',
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
];

const bankHolidays = new Set(bankHolidayDates.map(fromIsoDate));

export function isWorkingDay(days: number): boolean {
  const d = weekday(days);
  return d !== 0 && d !== 6 && !bankHolidays.has(days);
}

/** Day number of the `n`th working day of the month after `period`: the return's deadline. */
export function returnDeadline(period: Period, n: number): number {
  let day = periodStart(addMonths(period, 1)) - 1;
  for (let seen = 0; seen < n;) if (isWorkingDay(++day)) seen++;
  return day;
}
