/**
 * An evaluation-style test (issue 11): a small synthetic vocational rehabilitation service of
 * 30 people, run through monthly returns, whose evaluation tables — as the Glasgow VR pilot
 * reports them (Tables 2 and 4 to 9, time to assessment, length of stay, job retention and
 * return to work; ../shared/seeds/004) — were worked out by hand from the people below. Every
 * figure is checked with its numerator and denominator, using the demo programme's own
 * measures (reference data), not measures written for the test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { restrictedScope } from '../../../pipelines/access/index.js';
import { openRestricted } from '../../../pipelines/analytics/restricted.js';
import { vrGroupings, vrMeasures } from '../../../pipelines/demo/vr-measures.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { isoDate, fromIsoDate } from '../../../pipelines/calendar/days.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { renderDownload, renderPage } from '../../../reports/page.js';
import { contractMeasures } from '../../../reports/pages/measures/index.js';
import { pipelineWith, type PipelineFixture as Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant } from '../../fixtures/returns.js';

type Person = [
  tier: string,
  from: string,
  to: string,
  worst15: boolean,
  condition: string,
  reason: string,
];

// The 24 discharged clients: support tier, work status at referral and at discharge, whether
// they live in the 15% most deprived data zones (SIMD), condition, main reason for referral.
const discharged: Person[] = [
  ['3', 'off_sick', 'at_work', false, 'cancer', 'back_to_work'],
  ['3', 'off_sick', 'at_work', false, 'cancer', 'back_to_work'],
  ['3', 'off_sick', 'at_work', false, 'gastrointestinal', 'back_to_work'],
  ['3', 'off_sick', 'at_work', false, 'neurological', 'back_to_work'],
  ['3', 'off_sick', 'off_sick', false, 'cancer', 'back_to_work'],
  ['3', 'off_sick', 'not_known', false, 'cancer', 'back_to_work'],
  ['3', 'at_work', 'at_work', false, 'gastrointestinal', 'remain_at_work'],
  ['3', 'self_employed', 'self_employed', false, 'neurological', 'remain_at_work'],
  ['2', 'off_sick', 'at_work', true, 'cancer', 'back_to_work'],
  ['2', 'off_sick', 'at_work', false, 'gastrointestinal', 'back_to_work'],
  ['2', 'off_sick', 'off_sick', true, 'cancer', 'back_to_work'],
  ['2', 'off_sick', 'off_sick', false, 'cancer', 'back_to_work'],
  ['2', 'off_sick', 'off_sick', false, 'neurological', 'back_to_work'],
  ['2', 'off_sick', 'unemployed', true, 'cancer', 'back_to_work'],
  ['2', 'at_work', 'at_work', false, 'gastrointestinal', 'remain_at_work'],
  ['2', 'at_work', 'at_work', false, 'gastrointestinal', 'remain_at_work'],
  ['2', 'at_work', 'at_work', false, 'neurological', 'remain_at_work'],
  ['2', 'at_work', 'at_work', false, 'cancer', 'change_job'],
  ['2', 'at_work', 'off_sick', true, 'cancer', 'remain_at_work'],
  ['2', 'at_work', 'retired', false, 'neurological', 'give_up_work'],
  ['2', 'unemployed', 'unemployed', true, 'cancer', 'employability_support'],
  ['2', 'unemployed', 'unemployed', false, 'neurological', 'employability_support'],
  ['2', 'unemployed', 'at_work', true, 'gastrointestinal', 'employability_support'],
  ['2', 'unemployed', 'education', false, 'cancer', 'employability_support'],
];
// Days from referral to assessment for people 1 to 30, and to discharge for 1 to 26.
const toStart = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 5, 5, 6, 7, 7, 7, 8, 9, 12, 13, 14, 20, 28, 35, 60, 0, 0, 0, 0,
];
const toExit = [
  7, 14, 14, 21, 21, 27, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98, 105, 112, 119, 126, 140, 154,
  168, 182, 196,
];
const contacts = [
  10, 14, 16, 18, 18, 20, 22, 26, 3, 4, 5, 6, 7, 3, 4, 5, 6, 7, 3, 4, 5, 6, 7, 5, 2, 2, 3, 3, 3, 3,
];

const first = fromIsoDate('2024-10-01');
const rows = Array.from({ length: 30 }, (_, k) => {
  const referral = first + 7 * k;
  const base = {
    participant_id: `VR-${String(k + 1).padStart(3, '0')}`,
    referral_date: isoDate(referral),
    first_contact_date: isoDate(referral),
    start_date: isoDate(referral + toStart[k]!),
    contact_count: String(contacts[k]),
    primary_condition_group: 'cancer',
    engagement: 'voluntary',
    benefit: 'none',
  };
  const exit = (status: string) => ({
    exit_date: isoDate(referral + toExit[k]!),
    exit_reason: 'completed',
    work_status_at_exit: status,
  });
  if (k < 24) {
    const [tier, from, to, worst, condition, reason] = discharged[k]!;
    return participant({
      ...base,
      ...exit(to),
      support_tier: tier,
      work_status_at_referral: from,
      primary_condition_group: condition,
      main_reason_for_referral: reason,
      simd_decile: worst ? '1' : '6',
      simd_vigintile: worst ? '2' : '12',
    });
  }
  if (k < 26)
    return participant({
      ...base,
      exit_date: isoDate(referral + toExit[k]!),
      exit_reason: 'completed',
      participant_type: 'carer_third_party',
      work_status_at_referral: '',
      main_reason_for_referral: 'third_party_illness',
    });
  return participant({
    ...base,
    support_tier: '2',
    work_status_at_referral: ['off_sick', 'at_work', 'unemployed', 'off_sick'][k - 26]!,
    main_reason_for_referral: [
      'back_to_work',
      'remain_at_work',
      'employability_support',
      'back_to_work',
    ][k - 26]!,
  });
});

let pipeline: Pipeline;
let all: Record<string, unknown>[];

beforeAll(async () => {
  const raw = testReference();
  const reference = parseReferenceData({
    ...raw,
    programmes: raw.programmes.map((p) =>
      p.id === 'vrs'
        ? { ...p, year_start_month: 6, journey_measures: vrMeasures, groupings: vrGroupings }
        : p,
    ),
  });
  pipeline = await pipelineWith(reference, [{ contractId: 'vrs-test', period: '2025-12', rows }]);
  all = await pipeline.query(
    `select measure_id, grain, period, breakdown, breakdown_value, statistic, category, group_value, participants, numerator, denominator, value, meets_standard from measure_values where contract_id = 'vrs-test' and cohort = 'event'`,
  );
}, 120_000);

/** A table of `category → "numerator/denominator"` for one measure and breakdown value. */
function shares(
  measure: string,
  where: {
    breakdown?: string;
    value?: string;
    statistic?: string;
    group?: string;
    grain?: string;
  } = {},
): Record<string, string> {
  const rows = all.filter(
    (r) =>
      r.measure_id === measure &&
      r.grain === (where.grain ?? 'to_date') &&
      r.breakdown === (where.breakdown ?? 'all') &&
      r.breakdown_value === (where.value ?? 'all') &&
      r.statistic === (where.statistic ?? 'share') &&
      (where.group === undefined || r.group_value === where.group),
  );
  return Object.fromEntries(rows.map((r) => [r.category, `${r.numerator}/${r.denominator}`]));
}

