/**
 * Reading one cell as its field's type. The fast paths return a number (NaN when the value
 * cannot be read) so that the common case allocates nothing; the slower `explain…` functions
 * are called only for a bad value, to say what is wrong with it.
 */
import { dayNumber } from '../calendar/days.js';
import type { Code, Field } from '../returns/fields.js';
import { ID_PATTERN } from '../returns/row-schema.js';

const D0 = 48;

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - D0;
  return d >= 0 && d <= 9 ? d : NaN;
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + digit(s, i);
  return v;
}

const MONTHS = new Map<string, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].flatMap(
    (m, i) => [[m, i + 1] as const],
  ),
);
const LONG_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
LONG_MONTHS.forEach((m, i) => MONTHS.set(m, i + 1));
MONTHS.set('sept', 9);

/** A time of midnight after a date, as spreadsheets write date-time cells: ` 00:00`, `T00:00:00.000Z`. */
const MIDNIGHT = /^[ T]00:00(:00(\.0+)?)?Z?$/;

/**
 * The end of the date part of `s[from..to)`: before a time of midnight if there is one. A date
 * saved from a date-time cell carries one; any other time is not ignored.
 */
function dateEnd(s: string, from: number, to: number): number {
  if (to - from <= 10) return to;
  for (let k = from + 8; k <= from + 11 && k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === 32 || c === 84) return MIDNIGHT.test(s.slice(k, to)) ? k : to;
  }
  return to;
}

/**
 * Day number of a date in `s[from..to)`, or NaN. Read: `YYYY-MM-DD`, `DD/MM/YYYY` (also
 * `D/M/YYYY`), `DD-Mon-YYYY` (`04-Apr-2023`, also with spaces or the month in full), each
 * optionally followed by a time of midnight (`04/04/2023 00:00`, `2023-04-04T00:00:00`).
 *
 * @example parseDateSpan('x,31/01/2025', 2, 12) === parseDate('2025-01-31')
 */
export function parseDateSpan(s: string, from: number, end: number): number {
  const to = dateEnd(s, from, end);
  const n = to - from;
  if (n === 10 && s.charCodeAt(from + 4) === 45 && s.charCodeAt(from + 7) === 45)
    return dayNumber(
      digits(s, from, from + 4),
      digits(s, from + 5, from + 7),
      digits(s, from + 8, to),
    );
  if (n >= 8 && n <= 10) {
    let a = -1;
    let b = -1;
    for (let i = from; i < to; i++)
      if (s.charCodeAt(i) === 47) {
        if (a < 0) a = i;
        else if (b < 0) b = i;
        else return NaN;
      }
    if (a - from >= 1 && a - from <= 2 && b - a >= 2 && b - a <= 3 && to - b === 5)
      return dayNumber(digits(s, b + 1, to), digits(s, a + 1, b), digits(s, from, a));
  }
  if (n >= 8 && n <= 17) return namedMonthDate(s, from, to);
  return NaN;
}

/** `4-Apr-2023`, `04 April 2023`: day, month name, four-digit year. */
function namedMonthDate(s: string, from: number, to: number): number {
  const sep = s.charCodeAt(from + 1) === 45 || s.charCodeAt(from + 1) === 32 ? from + 1 : from + 2;
  const c = s.charCodeAt(sep);
  if ((c !== 45 && c !== 32) || s.charCodeAt(to - 5) !== c) return NaN;
  const month = MONTHS.get(s.slice(sep + 1, to - 5).toLowerCase());
  return month === undefined ? NaN : dayNumber(digits(s, to - 4, to), month, digits(s, from, sep));
}

export function parseDate(s: string): number {
  return parseDateSpan(s, 0, s.length);
}

export function explainDate(s: string): { message: string; fix: string } {
  const fix = 'Write dates as YYYY-MM-DD or DD/MM/YYYY, for example 2025-01-31 or 31/01/2025.';
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T][\d:.]+)?$/.exec(s);
  if (us && Number(us[1]) >= 1 && Number(us[1]) <= 12 && Number(us[2]) > 12 && Number(us[2]) <= 31)
    return {
      message: `"${s}" looks like month/day/year, the American order: the day and month look swapped.`,
      fix: 'Outturn reads dates as day/month/year (31/01/2025 is 31 January). Set your spreadsheet’s locale to English (UK), or write dates as YYYY-MM-DD, then save the return again.',
    };
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(s))
    return {
      message: `"${s}" is not a real date.`,
      fix: 'Check the day and month: there is no such day in the calendar.',
    };
  if (/^\d{5}(\.\d+)?$/.test(s))
    return {
      message: `"${s}" looks like a spreadsheet date number rather than a date.`,
      fix: 'Format the column as a date in your spreadsheet (or write it as YYYY-MM-DD), then save again.',
    };
  if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(s))
    return {
      message: `"${s}" has a two-digit year.`,
      fix: 'Write the year in full, for example 31/01/2025.',
    };
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(s) || /^\d{1,2}\/\d{1,2}\/\d{4}[T ]/.test(s))
    return {
      message: `"${s}" has a time as well as a date.`,
      fix: 'Give the date only, for example 2025-01-31 (a time of 00:00 is ignored).',
    };
  return { message: `"${s}" is not a date Outturn can read.`, fix };
}

