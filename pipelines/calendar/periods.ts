/** Periods are calendar months, written `YYYY-MM`. */
import { dayNumber, daysInMonth } from './days.js';

export type Period = string;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: string): value is Period {
  return PERIOD.test(value);
}

function parts(period: Period): [number, number] {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`"${period}" is not a month in the form YYYY-MM`);
  return [Number(m[1]), Number(m[2])];
}

/** Day number of the first day of the month. */
export function periodStart(period: Period): number {
  const [y, m] = parts(period);
  return dayNumber(y, m, 1);
}

/** Day number of the last day of the month. */
export function periodEnd(period: Period): number {
  const [y, m] = parts(period);
  return dayNumber(y, m, daysInMonth(y, m));
}

export function addMonths(period: Period, n: number): Period {
  const [y, m] = parts(period);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `first` to `last`, both included. */
export function periodsBetween(first: Period, last: Period): Period[] {
  const out: Period[] = [];
  for (let p = first; p <= last; p = addMonths(p, 1)) out.push(p);
  return out;
}

/** The month a day number falls in. */
export function periodOf(days: number): Period {
  return new Date(days * 86_400_000).toISOString().slice(0, 7);
}

/** `April 2025`. */
export function periodLabel(period: Period): string {
  const [y, m] = parts(period);
  return `${new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${y}`;
}
