/** Inputs shared by the category charts (line and bar): labelled categories and named series of values. */
import type { Column, Row } from '../columns.js';
import { formatValue } from '../format.js';

export type QuantityFormat = 'number' | 'percent' | 'money';

export interface Series {
  name: string;
  /** One value per category; null where there is none (a month with no profile). */
  values: readonly (number | null)[];
  /** Drawn on top and bold, the others pale behind it (a provider highlighted on request). */
  highlighted?: boolean;
}

export interface CategoryChartOptions {
  title: string;
  /** What the categories are, e.g. "Month"; heads the first column of the data table. */
  categoryLabel: string;
  /** As users should read them, e.g. "Jan 2025". */
  categories: readonly string[];
  series: readonly Series[];
  /** Names the value axis, e.g. "Referrals". */
  valueLabel: string;
  format?: QuantityFormat;
  /** The text alternative; a plain summary of each series is written when omitted. */
  alt?: string;
  width?: number;
  height?: number;
}

/** The chart's numbers as a table: one row per category, one column per series. */
export function seriesTable(o: CategoryChartOptions): { columns: Column[]; rows: Row[] } {
  const columns: Column[] = [
    { key: 'category', label: o.categoryLabel },
    ...o.series.map(
      (s, i) => ({ key: `s${i}`, label: s.name, format: o.format ?? 'number' }) satisfies Column,
    ),
  ];
  const rows = o.categories.map((category, c) => {
    const row: Row = { category };
    o.series.forEach((s, i) => (row[`s${i}`] = s.values[c] ?? null));
    return row;
  });
  return { columns, rows };
}

/** "Referrals: 3 in Jan 2025, 2 in Feb 2025, 1 in Mar 2025." for each series; long series give first, last, lowest and highest. */
export function describeSeries(o: CategoryChartOptions): string {
  const f = (v: number) => formatValue(v, o.format ?? 'number');
  const parts = o.series.map((s) => {
    const points = s.values.flatMap((v, i) =>
      v === null || v === undefined ? [] : [{ v, at: o.categories[i] ?? '' }],
    );
    if (points.length === 0) return `${s.name}: no values.`;
    if (points.length <= 6)
      return `${s.name}: ${points.map((p) => `${f(p.v)} in ${p.at}`).join(', ')}.`;
    const first = points[0]!;
    const last = points[points.length - 1]!;
    const low = points.reduce((a, b) => (b.v < a.v ? b : a));
    const high = points.reduce((a, b) => (b.v > a.v ? b : a));
    return `${s.name}: ${f(first.v)} in ${first.at}, ${f(last.v)} in ${last.at}; lowest ${f(low.v)} in ${low.at}, highest ${f(high.v)} in ${high.at}.`;
  });
  return `${o.title}. ${parts.join(' ')}`;
}

export function valueAxisFormatter(format: QuantityFormat | undefined): (v: number) => string {
  return (v) => formatValue(v, format ?? 'number');
}