function figure(
  measure: string,
  statistic: string,
  breakdown = 'all',
  value = 'all',
  grain = 'to_date',
) {
  const found = all.filter(
    (r) =>
      r.measure_id === measure &&
      r.statistic === statistic &&
      r.breakdown === breakdown &&
      r.breakdown_value === value &&
      r.grain === grain,
  );
  expect(found, `${measure} ${statistic} ${breakdown}=${value} ${grain}`).toHaveLength(1);
  return found[0]!;
}

/** A share as the report prints it: a whole percentage. */
const pct = (fraction: string) => {
  const [n, d] = fraction.split('/').map(Number) as [number, number];
  return Math.round((100 * n) / d);
};

describe('the service in numbers', () => {
  it('26 discharged, 4 still receiving support', () => {
    expect(figure('discharges', 'count').value).toBe(26);
    expect(figure('open_cases', 'count').value).toBe(4);
  });
});

describe('Table 2: main reason for engaging, by tier', () => {
  it('gives every share with its numerator and denominator', () => {
    expect(shares('reason_for_referral', { breakdown: 'support_tier', value: '2' })).toEqual({
      back_to_work: '6/16',
      remain_at_work: '4/16',
      employability_support: '4/16',
      change_job: '1/16',
      give_up_work: '1/16',
    });
    expect(shares('reason_for_referral', { breakdown: 'support_tier', value: '3' })).toEqual({
      back_to_work: '6/8',
      remain_at_work: '2/8',
    });
    const everyone = shares('reason_for_referral');
    expect(everyone).toEqual({
      back_to_work: '12/26',
      remain_at_work: '6/26',
      employability_support: '4/26',
      change_job: '1/26',
      give_up_work: '1/26',
      third_party_illness: '2/26',
    });
    // As printed: 46, 23, 15, 4, 4 and 8 per cent.
    expect(
      [
        'back_to_work',
        'remain_at_work',
        'employability_support',
        'change_job',
        'give_up_work',
        'third_party_illness',
      ].map((k) => pct(everyone[k]!)),
    ).toEqual([46, 23, 15, 4, 4, 8]);
  });
});

