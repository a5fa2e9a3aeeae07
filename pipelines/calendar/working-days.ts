/**
 * Return deadlines are set in working days (for example "the 10th working day after the end of
 * the month"), so they skip weekends and the bank holidays of the contract's nation. Bank
 * holidays come from the `date-holidays` package (its data ships inside it: nothing is fetched),
 * for the years it covers correctly; any other year is refused, never guessed (ADR 028).
 */
import Holidays from 'date-holidays';
import { fromIsoDate, isoDate, weekday } from './days.js';
import { addMonths, periodStart, type Period } from './periods.js';

/** The UK's three bank-holiday calendars: England and Wales share one. */
export const nations = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof nations)[number];
/** A contract that names no nation follows England and Wales. */
export const defaultNation: Nation = 'england-and-wales';

/** date-holidays' region codes (ISO 3166-2:GB) for each calendar. */
const regions: Record<Nation, string> = {
  'england-and-wales': 'ENG',
  scotland: 'SCT',
  'northern-ireland': 'NIR',
};

/**
 * The years whose bank holidays are known. date-holidays lacks the one-off holidays before 2012
 * (the royal wedding of 29 April 2011, the 2002 jubilee, the millennium), and projects the
 * standing rules forward without the one-offs still to be announced; beyond this horizon a
 * date is more likely a typing slip than a contract. Raise `last` when updating the package.
 */
export const bankHolidayYears = { first: 2012, last: 2035 } as const;

/**
 * Where date-holidays is known to differ from GOV.UK's list, corrected here (and tested):
 * in 2012 the spring bank holiday moved from 28 May to 4 June, beside the Diamond Jubilee.
 */
const corrections: readonly { nations: readonly Nation[]; remove: string; add: string }[] = [
  { nations, remove: '2012-05-28', add: '2012-06-04' },
];

export class CalendarCoverageError extends RangeError {
  override name = 'CalendarCoverageError';
  constructor(readonly year: number) {
    super(
      `Outturn knows bank holidays only for ${bankHolidayYears.first} to ${bankHolidayYears.last}, so it cannot count working days in ${year}. ` +
        `Check the year; if it is right, the bank-holiday source (the date-holidays package) needs updating.`,
    );
  }
}

/** Whether working days can be counted in this year. */
export function coversYear(year: number): boolean {
  return year >= bankHolidayYears.first && year <= bankHolidayYears.last;
}

const cache = new Map<string, ReadonlySet<number>>();

/** Day numbers of a nation's bank holidays in a year; throws CalendarCoverageError outside coverage. */
export function bankHolidays(year: number, nation: Nation = defaultNation): ReadonlySet<number> {
  if (!coversYear(year)) throw new CalendarCoverageError(year);
  const key = `${nation}|${year}`;
  let days = cache.get(key);
  if (!days) {
    const source = new Holidays('GB', regions[nation]);
    const set = new Set(
      source
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => fromIsoDate(h.date.slice(0, 10))),
    );
    for (const c of corrections)
      if (c.nations.includes(nation) && c.remove.startsWith(String(year))) {
        set.delete(fromIsoDate(c.remove));
        set.add(fromIsoDate(c.add));
      }
    days = set;
    cache.set(key, days);
  }
  return days;
}

export function isWorkingDay(days: number, nation: Nation = defaultNation): boolean {
  const d = weekday(days);
  if (d === 0 || d === 6) return false;
  return !bankHolidays(Number(isoDate(days).slice(0, 4)), nation).has(days);
}

/**
 * Day number of the `n`th working day of the month after `period` in the contract's nation:
 * the return's deadline. Throws CalendarCoverageError for a year without known bank holidays.
 */
export function returnDeadline(period: Period, n: number, nation: Nation = defaultNation): number {
  // Every page that says where a contract's months stand asks each month's deadline again
  // (36 a contract page): a pure function of its arguments, so each is worked out once.
  const key = `${period}|${n}|${nation}`;
  const known = deadlines.get(key);
  if (known !== undefined) return known;
  let day = periodStart(addMonths(period, 1)) - 1;
  for (let seen = 0; seen < n;) if (isWorkingDay(++day, nation)) seen++;
  if (deadlines.size >= MAX_DEADLINES) deadlines.clear();
  deadlines.set(key, day);
  return day;
}

/** Deadlines worked out, by period, working day and nation; bounded whatever is asked. */
const deadlines = new Map<string, number>();
const MAX_DEADLINES = 10_000;
