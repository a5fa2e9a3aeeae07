/**
 * The review pack's queries name each row's financial-year quarter in SQL (ADR 049's amendment)
 * and the page keeps the quarter `parseQuarter` gives for the URL: the two must agree for every
 * month, or a quarter's rows would be left out of its pack.
 */
import { describe, expect, it } from 'vitest';
import { quarterSql } from '../../../reports/pages/provider-review/index.js';
import { parseQuarter, quarterOf } from '../../../reports/pages/provider-review/quarter.js';
import { query } from '../../pipelines/ingest/helpers.js';

describe("the review pack's quarter in SQL", () => {
  it('names every month from 1999 to 2101 as quarterOf does, and as parseQuarter reads it back', async () => {
    const rows = await query(
      `select period, ${quarterSql('period')} as quarter
       from (select strftime(make_date(y, m, 1), '%Y-%m') as period
             from range(1999, 2102) t(y), range(1, 13) u(m))
       order by period`,
    );
    expect(rows).toHaveLength(103 * 12);
    for (const { period, quarter } of rows) {
      const expected = quarterOf(String(period));
      expect(quarter, String(period)).toBe(expected.id);
      const back = parseQuarter(String(quarter))!;
      expect(back.from <= String(period) && String(period) <= back.to, String(period)).toBe(true);
    }
    // Spot checks written out: the turn of the financial year and of the century.
    const of = new Map(rows.map((r) => [String(r.period), String(r.quarter)]));
    expect(of.get('2026-03')).toBe('2025-26-Q4');
    expect(of.get('2026-04')).toBe('2026-27-Q1');
    expect(of.get('2099-12')).toBe('2099-00-Q3');
    expect(of.get('2000-01')).toBe('1999-00-Q4');
  });
});
