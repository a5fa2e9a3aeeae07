/**
 * One reader per field, compiled once per return from the field's definition: it reads a
 * cell's span of text as the field's type, stores the value in the field's typed column, and
 * logs what is wrong with a bad value (checking it for personal data first).
 */
import { isoDate } from '../calendar/days.js';
import type { Field } from '../returns/fields.js';
import {
  CodeList,
  dayFirstParts,
  explainDate,
  explainId,
  explainNumber,
  isValidId,
  parseDateSpan,
  parseIntegerSpan,
  parseNumber,
} from './cells.js';
import {
  detectPersonalData,
  maskValue,
  personalDataFix,
  personalDataMessage,
} from './personal-data.js';
import type { ProblemLog } from './report.js';

/** Reads `src[start..end)` (already trimmed, never empty) into row `i`, spreadsheet row `rowNo`. */
export type ColumnReader = (
  src: string,
  start: number,
  end: number,
  i: number,
  rowNo: number,
) => void;

export interface DateBounds {
  /** Nothing may be dated after this day: the period end. */
  periodLast: number | null;
  /** With no period, nothing may be dated after today. */
  today: number;
  /** The referral date may not be before the contract started. */
  contractFirst: number | null;
  contractId: string | null;
}

/**
 * How the file's dates were written: if every one is day/month/year and none has a day over 12,
 * every one could be month/day/year too, and the file's dates make sense one way round by luck.
 */
export interface DateOrder {
  /** Dates written with slashes. */
  dayFirst: number;
  /** Dates written another way (ISO, a month name), which can only be read one way round. */
  other: number;
  /** Of those, dates whose day is over 12, so only day-first reads them. */
  dayOver12: number;
  /** The first with day and month different, which would change if read the other way round. */
  example: { row: number; column: string; value: string } | null;
}

export function dateOrder(): DateOrder {
  return { dayFirst: 0, other: 0, dayOver12: 0, example: null };
}

const MAX_VALUE_SHOWN = 100;

function shown(value: string): string {
  return value.length > MAX_VALUE_SHOWN ? `${value.slice(0, MAX_VALUE_SHOWN)}…` : value;
}

/** Logs personal data found in a cell, masked; true when there was some. */
export function guardPersonalData(
  log: ProblemLog,
  rowNo: number,
  column: string,
  value: string,
): boolean {
  const rule = detectPersonalData(value);
  if (!rule) return false;
  log.error(rule, rowNo, column, maskValue(value), personalDataMessage(rule), personalDataFix);
  return true;
}

export function columnReader(
  field: Field,
  column: Float64Array | (string | null)[],
  bounds: DateBounds,
  log: ProblemLog,
  order: DateOrder = dateOrder(),
): ColumnReader {
  const name = field.name;
  switch (field.type) {
    case 'date': {
      const days = column as Float64Array;
      const after = bounds.periodLast ?? bounds.today;
      const afterRule = bounds.periodLast !== null ? 'cell.after_period' : 'cell.future_date';
      const first = name === 'referral_date' ? bounds.contractFirst : null;
      return (src, start, end, i, rowNo) => {
        const d = parseDateSpan(src, start, end);
        if (d !== d) {
          const raw = src.slice(start, end);
          if (!guardPersonalData(log, rowNo, name, raw)) {
            const e = explainDate(raw);
            log.error('cell.date', rowNo, name, shown(raw), e.message, e.fix);
          }
          return;
        }
        days[i] = d;
        const parts = dayFirstParts(src, start, end);
        if (parts) {
          order.dayFirst++;
          if (parts.day > 12) order.dayOver12++;
          else if (!order.example && parts.day !== parts.month)
            order.example = { row: rowNo, column: name, value: src.slice(start, end) };
        } else order.other++;
        if (d > after)
          log.error(
            afterRule,
            rowNo,
            name,
            isoDate(d),
            afterRule === 'cell.after_period'
              ? `${field.label} ${isoDate(d)} is after the end of the period (${isoDate(after)}).`
              : `${field.label} ${isoDate(d)} is in the future.`,
            afterRule === 'cell.after_period'
              ? 'A return shows what happened up to the end of its month: check the date, or leave it blank until next month’s return.'
              : 'Check the date: a return can only record what has happened.',
          );
        if (first !== null && d < first)
          log.error(
            'cell.before_contract',
            rowNo,
            name,
            isoDate(d),
            `The referral date ${isoDate(d)} is before contract ${bounds.contractId} started (${isoDate(first)}).`,
            'Check the date, and that the participant belongs to this contract.',
          );
      };
    }
    case 'code': {
      const codes = column as (string | null)[];
      const list = new CodeList(field.codes);
      return (src, start, end, i, rowNo) => {
        const raw = src.slice(start, end);
        const code = list.get(raw);
        if (code !== undefined) {
          codes[i] = code;
          return;
        }
        const folded = list.caseFolded(raw);
        if (folded) {
          codes[i] = folded;
          log.warning(
            'cell.code_case',
            rowNo,
            name,
            raw,
            `"${raw}" was read as the code ${folded}.`,
            'Codes are written in lower case; no need to resend.',
          );
        } else if (!guardPersonalData(log, rowNo, name, raw)) {
          const e = list.explain(raw);
          log.error('cell.code', rowNo, name, shown(raw), e.message, e.fix);
        }
      };
    }
    case 'integer':
    case 'number': {
      const values = column as Float64Array;
      const { min, max } = field;
      const whole = field.type === 'integer';
      return (src, start, end, i, rowNo) => {
        const v = whole ? parseIntegerSpan(src, start, end) : parseNumber(src.slice(start, end));
        if (v >= min && v <= max) {
          values[i] = v;
          return;
        }
        const raw = src.slice(start, end);
        if (!guardPersonalData(log, rowNo, name, raw)) {
          const e = explainNumber(field, raw, v);
          log.error(
            whole ? 'cell.integer' : 'cell.number',
            rowNo,
            name,
            shown(raw),
            e.message,
            e.fix,
          );
        }
      };
    }
    case 'id': {
      const ids = column as (string | null)[];
      return (src, start, end, i, rowNo) => {
        const raw = src.slice(start, end);
        if (guardPersonalData(log, rowNo, name, raw)) return;
        if (isValidId(raw, field.maxLength)) ids[i] = raw;
        else {
          const e = explainId(raw, field.maxLength);
          log.error('cell.id', rowNo, name, shown(raw), e.message, e.fix);
        }
      };
    }
  }
}
