/**
 * The periods commissioners see figures for, as SQL over `YYYY-MM` month columns: the month, the
 * calendar quarter (`2025-Q1`, as the quarterly review names it) and the financial year
 * (`2024-25`, April to March); and the nested periods a month's figures may be shown in
 * instead, from the quarter up to the contract's whole term.
 */
export type Grain = 'month' | 'quarter' | 'year';

const monthNumber = (month: string) => `cast(right(${month}, 2) as integer)`;
const yearNumber = (month: string) => `cast(left(${month}, 4) as integer)`;
const yearStart = (month: string) =>
  `(${yearNumber(month)} - case when ${monthNumber(month)} < 4 then 1 else 0 end)`;

/** @example periodOf('quarter', 'period') // SQL giving '2025-Q1' for '2025-02' */
export function periodOf(grain: Grain, month: string): string {
  switch (grain) {
    case 'month':
      return month;
    case 'quarter':
      return `left(${month}, 4) || '-Q' || ((${monthNumber(month)} + 2) // 3)::varchar`;
    case 'year':
      return `${yearStart(month)}::varchar || '-' || right((${yearStart(month)} + 1)::varchar, 2)`;
  }
}

export interface Level {
  /** In plain words, for the comments of the generated SQL. */
  name: string;
  /** SQL naming the period of this level that a month (`month`) is in, given the series' first month (`first`). */
  key: (month: string, first: string) => string;
}

/**
 * The periods above a month, each made of whole periods of the level below, all fixed by the
 * calendar and the start of the contract, never chosen from the figures: so showing a period
 * whole, rather than the periods inside it, tells only that one of them is small, never which.
 * Financial years go in pairs from the contract's first, so that a small first year (a
 * service starting up) is shown with the second rather than hiding the whole term.
 */
export const levels: readonly Level[] = [
  { name: 'quarter', key: (m) => periodOf('quarter', m) },
  {
    name: 'half of the financial year (April to September, October to March)',
    key: (m) =>
      `${periodOf('year', m)} || case when ${monthNumber(m)} between 4 and 9 then ' H1' else ' H2' end`,
  },
  { name: 'financial year', key: (m) => periodOf('year', m) },
  {
    name: 'two financial years, in pairs from the contract’s first',
    key: (m, first) => `'years ' || ((${yearStart(m)} - ${yearStart(first)}) // 2)::varchar`,
  },
  { name: 'the whole term', key: () => `'term'` },
];
