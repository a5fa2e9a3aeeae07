/**
 * Figures as the GOV.UK style guide writes them, in en-GB: "1,234", "85.7%", "£1,200",
 * "10 March 2025", "March 2025". One place, so a table, a headline and a chart's text
 * alternative say the same number the same way.
 */

import type { ColumnFormat } from '../pipelines/transform/model.js';

export type ValueFormat = Exclude<ColumnFormat, 'rag'>;

/** Formats that hold a quantity, and so are right-aligned in tables. */
export const NUMERIC_FORMATS: ReadonlySet<ValueFormat> = new Set(['number', 'percent', 'money']);

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('en-GB', {
  style: 'percent',
  maximumFractionDigits: 1,
});
const wholePounds = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});
const poundsAndPence = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat('en-GB', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortMonthFormat = new Intl.DateTimeFormat('en-GB', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** A share given as a fraction: 0.857 → "85.7%". */
export function formatPercent(fraction: number): string {
  return percentFormat.format(fraction);
}

/** "£1,200" for whole pounds, "£1,234.50" otherwise. */
export function formatMoney(pounds: number): string {
  return (Number.isInteger(pounds) ? wholePounds : poundsAndPence).format(pounds);
}

/** `2025-03-10` → "10 March 2025"; anything that is not an ISO date is returned as it came. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? dateFormat.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : iso;
}

/** `2025-03` → "March 2025" (or "Mar 2025" where space is short, as on a chart axis). */
export function formatPeriod(period: string, style: 'long' | 'short' = 'long'): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  return (style === 'long' ? monthFormat : shortMonthFormat).format(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, 1),
  );
}

/** Any cell value as text in the given format; blank for null, undefined or a value of the wrong type. */
export function formatValue(value: unknown, format: ValueFormat = 'text'): string {
  if (value === null || value === undefined) return '';
  switch (format) {
    case 'number':
      return typeof value === 'number' ? formatNumber(value) : String(value);
    case 'percent':
      return typeof value === 'number' ? formatPercent(value) : String(value);
    case 'money':
      return typeof value === 'number' ? formatMoney(value) : String(value);
    case 'date':
      return formatDate(String(value));
    case 'period':
      return formatPeriod(String(value));
    default:
      return String(value);
  }
}