/**
 * Written day/month/year with the day 12 or less, so it could be read either way round: the day
 * and month as numbers, or null for any other date.
 */
export function dayFirstParts(
  s: string,
  from: number,
  to: number,
): { day: number; month: number } | null {
  const a =
    s.charCodeAt(from + 1) === 47 ? from + 1 : s.charCodeAt(from + 2) === 47 ? from + 2 : -1;
  if (a < 0) return null;
  const b = s.indexOf('/', a + 1);
  if (b < 0 || b > to) return null;
  return { day: digits(s, from, a), month: digits(s, a + 1, b) };
}

/** A whole number, also as spreadsheets sometimes write one (`3.0`). */
const INTEGER = /^[+-]?\d+(\.0*)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** A whole number in `s[from..to)`, or NaN. */
export function parseIntegerSpan(s: string, from: number, to: number): number {
  const n = to - from;
  if (n > 0 && n < 9) {
    let v = 0;
    for (let i = from; i < to; i++) {
      const d = s.charCodeAt(i) - D0;
      if (d < 0 || d > 9) return parseSlowly(s.slice(from, to));
      v = v * 10 + d;
    }
    return v;
  }
  return parseSlowly(s.slice(from, to));
}

function parseSlowly(s: string): number {
  return INTEGER.test(s) ? Number(s) : NaN;
}

export function parseInteger(s: string): number {
  return parseIntegerSpan(s, 0, s.length);
}

export function parseNumber(s: string): number {
  return NUMBER.test(s) ? Number(s) : NaN;
}

export function explainNumber(
  field: Extract<Field, { type: 'integer' | 'number' }>,
  s: string,
  value: number,
) {
  const range = `from ${field.min.toLocaleString('en-GB')} to ${field.max.toLocaleString('en-GB')}`;
  if (Number.isNaN(value)) {
    const whole = field.type === 'integer';
    return {
      message: `"${s}" is not ${whole ? 'a whole number' : 'a number'}.`,
      fix: `Enter ${whole ? 'a whole number' : 'a number'} ${range}, with no words or symbols, or leave it blank if not known.`,
    };
  }
  return { message: `${s} is outside the allowed range.`, fix: `Enter a number ${range}.` };
}

/** Exact codes first; a code in the wrong case is accepted (and reported as a warning). */
export class CodeList {
  private readonly exact: Map<string, string>;
  private readonly folded: Map<string, string>;
  private readonly byLabel: Map<string, string>;

  constructor(readonly codes: readonly Code[]) {
    this.exact = new Map(codes.map((c) => [c.code, c.code]));
    this.folded = new Map(codes.map((c) => [c.code.toLowerCase(), c.code]));
    this.byLabel = new Map(codes.map((c) => [c.label.toLowerCase(), c.code]));
  }

  has(s: string): boolean {
    return this.exact.has(s);
  }

  /** The code itself (one shared string, so rows hold no copies), or undefined. */
  get(s: string): string | undefined {
    return this.exact.get(s);
  }

  /** The code this value was meant to be when only its case is wrong, else undefined. */
  caseFolded(s: string): string | undefined {
    return this.folded.get(s.toLowerCase());
  }

  explain(s: string): { message: string; fix: string } {
    const list = this.codes.map((c) => c.code).join(', ');
    const meant = this.byLabel.get(s.trim().toLowerCase());
    return {
      message: `"${s}" is not one of the allowed codes.`,
      fix: meant ? `Use the code ${meant} for "${s}".` : `Use one of: ${list}.`,
    };
  }
}

export function isValidId(s: string, maxLength: number): boolean {
  return s.length <= maxLength && ID_PATTERN.test(s);
}

export function explainId(s: string, maxLength: number): { message: string; fix: string } {
  if (s.length > maxLength)
    return {
      message: `The reference is ${s.length} characters long.`,
      fix: `Use a reference of at most ${maxLength} characters.`,
    };
  return {
    message: `"${s}" has characters that are not allowed in a reference.`,
    fix: 'Use letters, digits, hyphens (-) and underscores (_) only, starting with a letter or digit.',
  };
}
