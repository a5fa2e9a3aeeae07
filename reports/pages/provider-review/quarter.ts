/** Quarters of the calendar year, as the review page's URL names them: `2025-Q1`. */

export interface Quarter {
  /** e.g. `2025-Q1` */
  id: string;
  /** First and last months, YYYY-MM. */
  from: string;
  to: string;
}

/** @example parseQuarter('2025-Q1') // { id: '2025-Q1', from: '2025-01', to: '2025-03' } */
export function parseQuarter(text: string): Quarter | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(text.trim());
  if (!m) return null;
  const year = m[1]!;
  const q = Number(m[2]);
  const month = (n: number) => `${year}-${String(n).padStart(2, '0')}`;
  return { id: `${year}-Q${q}`, from: month(q * 3 - 2), to: month(q * 3) };
}

/**
 * `quarterOf` in SQL, for a YYYY-MM column: the same `2025-Q1`.
 *
 * @example `select ${quarterOfPeriod('period')} as quarter from performance`
 */
export function quarterOfPeriod(column: string): string {
  return `(substr(${column}, 1, 4) || '-Q' || ((cast(substr(${column}, 6, 2) as integer) + 2) // 3))`;
}

/** @example quarterOf('2025-02') // '2025-Q1' */
export function quarterOf(period: string): string {
  const [year, month] = period.split('-');
  return `${year}-Q${Math.ceil(Number(month) / 3)}`;
}

/**
 * The newest quarter all three of whose months are among `periods` (YYYY-MM); failing that,
 * the newest quarter with any month; null when there are none.
 *
 * @example newestCompleteQuarter(['2024-10', '2024-11', '2024-12', '2025-01']) // '2024-Q4'
 */
export function newestCompleteQuarter(periods: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const p of new Set(periods)) counts.set(quarterOf(p), (counts.get(quarterOf(p)) ?? 0) + 1);
  const quarters = [...counts.keys()].sort().reverse();
  return quarters.find((q) => counts.get(q) === 3) ?? quarters[0] ?? null;
}
