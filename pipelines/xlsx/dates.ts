/**
 * Excel stores a date as a plain number (days since its epoch) and says "this is a date" only
 * through the cell's number format. These functions decide which formats are dates and turn the
 * numbers into ISO dates, the only date form the rest of Outturn accepts.
 */

import { dayNumber, fromExcelSerial, isoDate } from '../calendar/days.js';

/** Built-in number formats that show a date (14–22 as ECMA-376 lists them, the rest are East Asian date formats). */
const BUILT_IN_DATE_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

/** `customCodes` are the workbook's own `<numFmt>`s, which may also redefine a built-in id. */
export function isDateFormat(numFmtId: number, customCodes: ReadonlyMap<number, string>): boolean {
  const code = customCodes.get(numFmtId);
  return code === undefined ? BUILT_IN_DATE_IDS.has(numFmtId) : isDateFormatCode(code);
}

/**
 * Whether a format code shows a date: it has a day, month or year token outside quoted text,
 * `[...]` sections (colours, locales, conditions, elapsed `[h]`), `\`-escaped and `_`/`*` padding
 * characters. Only the first section counts (the one used for positive numbers). An `m` with no
 * `d` or `y` is minutes when an `h` or `s` is there too (`h:mm`, `[mm]:ss`), otherwise months (`mmm`).
 */
export function isDateFormatCode(code: string): boolean {
  let tokens = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === ';') break;
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '[') {
      const end = code.indexOf(']', i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else {
      tokens += c.toLowerCase();
    }
  }
  tokens = tokens.replaceAll('general', '').replaceAll('am/pm', '').replaceAll('a/p', '');
  if (/[dy]/.test(tokens)) return true;
  return tokens.includes('m') && !/[hs]/.test(tokens);
}

const LAST_DAY = dayNumber(9999, 12, 31);

/**
 * The ISO date of an Excel serial number, ignoring any time of day; `undefined` when the number
 * is not a date Excel could show. In the 1900 system serial 60 is the 29 February 1900 that
 * Lotus 1-2-3 invented and Excel kept; we return it as written, so validation can refuse it.
 */
export function excelSerialToIso(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0) return undefined;
  // Round to the millisecond first, as Excel does when it shows a date: 45658.99999999999 is the next day.
  const whole = Math.floor(Math.round(serial * 86_400_000) / 86_400_000);
  let days: number;
  if (date1904) {
    days = whole - 24_107;
  } else {
    if (whole < 1) return undefined;
    if (whole === 60) return '1900-02-29';
    days = whole < 60 ? whole - 25_568 : fromExcelSerial(whole);
  }
  return days > LAST_DAY ? undefined : isoDate(days);
}
