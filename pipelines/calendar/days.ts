/**
 * Dates as whole days since 1970-01-01 (UTC). A return only ever holds calendar dates, and
 * integers are cheap to compare, subtract and store; ISO strings are made only at the edges.
 */

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a valid calendar date, or NaN when the date does not exist. */
export function dayNumber(year: number, month: number, day: number): number {
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    year < 1000 ||
    year > 9999
  )
    return NaN;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** `2025-01-31` for a day number. */
export function isoDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of an ISO `YYYY-MM-DD` string; NaN when it is not one. */
export function fromIsoDate(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : NaN;
}

/** `31/01/2025`, the way people in the UK write a date. */
export function ukDate(days: number): string {
  const iso = isoDate(days);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

export function today(now: Date = new Date()): number {
  return Math.floor(now.getTime() / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Whole days to an Excel serial day number (1900 date system). */
export function fromExcelSerial(serial: number): number {
  return Math.floor(serial) - 25_569;
}

export function toExcelSerial(days: number): number {
  return days + 25_569;
}
