/**
 * Programme-defined measures (issue 11, ADR 024): each kind and each period grain worked out
 * by hand for six participants of one contract, through the real ingest and a real DuckDB build.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { journeyMeasuresSchema } from '../../../pipelines/measures/schema.js';
import { participant } from '../../fixtures/returns.js';
import { pipelineWith, type PipelineFixture as Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';

const measures = [
  { id: 'referrals', label: 'Referrals', kind: 'count_of_milestone', milestone: 'referral_date' },
  {
    id: 'clients_referred',
    label: 'Clients referred',
    kind: 'count_meeting_condition',
    filters: [{ field: 'participant_type', not_in: ['carer_third_party'] }],
  },
  {
    id: 'off_sick_discharged',
    label: 'Off sick at referral, discharged',
    kind: 'count_meeting_condition',
    on: 'exit_date',
    filters: [{ field: 'work_status_at_referral', in: ['off_sick'] }],
  },
  {
    id: 'back_to_work',
    label: 'Back at work from sickness absence',
    kind: 'count_meeting_condition',
    on: 'exit_date',
    filters: [
      { field: 'work_status_at_referral', in: ['off_sick'] },
      { field: 'work_status_at_exit', in: ['at_work', 'self_employed'] },
    ],
  },
  {
    id: 'return_to_work',
    label: 'Return to work',
    kind: 'rate',
    numerator: 'back_to_work',
    denominator: 'off_sick_discharged',
  },
  {
    id: 'time_to_assessment',
    label: 'Time from referral to assessment',
    kind: 'duration',
    from: 'referral_date',
    to: 'start_date',
    bands_under: [1, 8, 15, 29],
    within: 0,
    standard: { min_rate: 0.4 },
  },
  {
    id: 'length_of_stay',
    label: 'Length of stay',
    kind: 'duration',
    from: 'referral_date',
    to: 'exit_date',
    unit: 'weeks',
    bands_under: [4, 12, 16],
  },
  {
    id: 'contacts',
    label: 'Contacts per client',
    kind: 'numeric',
    field: 'contact_count',
    statistic: 'mean',
  },
  {
    id: 'transitions',
    label: 'Work status at discharge by status at referral',
    kind: 'distribution',
    field: 'work_status_at_exit',
    across: 'work_status_at_referral',
    on: 'exit_date',
  },
];

function reference(): ReferenceData {
  const raw = testReference();
  return parseReferenceData({
    ...raw,
    programmes: raw.programmes.map((p) =>
      p.id === 'vrs'
        ? {
            ...p,
            year_start_month: 6,
            journey_measures: measures,
            groupings: [
              {
                id: 'simd_worst_15',
                label: 'Lives in the 15% most deprived data zones',
                groups: [
                  {
                    value: 'worst_15',
                    label: 'Worst 15%',
                    filters: [{ field: 'simd_vigintile', max: 3 }],
                  },
                ],
                otherwise: 'not_worst_15',
              },
            ],
          }
        : p,
    ),
  });
}

const row = (id: string, v: Record<string, string>) =>
  participant({
    participant_id: id,
    first_contact_date: v.referral_date!,
    start_date: '',
    ...v,
  });

const rows = [
  row('P1', {
    referral_date: '2024-10-07',
    start_date: '2024-10-07',
    support_tier: '2',
    work_status_at_referral: 'off_sick',
    exit_date: '2024-12-30',
    exit_reason: 'stayed_in_work',
    work_status_at_exit: 'at_work',
    contact_count: '5',
    simd_decile: '2',
    simd_vigintile: '3',
  }),
  row('P2', {
    referral_date: '2024-10-14',
    start_date: '2024-10-21',
    support_tier: '3',
    work_status_at_referral: 'at_work',
    exit_date: '2025-01-13',
    exit_reason: 'stayed_in_work',
    work_status_at_exit: 'at_work',
    contact_count: '18',
    simd_decile: '5',
    simd_vigintile: '10',
  }),
  row('P3', {
    referral_date: '2024-11-04',
    start_date: '2024-11-18',
    support_tier: '3',
    work_status_at_referral: 'off_sick',
    exit_date: '2025-03-03',
    exit_reason: 'completed',
    work_status_at_exit: 'off_sick',
    contact_count: '20',
  }),
  row('P4', {
    referral_date: '2025-02-03',
    start_date: '2025-02-03',
    support_tier: '2',
    work_status_at_referral: 'unemployed',
    contact_count: '3',
  }),
  row('P5', {
    referral_date: '2025-02-10',
    start_date: '2025-03-10',
    participant_type: 'carer_third_party',
    work_status_at_referral: '',
    contact_count: '2',
  }),
  row('P6', { referral_date: '2025-06-02', work_status_at_referral: 'at_work' }),
];

let pipeline: Pipeline;
type Value = Record<string, unknown>;
let all: Value[];

const pick = (where: Partial<Value>) =>
  all.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));
const one = (where: Partial<Value>) => {
  const found = pick({ cohort: 'event', grain: 'to_date', breakdown: 'all', ...where });
  expect(found, JSON.stringify(where)).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  pipeline = await pipelineWith(reference(), [{ contractId: 'vrs-test', period: '2025-07', rows }]);
  all = await pipeline.query(
    `select measure_id, cohort, grain, period, strftime(period_start, '%Y-%m-%d') as period_start, strftime(period_end, '%Y-%m-%d') as period_end, breakdown, breakdown_value, statistic, category, group_value, participants, numerator, denominator, value, value_low, value_high, meets_standard from measure_values`,
  );
}, 120_000);

describe('count measures', () => {
  it('counts a milestone in each period grain', () => {
    const referrals = (grain: string) =>
      Object.fromEntries(
        pick({ measure_id: 'referrals', cohort: 'event', grain, breakdown: 'all' }).map((r) => [
          r.period,
          r.value,
        ]),
      );
    expect(referrals('month')).toEqual({ '2024-10': 2, '2024-11': 1, '2025-02': 2, '2025-06': 1 });
    expect(referrals('quarter')).toEqual({ '2024-Q4': 3, '2025-Q1': 2, '2025-Q2': 1 });
    expect(referrals('financial_year')).toEqual({ '2024-25': 5, '2025-26': 1 });
    // The programme year starts in June.
    expect(referrals('programme_year')).toEqual({
      '2024-06 to 2025-05': 5,
      '2025-06 to 2026-05': 1,
    });
    expect(referrals('to_date')).toEqual({ 'to date': 6 });
    const toDate = one({ measure_id: 'referrals' });
    expect([toDate.period_start, toDate.period_end]).toEqual(['2024-10-01', '2025-07-31']);
    const py = pick({
      measure_id: 'referrals',
      cohort: 'event',
      grain: 'programme_year',
      breakdown: 'all',
    });
    expect(py.map((r) => [r.period_start, r.period_end]).sort()).toEqual([
      ['2024-06-01', '2025-05-31'],
      ['2025-06-01', '2026-05-31'],
    ]);
  });

  it('counts participants meeting a condition, leaving out carers', () => {
    expect(one({ measure_id: 'clients_referred' }).value).toBe(5);
    expect(one({ measure_id: 'off_sick_discharged' }).value).toBe(2);
  });

  it('counts in the period of the measure’s own date, or of the referral', () => {
    const back = (cohort: string) =>
      pick({ measure_id: 'back_to_work', cohort, grain: 'month', breakdown: 'all' }).map(
        (r) => r.period,
      );
    expect(back('event')).toEqual(['2024-12']); // P1 left in December
    expect(back('referral')).toEqual(['2024-10']); // and was referred in October
  });
});

describe('a rate', () => {
  it('is its numerator over its denominator, with the Wilson interval', () => {
    const r = one({ measure_id: 'return_to_work', statistic: 'rate' });
    expect([r.numerator, r.denominator, r.value]).toEqual([1, 2, 0.5]);
    // Wilson 95%, worked by hand for 1 of 2: centre (0.5 + z²/4) / (1 + z²/2), half width
    // z / (1 + z²/2) · √(0.25/2 + z²/16).
    const z = 1.959963984540054;
    const centre = (0.5 + (z * z) / 4) / (1 + (z * z) / 2);
    const half = (z / (1 + (z * z) / 2)) * Math.sqrt(0.25 / 2 + (z * z) / 16);
    expect(r.value_low).toBeCloseTo(centre - half, 12);
    expect(r.value_high).toBeCloseTo(centre + half, 12);
    expect(r.value_low).toBeCloseTo(0.0945, 4);
  });

  it('has a zero numerator where the denominator has people and the numerator none', () => {
    const tier3 = one({
      measure_id: 'return_to_work',
      breakdown: 'support_tier',
      breakdown_value: '3',
    });
    expect([tier3.numerator, tier3.denominator, tier3.value]).toEqual([0, 1, 0]);
  });
});

describe('a duration', () => {
  it('has a mean and a median', () => {
    // Referral to assessment: 0, 7, 14, 0 and 28 days.
    expect(one({ measure_id: 'time_to_assessment', statistic: 'mean' }).value).toBeCloseTo(9.8, 12);
    expect(one({ measure_id: 'time_to_assessment', statistic: 'median' }).value).toBe(7);
    // Length of stay: 12, 13 and 17 weeks.
    expect(one({ measure_id: 'length_of_stay', statistic: 'mean' }).value).toBeCloseTo(14, 12);
    expect(one({ measure_id: 'length_of_stay', statistic: 'median' }).value).toBe(13);
  });

  it('shares in bands and under each cut point', () => {
    const bands = (id: string) =>
      Object.fromEntries(
        pick({
          measure_id: id,
          cohort: 'event',
          grain: 'to_date',
          breakdown: 'all',
          statistic: 'band',
        }).map((r) => [r.category, `${r.numerator}/${r.denominator}`]),
      );
    expect(bands('time_to_assessment')).toEqual({
      'under 1 day': '2/5',
      '1 to under 8 days': '1/5',
      '8 to under 15 days': '1/5',
      '15 to under 29 days': '1/5',
    });
    expect(bands('length_of_stay')).toEqual({
      '12 to under 16 weeks': '2/3',
      '16 weeks or more': '1/3',
    });
    const under = Object.fromEntries(
      pick({
        measure_id: 'time_to_assessment',
        cohort: 'event',
        grain: 'to_date',
        breakdown: 'all',
        statistic: 'cumulative',
      }).map((r) => [r.category, r.value]),
    );
    expect(under).toEqual({
      'under 1 day': 0.4,
      'under 8 days': 0.6,
      'under 15 days': 0.8,
      'under 29 days': 1,
    });
  });

  it('is a standard with a threshold: within 0 days, the same day', () => {
    const r = one({ measure_id: 'time_to_assessment', statistic: 'within' });
    expect([r.category, r.numerator, r.denominator, r.value, r.meets_standard]).toEqual([
      'within 0 days',
      2,
      5,
      0.4,
      true,
    ]);
  });
});

describe('a numeric field and a distribution', () => {
  it('takes the mean of contacts by tier, its sum and count beside it', () => {
    const byTier = Object.fromEntries(
      pick({
        measure_id: 'contacts',
        cohort: 'event',
        grain: 'to_date',
        breakdown: 'support_tier',
      }).map((r) => [r.breakdown_value, [r.numerator, r.denominator, r.value]]),
    );
    expect(byTier).toEqual({ '2': [8, 2, 4], '3': [38, 2, 19], not_recorded: [2, 1, 2] });
    expect(one({ measure_id: 'contacts' }).value).toBeCloseTo(9.6, 12);
  });

  it('shares add up to 100% within each status at referral: the transitions table', () => {
    const t = pick({
      measure_id: 'transitions',
      cohort: 'event',
      grain: 'to_date',
      breakdown: 'all',
    });
    expect(
      Object.fromEntries(
        t.map((r) => [`${r.group_value}→${r.category}`, `${r.numerator}/${r.denominator}`]),
      ),
    ).toEqual({ 'off_sick→at_work': '1/2', 'off_sick→off_sick': '1/2', 'at_work→at_work': '1/1' });
  });
});

describe('every breakdown by every grain', () => {
  it('by quarter, financial year and programme year as well as to date; months for the total only', () => {
    const tier = (grain: string) =>
      Object.fromEntries(
        pick({ measure_id: 'referrals', cohort: 'event', grain, breakdown: 'support_tier' }).map(
          (r) => [`${String(r.period)} tier ${String(r.breakdown_value)}`, r.value],
        ),
      );
    // Tier 2: P1 (2024-10), P4 (2025-02); tier 3: P2 (2024-10), P3 (2024-11); none: P5 (2025-02), P6 (2025-06).
    expect(tier('quarter')).toEqual({
      '2024-Q4 tier 2': 1,
      '2024-Q4 tier 3': 2,
      '2025-Q1 tier 2': 1,
      '2025-Q1 tier not_recorded': 1,
      '2025-Q2 tier not_recorded': 1,
    });
    expect(tier('financial_year')).toEqual({
      '2024-25 tier 2': 2,
      '2024-25 tier 3': 2,
      '2024-25 tier not_recorded': 1,
      '2025-26 tier not_recorded': 1,
    });
    expect(tier('programme_year')).toEqual({
      '2024-06 to 2025-05 tier 2': 2,
      '2024-06 to 2025-05 tier 3': 2,
      '2024-06 to 2025-05 tier not_recorded': 1,
      '2025-06 to 2026-05 tier not_recorded': 1,
    });
    expect(tier('month')).toEqual({});
    // By referral cohort: back to work (P1, discharged 2024-12) is in its referral quarter, 2024-Q4.
    const back = pick({
      measure_id: 'return_to_work',
      cohort: 'referral',
      grain: 'quarter',
      breakdown: 'support_tier',
    }).map((r) => [r.period, r.breakdown_value, r.numerator, r.denominator]);
    expect(back.sort()).toEqual([
      ['2024-Q4', '2', 1, 1],
      ['2024-Q4', '3', 0, 1],
    ]);
  });
});

describe('breakdowns', () => {
  it('by a grouping the programme defines, and by a derived age band', () => {
    const simd = Object.fromEntries(
      pick({
        measure_id: 'referrals',
        cohort: 'event',
        grain: 'to_date',
        breakdown: 'simd_worst_15',
      }).map((r) => [r.breakdown_value, r.value]),
    );
    expect(simd).toEqual({ worst_15: 1, not_worst_15: 5 });
    const reason = pick({
      measure_id: 'referrals',
      cohort: 'event',
      grain: 'to_date',
      breakdown: 'participant_type',
    });
    expect(Object.fromEntries(reason.map((r) => [r.breakdown_value, r.value]))).toEqual({
      client: 5,
      carer_third_party: 1,
    });
  });
});

describe('measures are checked before they reach SQL', () => {
  it('refuses a field that is not in the journey table, naming it', () => {
    const bad = journeyMeasuresSchema.safeParse([
      {
        id: 'x',
        label: 'X',
        kind: 'numeric',
        field: 'contact_count); drop table journeys; --',
        statistic: 'sum',
      },
    ]);
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toContain(
      'is not a field of the participant-journey table',
    );
  });

  it('refuses a code a field does not have, and a rate over a measure that is not a count', () => {
    const bad = journeyMeasuresSchema.safeParse([
      {
        id: 'a',
        label: 'A',
        kind: 'count_meeting_condition',
        filters: [{ field: 'sex', in: ["x' or 1=1"] }],
      },
      { id: 'b', label: 'B', kind: 'rate', numerator: 'a', denominator: 'c' },
    ]);
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message);
    expect(messages.some((m) => m.includes('is not a code of sex'))).toBe(true);
    expect(
      messages.some((m) => m.includes("b's denominator must be the id of a count measure")),
    ).toBe(true);
  });
});

describe('suppressed_measure_values', () => {
  it('publishes figures to date and by programme year, hiding 1 to 4 and whatever would give one away', async () => {
    const all = await pipeline.query(
      `select grain, period, measure_id, breakdown, breakdown_value, statistic, category, group_value, participants, participants_display, denominator_display, value from suppressed_measure_values where cohort = 'event'`,
    );
    expect(new Set(all.map((r) => `${String(r.grain)} ${String(r.period)}`))).toEqual(
      new Set([
        'to_date to date',
        'programme_year 2024-06 to 2025-05',
        'programme_year 2025-06 to 2026-05',
      ]),
    );
    // Referrals by programme year: 5 and 1. The 1 is hidden, and so is the 5, or 6 − 5 would give it away.
    const years = all.filter(
      (r) => r.measure_id === 'referrals' && r.breakdown === 'all' && r.grain === 'programme_year',
    );
    expect(years.map((r) => [r.period, r.participants_display]).sort()).toEqual([
      ['2024-06 to 2025-05', '[c]'],
      ['2025-06 to 2026-05', '[c]'],
    ]);
    const rows = all.filter((r) => r.grain === 'to_date');
    const get = (where: Partial<Value>) =>
      rows.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));
    const total = get({ measure_id: 'referrals', breakdown: 'all' })[0]!;
    expect([total.participants, total.participants_display, total.value]).toEqual([6, '6', 6]);
    // 1 in the worst 15%: hidden, and so is the 5 beside it, or 6 − 5 would give the 1 away.
    const simd = get({ measure_id: 'referrals', breakdown: 'simd_worst_15' });
    expect(simd.map((r) => [r.breakdown_value, r.participants_display, r.value]).sort()).toEqual([
      ['not_worst_15', '[c]', null],
      ['worst_15', '[c]', null],
    ]);
    const rate = get({ measure_id: 'return_to_work', breakdown: 'all' })[0]!;
    expect([rate.participants_display, rate.denominator_display, rate.value]).toEqual([
      '[c]',
      '[c]',
      null,
    ]);
  });
});

describe('a build whose programmes define no measures', () => {
  it('builds measure_values empty', async () => {
    const bare = await pipelineWith(testReference(), [
      { contractId: 'vrs-test', period: '2025-03', rows: [participant()] },
    ]);
    expect(await bare.query('select count(*)::integer as n from measure_values')).toEqual([
      { n: 0 },
    ]);
  }, 120_000);
});

describe('the documented examples of each kind', () => {
  it('are measures the schema accepts, one per kind', async () => {
    const { measureKindDocs } = await import('../../../pipelines/measures/kinds.js');
    const examples = measureKindDocs.map((k) => k.example);
    const counts = [{ id: 'off_sick_discharged', label: 'x', kind: 'count_meeting_condition' }];
    const parsed = journeyMeasuresSchema.safeParse([...examples, ...counts]);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(new Set(measureKindDocs.map((k) => k.kind)).size).toBe(6);
  });
});