describe('Table 4: contacts by tier and by pilot year (June to May)', () => {
  it('mean contacts per person, all contacts, and each tier’s share of them', () => {
    const mean = (breakdown: string, value: string) => {
      const r = figure('contacts_per_client', 'mean', breakdown, value);
      return [r.numerator, r.denominator, r.value];
    };
    expect(mean('support_tier', '2')).toEqual([80, 16, 5]);
    expect(mean('support_tier', '3')).toEqual([144, 8, 18]);
    expect(mean('participant_type', 'carer_third_party')).toEqual([4, 2, 2]);
    const total = figure('all_contacts', 'sum').value as number;
    expect(total).toBe(228);
    const sum = (breakdown: string, value: string) =>
      figure('all_contacts', 'sum', breakdown, value).value as number;
    // % of all contacts: 35, 63 and 2.
    expect(
      [
        sum('support_tier', '2'),
        sum('support_tier', '3'),
        sum('participant_type', 'carer_third_party'),
      ].map((s) => Math.round((100 * s) / total)),
    ).toEqual([35, 63, 2]);
    expect(Math.round(figure('contacts_per_client', 'mean').value as number)).toBe(9);
  });

  it('by the programme year the person was discharged in', () => {
    const py = all
      .filter(
        (r) =>
          r.measure_id === 'contacts_per_client' &&
          r.grain === 'programme_year' &&
          r.breakdown === 'all',
      )
      .map((r) => [r.period, r.numerator, r.denominator]);
    expect(py.sort()).toEqual([
      ['2024-06 to 2025-05', 197, 19],
      ['2025-06 to 2026-05', 31, 7],
    ]);
  });
});

describe('time from referral to assessment', () => {
  it('the same day, within a week, 2 weeks and 4 weeks, cumulatively', () => {
    const under = shares('time_to_assessment', { statistic: 'cumulative' });
    expect(under).toEqual({
      'under 1 day': '12/30',
      'under 8 days': '21/30',
      'under 15 days': '26/30',
      'under 29 days': '28/30',
    });
    expect(
      ['under 1 day', 'under 8 days', 'under 15 days', 'under 29 days'].map((k) => pct(under[k]!)),
    ).toEqual([40, 70, 87, 93]);
  });

  it('the service standard of assessment within 10 days, its mean and median', () => {
    const within = figure('time_to_assessment', 'within');
    expect([within.numerator, within.denominator, within.meets_standard]).toEqual([23, 30, false]);
    expect(figure('time_to_assessment', 'median').value).toBe(4);
    expect(figure('time_to_assessment', 'mean').value).toBeCloseTo(242 / 30, 12);
    const response = figure('first_contact_within_5_days', 'within');
    expect([response.numerator, response.denominator, response.meets_standard]).toEqual([
      30,
      30,
      true,
    ]);
  });
});

describe('length of stay', () => {
  it('under 4, 12 and 16 weeks, 16 or more, and the mean', () => {
    const under = shares('length_of_stay', { statistic: 'cumulative' });
    expect(under).toEqual({
      'under 4 weeks': '6/26',
      'under 12 weeks': '14/26',
      'under 16 weeks': '18/26',
    });
    expect(
      ['under 4 weeks', 'under 12 weeks', 'under 16 weeks'].map((k) => pct(under[k]!)),
    ).toEqual([23, 54, 69]);
    expect(shares('length_of_stay', { statistic: 'band' })['16 weeks or more']).toBe('8/26');
    expect(figure('length_of_stay', 'mean').value).toBeCloseTo(2099 / 26 / 7, 12);
    expect(figure('length_of_stay', 'median').value).toBeCloseTo(73.5 / 7, 12);
  });
});

