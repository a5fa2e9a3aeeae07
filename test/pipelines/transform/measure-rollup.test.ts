/**
 * measure_values counts each measure's members by month and breakdown value first and rolls
 * the coarser grains up from those counts (ADR 044). Worked by hand for six participants of
 * one contract, several of them sharing a month and a duration, so that a median of an even
 * number of people, a repeated amount and a mean are each taken across months rolled up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { participant } from '../../fixtures/returns.js';
import { pipelineWith, type PipelineFixture as Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';

const measures = [
  {
    id: 'time_to_assessment',
    label: 'Time from referral to assessment',
    kind: 'duration',
    from: 'referral_date',
    to: 'start_date',
    bands_under: [1, 8, 15, 29],
    within: 0,
  },
  {
    id: 'contacts',
    label: 'Contacts per client',
    kind: 'numeric',
    field: 'contact_count',
    statistic: 'mean',
  },
];

function reference(): ReferenceData {
  const raw = testReference();
  return parseReferenceData({
    ...raw,
    programmes: raw.programmes.map((p) =>
      p.id === 'vrs' ? { ...p, year_start_month: 6, journey_measures: measures } : p,
    ),
  });
}

const row = (id: string, referral: string, start: string, tier: string, contacts: string) =>
  participant({
    participant_id: id,
    referral_date: referral,
    first_contact_date: referral,
    start_date: start,
    support_tier: tier,
    contact_count: contacts,
  });

// Days from referral to assessment, and the month of the assessment (the event cohort):
//   A 0 (Oct 2024), B 0 (Oct), C 7 (Oct), D 14 (Nov), E 28 (Feb 2025), F 3 (Jun 2025).
const rows = [
  row('A', '2024-10-07', '2024-10-07', '2', '4'),
  row('B', '2024-10-14', '2024-10-14', '2', '4'),
  row('C', '2024-10-21', '2024-10-28', '3', '10'),
  row('D', '2024-11-04', '2024-11-18', '3', '1'),
  row('E', '2025-01-06', '2025-02-03', '2', '6'),
  row('F', '2025-06-02', '2025-06-05', '3', '2'),
];

let pipeline: Pipeline;
type Value = Record<string, unknown>;
let all: Value[];

const figure = (where: Partial<Value>) => {
  const found = all.filter((r) =>
    Object.entries({ cohort: 'event', breakdown: 'all', breakdown_value: 'all', ...where }).every(
      ([k, v]) => r[k] === v,
    ),
  );
  expect(found, JSON.stringify(where)).toHaveLength(1);
  return found[0]!;
};
const tta = (grain: string, period: string, statistic: string, more: Partial<Value> = {}) =>
  figure({ measure_id: 'time_to_assessment', grain, period, statistic, ...more });

beforeAll(async () => {
  pipeline = await pipelineWith(reference(), [{ contractId: 'vrs-test', period: '2025-07', rows }]);
  all = await pipeline.query(
    `select measure_id, cohort, grain, period, breakdown, breakdown_value, statistic, category, participants, numerator, denominator, value from measure_values`,
  );
}, 120_000);

describe('a median and a mean rolled up from months', () => {
  it('takes the median of an even number as the mean of the middle two, across months', () => {
    // 2024-Q4: 0, 0, 7 (October) and 14 (November): middle two 0 and 7.
    expect(tta('quarter', '2024-Q4', 'median').value).toBe(3.5);
    expect(tta('quarter', '2024-Q4', 'mean').value).toBeCloseTo(21 / 4, 12);
    expect(tta('quarter', '2024-Q4', 'mean').participants).toBe(4);
    // 2024-25 (April to March), and the programme year from June, have 0, 0, 7, 14, 28.
    expect(tta('financial_year', '2024-25', 'median').value).toBe(7);
    expect(tta('programme_year', '2024-06 to 2025-05', 'median').value).toBe(7);
    expect(tta('financial_year', '2024-25', 'mean').value).toBeCloseTo(49 / 5, 12);
    // To date: 0, 0, 3, 7, 14, 28: middle two 3 and 7.
    expect(tta('to_date', 'to date', 'median').value).toBe(5);
    expect(tta('to_date', 'to date', 'mean').value).toBeCloseTo(52 / 6, 12);
    // One person in a month: their own figure.
    expect(tta('month', '2025-02', 'median').value).toBe(28);
    expect(tta('month', '2024-10', 'median').value).toBe(0);
  });

  it('by a breakdown value, with a repeated amount', () => {
    const tier = (t: string) => ({ breakdown: 'support_tier', breakdown_value: t });
    // Tier 2: 0, 0, 28; tier 3: 7, 14, 3.
    expect(tta('to_date', 'to date', 'median', tier('2')).value).toBe(0);
    expect(tta('to_date', 'to date', 'mean', tier('2')).value).toBeCloseTo(28 / 3, 12);
    expect(tta('to_date', 'to date', 'median', tier('3')).value).toBe(7);
    expect(tta('quarter', '2024-Q4', 'median', tier('2')).value).toBe(0);
    expect(tta('quarter', '2024-Q4', 'median', tier('3')).value).toBe(10.5);
    // Months are kept for the total only (ADR 035).
    expect(all.filter((r) => r.breakdown === 'support_tier' && r.grain === 'month')).toHaveLength(
      0,
    );
  });

  it('in the referral cohort, by the month each person was referred', () => {
    // Referred in 2025-Q1: E alone (28 days), assessed in February.
    expect(tta('quarter', '2025-Q1', 'median', { cohort: 'referral' }).value).toBe(28);
    expect(tta('quarter', '2025-Q1', 'median').value).toBe(28);
    // Referred in 2024-Q4: A, B, C and D, as assessed.
    expect(tta('quarter', '2024-Q4', 'median', { cohort: 'referral' }).value).toBe(3.5);
  });
});

describe('counts, bands and sums rolled up from months', () => {
  it('counts each band and cut point over the months of the period', () => {
    const band = (category: string) =>
      tta('to_date', 'to date', 'band', { category }).numerator +
      '/' +
      tta('to_date', 'to date', 'band', { category }).denominator;
    expect(band('under 1 day')).toBe('2/6');
    expect(band('1 to under 8 days')).toBe('2/6'); // C 7, F 3
    expect(band('8 to under 15 days')).toBe('1/6');
    expect(band('15 to under 29 days')).toBe('1/6');
    // No one took 29 days or more, so there is no row for that band.
    expect(all.filter((r) => r.category === '29 days or more')).toHaveLength(0);
    const under8 = tta('to_date', 'to date', 'cumulative', { category: 'under 8 days' });
    expect([under8.numerator, under8.denominator]).toEqual([4, 6]);
    const within = tta('financial_year', '2024-25', 'within', { category: 'within 0 days' });
    expect([within.numerator, within.denominator]).toEqual([2, 5]);
  });

  it('sums a numeric field and takes its mean over the months of the period', () => {
    // Contacts by referral month: 4, 4, 10 (October), 1 (November), 6 (January), 2 (June).
    const contacts = (grain: string, period: string, more: Partial<Value> = {}) =>
      figure({ measure_id: 'contacts', grain, period, statistic: 'mean', ...more });
    const toDate = contacts('to_date', 'to date');
    expect([toDate.numerator, toDate.denominator, toDate.value]).toEqual([27, 6, 4.5]);
    const q4 = contacts('quarter', '2024-Q4');
    expect([q4.numerator, q4.denominator, q4.value]).toEqual([19, 4, 4.75]);
    const tier2 = contacts('to_date', 'to date', {
      breakdown: 'support_tier',
      breakdown_value: '2',
    });
    expect([tier2.numerator, tier2.denominator]).toEqual([14, 3]);
    expect(tier2.value).toBeCloseTo(14 / 3, 12);
  });
});
