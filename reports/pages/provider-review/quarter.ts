/**
 * Financial-year quarters, as the review pack names them (issue 13): Q1 is April to June, so
 * `2025-26-Q4` is January to March 2026, shown as "Q4 2025/26". A calendar quarter in the old
 * form (`2026-Q1`) is read as the same three months.
 */

export interface Quarter {
  /** e.g. `2025-26-Q4` */
  id: string;
  /** e.g. `Q4 2025/26` */
  label: string;
  /** First and last months, YYYY-MM. */
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The financial-year quarter whose first month is `year`-`month` (April, July, October or January). */
function quarterStarting(year: number, month: number): Quarter {
  const fyStart = month >= 4 ? year : year - 1;
  const q = month >= 4 ? (month - 1) / 3 : 4;
  const end = month + 2;
  return {
    id: `${fyStart}-${pad((fyStart + 1) % 100)}-Q${q}`,
    label: `Q${q} ${fyStart}/${pad((fyStart + 1) % 100)}`,
    from: `${year}-${pad(month)}`,
    to: `${year}-${pad(end)}`,
  };
}

/**
 * @example parseQuarter('2025-26-Q4') // { id: '2025-26-Q4', label: 'Q4 2025/26', from: '2026-01', to: '2026-03' }
 * @example parseQuarter('2026-Q1')?.id // '2025-26-Q4' (a calendar quarter, read as its months)
 */
export function parseQuarter(text: string): Quarter | null {
  const fy = /^(\d{4})-(\d{2})-Q([1-4])$/.exec(text.trim());
  if (fy) {
    const start = Number(fy[1]);
    if ((start + 1) % 100 !== Number(fy[2])) return null;
    const q = Number(fy[3]);
    return q === 4 ? quarterStarting(start + 1, 1) : quarterStarting(start, q * 3 + 1);
  }
  const calendar = /^(\d{4})-Q([1-4])$/.exec(text.trim());
  if (!calendar) return null;
  return quarterStarting(Number(calendar[1]), Number(calendar[2]) * 3 - 2);
}

/** @example quarterOf('2026-02').id // '2025-26-Q4' */
export function quarterOf(period: string): Quarter {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return quarterStarting(year, Math.floor((month - 1) / 3) * 3 + 1);
}

/** The quarters with any of these months, newest first. */
export function quartersOf(periods: readonly string[]): Quarter[] {
  const byId = new Map<string, Quarter>();
  for (const p of periods) {
    const q = quarterOf(p);
    byId.set(q.id, q);
  }
  return [...byId.values()].sort((a, b) => (a.from < b.from ? 1 : -1));
}

/**
 * The newest quarter all three of whose months are among `periods` (YYYY-MM); failing that,
 * the newest quarter with any month; null when there are none.
 *
 * @example newestCompleteQuarter(['2024-10', '2024-11', '2024-12', '2025-01']) // '2024-25-Q3'
 */
export function newestCompleteQuarter(periods: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const p of new Set(periods))
    counts.set(quarterOf(p).id, (counts.get(quarterOf(p).id) ?? 0) + 1);
  const quarters = quartersOf(periods).map((q) => q.id);
  return quarters.find((q) => counts.get(q) === 3) ?? quarters[0] ?? null;
}