describe('Table 5: work status before and at discharge (clients, not carers)', () => {
  it('before', () => {
    expect(shares('status_at_referral')).toEqual({
      at_work: '7/24',
      self_employed: '1/24',
      off_sick: '12/24',
      unemployed: '4/24',
    });
  });
  it('at discharge', () => {
    expect(shares('status_at_discharge')).toEqual({
      at_work: '12/24',
      self_employed: '1/24',
      off_sick: '5/24',
      unemployed: '3/24',
      retired: '1/24',
      not_known: '1/24',
      education: '1/24',
    });
  });
});

describe('Table 6: discharge status by status before, retention and return to work', () => {
  it('the transitions', () => {
    expect(shares('transitions', { group: 'off_sick' })).toEqual({
      at_work: '6/12',
      off_sick: '4/12',
      unemployed: '1/12',
      not_known: '1/12',
    });
    expect(shares('transitions', { group: 'at_work' })).toEqual({
      at_work: '5/7',
      off_sick: '1/7',
      retired: '1/7',
    });
    expect(shares('transitions', { group: 'self_employed' })).toEqual({ self_employed: '1/1' });
    expect(shares('transitions', { group: 'unemployed' })).toEqual({
      unemployed: '2/4',
      at_work: '1/4',
      education: '1/4',
    });
  });

  it('job retention 75%, return to work 50%, 60% of those in a job in work, 1 moved into work', () => {
    const rate = (id: string) => {
      const r = figure(id, 'rate');
      return [r.numerator, r.denominator, r.value];
    };
    expect(rate('job_retention')).toEqual([6, 8, 0.75]);
    expect(rate('return_to_work')).toEqual([6, 12, 0.5]);
    expect(rate('in_work_at_discharge')).toEqual([12, 20, 0.6]);
    expect(figure('moved_into_work', 'count').value).toBe(1);
  });
});

describe('Table 7: work status before and at discharge by tier', () => {
  it('tier 2 and tier 3', () => {
    const t = { breakdown: 'support_tier' };
    expect(shares('status_at_referral', { ...t, value: '2' })).toEqual({
      at_work: '6/16',
      off_sick: '6/16',
      unemployed: '4/16',
    });
    expect(shares('status_at_discharge', { ...t, value: '2' })).toEqual({
      at_work: '7/16',
      off_sick: '4/16',
      unemployed: '3/16',
      retired: '1/16',
      education: '1/16',
    });
    expect(shares('status_at_referral', { ...t, value: '3' })).toEqual({
      at_work: '1/8',
      self_employed: '1/8',
      off_sick: '6/8',
    });
    expect(shares('status_at_discharge', { ...t, value: '3' })).toEqual({
      at_work: '5/8',
      self_employed: '1/8',
      off_sick: '1/8',
      not_known: '1/8',
    });
    expect(shares('transitions', { ...t, value: '3', group: 'off_sick' })).toEqual({
      at_work: '4/6',
      off_sick: '1/6',
      not_known: '1/6',
    });
  });
});

describe('Table 8: by deprivation (the worst 15% of data zones, SIMD)', () => {
  it('before and at discharge; "other" is the sum of the statuses the table does not name', () => {
    const worst = { breakdown: 'simd_worst_15', value: 'worst_15' };
    expect(shares('status_at_referral', worst)).toEqual({
      at_work: '1/6',
      off_sick: '3/6',
      unemployed: '2/6',
    });
    expect(shares('status_at_discharge', worst)).toEqual({
      at_work: '2/6',
      off_sick: '2/6',
      unemployed: '2/6',
    });
    const rest = shares('status_at_discharge', {
      breakdown: 'simd_worst_15',
      value: 'not_worst_15',
    });
    expect(rest).toEqual({
      at_work: '10/18',
      self_employed: '1/18',
      off_sick: '3/18',
      unemployed: '1/18',
      retired: '1/18',
      not_known: '1/18',
      education: '1/18',
    });
    // As the table prints it: at work (with self-employed) 61%, off sick 17%, unemployed 6%, other 17%.
    const n = (k: string) => Number(rest[k]!.split('/')[0]);
    expect(
      [
        n('at_work') + n('self_employed'),
        n('off_sick'),
        n('unemployed'),
        n('retired') + n('not_known') + n('education'),
      ].map((x) => Math.round((100 * x) / 18)),
    ).toEqual([61, 17, 6, 17]);
  });
});

