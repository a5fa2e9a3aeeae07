import { describe, expect, it } from 'vitest';
import { ranked, rankingSort } from '../../reports/pages/ranking/index.js';

const rows = [
  { provider_name: 'Beta', area: 'North', starts: 1097, job_entry_rate: 0.2 },
  { provider_name: 'Acme', area: 'South', starts: null, job_entry_rate: null },
  { provider_name: 'Core', area: 'East', starts: 40, job_entry_rate: 0.35 },
  { provider_name: 'Acme', area: 'West', starts: 300, job_entry_rate: 0.2 },
];

describe('ranked', () => {
  it('sorts either way, a suppressed figure last and unranked, ties by provider', () => {
    const byRate = ranked(rows, { sort: 'rate', dir: 'desc' });
    expect(
      byRate.map((r) => `${String(r.rank)} ${String(r.provider_name)} ${String(r.area)}`),
    ).toEqual(['1 Core East', '2 Acme West', '3 Beta North', 'null Acme South']);
    const byStarts = ranked(rows, { sort: 'starts', dir: 'asc' });
    expect(byStarts.map((r) => r.starts)).toEqual([40, 300, 1097, null]);
    expect(ranked(rows, { sort: 'provider', dir: 'asc' }).map((r) => r.area)).toEqual([
      'South',
      'West',
      'North',
      'East',
    ]);
  });

  it('takes only the sorts it knows, rate and highest first when none is given', () => {
    expect(rankingSort.parse({})).toEqual({ sort: 'rate', dir: 'desc' });
    expect(rankingSort.safeParse({ sort: '__proto__' }).success).toBe(false);
    expect(rankingSort.safeParse({ sort: 'rate', dir: 'sideways' }).success).toBe(false);
  });
});