describe('Table 9: work outcomes by condition', () => {
  it('cancer, IBD, MS', () => {
    const c = (value: string) =>
      shares('status_at_discharge', { breakdown: 'primary_condition_group', value });
    expect(c('cancer')).toEqual({
      at_work: '4/12',
      off_sick: '4/12',
      unemployed: '2/12',
      not_known: '1/12',
      education: '1/12',
    });
    expect(c('gastrointestinal')).toEqual({ at_work: '6/6' });
    expect(c('neurological')).toEqual({
      at_work: '2/6',
      self_employed: '1/6',
      off_sick: '1/6',
      retired: '1/6',
      unemployed: '1/6',
    });
  });
});

describe('the figures on the pages and in SQL', () => {
  it('the measures page shows the transitions by tier, and its download holds them as counts', async () => {
    const db = await openCurated(pipeline.store);
    try {
      const context = {
        params: {
          contracts: 'vrs-test',
          breakdown: 'support_tier',
          grain: 'to_date',
          cohort: 'event',
          title: 'VR',
        },
        downloadHref: (page: string, table: string, format: string) =>
          `/download/${page}/${table}.${format}`,
      };
      const page = (await renderPage(contractMeasures, db, context)).toString();
      expect(page).toContain('Work status transitions: status at referral by status at discharge');
      expect(page).toContain('/download/contract-measures/transitions.csv');
      const csv = new TextDecoder()
        .decode((await renderDownload(contractMeasures, db, context, 'transitions', 'csv')).body)
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      expect(csv[0]).toBe(
        'Contract,Group,Work status at referral,Work status at discharge,People,Out of,Share',
      );
      // Table 7, tier 3, off sick when referred: 4, 1 and 1 of 6.
      expect(csv.filter((line) => line.startsWith('vrs-test,3,off_sick,'))).toEqual([
        'vrs-test,3,off_sick,at_work,4,6,66.7%',
        'vrs-test,3,off_sick,not_known,1,6,16.7%',
        'vrs-test,3,off_sick,off_sick,1,6,16.7%',
      ]);
    } finally {
      db.close();
    }
  });

  it('commissioners query the suppressed figures in SQL through the restricted engine, and the true ones are not in it', async () => {
    const comm = pipeline.reference.users.find((u) => u.id === 'comm')!;
    const db = await openRestricted(pipeline.store, restrictedScope(comm, pipeline.reference));
    try {
      await expect(db.query('select count(*) from measure_values')).rejects.toThrow(
        /measure_values/,
      );
      const { rows } = await db.query(
        `select measure_id, grain, period, breakdown, breakdown_value, statistic, category, group_value,
                participants, participants_display, denominator, denominator_display, value
         from suppressed_measure_values where contract_id = 'vrs-test' and cohort = 'event'`,
      );
      const cell = (r: Record<string, unknown>) =>
        [
          r.measure_id,
          r.grain,
          r.period,
          r.breakdown,
          r.breakdown_value,
          r.statistic,
          r.category,
          r.group_value,
        ].join('|');
      const truth = new Map(all.map((r) => [cell(r), r]));
      const shown = (display: unknown) => display !== null && display !== '[c]';
      expect(rows.filter((r) => shown(r.participants_display)).length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.participants_display === '[c]').length).toBeGreaterThan(0);
      for (const r of rows) {
        const t = truth.get(cell(r));
        expect(t, cell(r)).toBeDefined();
        // No count of 1 to 4 people shown, as participants or as a denominator (a mean's people
        // are both); what is shown is the true figure, and a figure only beside its counts.
        for (const [display, count] of [
          [r.participants_display, 'participants'],
          [r.denominator_display, 'denominator'],
        ] as const)
          if (shown(display)) {
            expect(Number(display), `${cell(r)} ${count}`).not.toBeOneOf([1, 2, 3, 4]);
            expect(r[count], `${cell(r)} ${count}`).toBe(t![count]);
          } else if (display === '[c]') expect(r[count], cell(r)).toBeNull();
        if (r.value !== null) {
          expect(shown(r.participants_display), cell(r)).toBe(true);
          expect(r.denominator_display, cell(r)).not.toBe('[c]');
          expect(r.value, cell(r)).toBe(t!.value);
        }
      }
      // Table 7's 4 of the 6 tier 3 clients off sick back at work is one of the hidden.
      const tier3 = rows.find(
        (r) =>
          r.measure_id === 'transitions' &&
          r.grain === 'to_date' &&
          r.breakdown === 'support_tier' &&
          r.breakdown_value === '3' &&
          r.group_value === 'off_sick' &&
          r.category === 'at_work',
      );
      expect(tier3?.participants_display).toBe('[c]');
    } finally {
      db.close();
    }
  });
});
