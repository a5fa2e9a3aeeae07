import { beforeAll, describe, expect, it } from 'vitest';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { Standard } from '../../../pipelines/reference/schema.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant, type RowValues } from '../../fixtures/returns.js';

/**
 * The delivery marts (funnel, standards, payments), checked against answers worked out by hand.
 *
 * Reference: testReference() with
 *   - plp-test's term starting 2025-01 (so its months are Jan, Feb, Mar 2025), paying on 26 weeks
 *     (£300 per start, £1,200 per job entry, £800 per sustained job);
 *   - two more standards on the plp programme besides first contact within 10 days (≥ 90%):
 *     waivers and deferrals at most 30% of referrals (max_share) and CMP completion at least
 *     60% of CMP starts (min_share);
 *   - two payment contracts on the same programme and data, plp-13 (13 weeks) and plp-26 (26 weeks).
 *
 * plp-test, newest return 2025-03 (an earlier 2025-02 return restates P-02's first contact):
 *
 *   id    referral  1st contact (days)  start  waiver  deferral  CMP ref  CMP start  CMP done  job entry
 *   P-01  01-06     01-16 (10)          01-20                     01-21    02-03      03-14     03-20
 *   P-02  01-06     01-17 (11)          01-27                     01-28    02-10
 *   P-03  01-13     01-15 (2)           01-22                                                  02-17
 *   P-04  01-27     02-03 (7)                   02-03
 *   P-05  02-03     02-05 (2)           02-10                     02-10    02-24      03-28
 *   P-06  02-10     02-24 (14)          03-10   03-05   02-24     03-10    03-17
 *   P-07  02-17     02-19 (2)           02-26                     02-26                        03-24
 *   P-08  03-03     03-04 (1)           03-12                     03-12
 *   P-09  03-10     03-20 (10)                  03-12   03-20
 *   P-10  03-24
 */
const blank = { first_contact_date: '', start_date: '' };
const p = (id: string, values: RowValues): RowValues =>
  participant({ ...blank, participant_id: id, ...values });

const P01 = p('P-01', {
  referral_date: '2025-01-06',
  first_contact_date: '2025-01-16',
  start_date: '2025-01-20',
  cmp_referral_date: '2025-01-21',
  cmp_start_date: '2025-02-03',
  cmp_completion_date: '2025-03-14',
  job_entry_date: '2025-03-20',
});
const P02 = p('P-02', {
  referral_date: '2025-01-06',
  first_contact_date: '2025-01-17',
  start_date: '2025-01-27',
  cmp_referral_date: '2025-01-28',
  cmp_start_date: '2025-02-10',
});
const P03 = p('P-03', {
  referral_date: '2025-01-13',
  first_contact_date: '2025-01-15',
  start_date: '2025-01-22',
  job_entry_date: '2025-02-17',
});
const P04 = p('P-04', {
  referral_date: '2025-01-27',
  first_contact_date: '2025-02-03',
  waiver_date: '2025-02-03',
});
const P05 = p('P-05', {
  referral_date: '2025-02-03',
  first_contact_date: '2025-02-05',
  start_date: '2025-02-10',
  cmp_referral_date: '2025-02-10',
  cmp_start_date: '2025-02-24',
  cmp_completion_date: '2025-03-28',
});
const P06 = p('P-06', {
  referral_date: '2025-02-10',
  first_contact_date: '2025-02-24',
  deferral_date: '2025-02-24',
  waiver_date: '2025-03-05',
  start_date: '2025-03-10',
  cmp_referral_date: '2025-03-10',
  cmp_start_date: '2025-03-17',
});
const P07 = p('P-07', {
  referral_date: '2025-02-17',
  first_contact_date: '2025-02-19',
  start_date: '2025-02-26',
  cmp_referral_date: '2025-02-26',
  job_entry_date: '2025-03-24',
});
const P08 = p('P-08', {
  referral_date: '2025-03-03',
  first_contact_date: '2025-03-04',
  start_date: '2025-03-12',
  cmp_referral_date: '2025-03-12',
});
const P09 = p('P-09', {
  referral_date: '2025-03-10',
  first_contact_date: '2025-03-20',
  waiver_date: '2025-03-12',
  deferral_date: '2025-03-20',
});
const P10 = p('P-10', { referral_date: '2025-03-24' });

/** The 2025-02 return: what was known at the end of February (P-02's first contact later restated). */
const february: RowValues[] = [
  { ...P01, cmp_completion_date: '', job_entry_date: '' },
  { ...P02, first_contact_date: '2025-01-10' },
  { ...P03 },
  { ...P04 },
  { ...P05, cmp_completion_date: '' },
  { ...P06, waiver_date: '', start_date: '', cmp_referral_date: '', cmp_start_date: '' },
  { ...P07, job_entry_date: '' },
];

/**
 * plp-13 and plp-26, one return each for 2025-08 with the same rows. Sustained dates are exactly
 * 91 and 182 days after the job entry (the least the validator allows):
 *
 *   id   referral  start  job entry  13 weeks  26 weeks
 *   Q-1  01-06     01-13  01-20      04-21     07-21     (Jan 20 + 91 = Apr 21; + 182 = Jul 21)
 *   Q-2  01-08     01-15  02-03      05-05     08-04     (Feb 3 + 91 = May 5; + 182 = Aug 4)
 *   Q-3  02-03     02-10  03-10      06-09     —         (Mar 10 + 91 = Jun 9; 26 weeks would be Sep 8)
 *   Q-4  03-03     03-10  04-14      —         —         (left the job)
 *   Q-5  04-01     04-07
 *   Q-6  05-05
 */
const paymentRows: RowValues[] = [
  p('Q-1', {
    referral_date: '2025-01-06',
    start_date: '2025-01-13',
    job_entry_date: '2025-01-20',
    sustained_13_weeks_date: '2025-04-21',
    sustained_26_weeks_date: '2025-07-21',
  }),
  p('Q-2', {
    referral_date: '2025-01-08',
    start_date: '2025-01-15',
    job_entry_date: '2025-02-03',
    sustained_13_weeks_date: '2025-05-05',
    sustained_26_weeks_date: '2025-08-04',
  }),
  p('Q-3', {
    referral_date: '2025-02-03',
    start_date: '2025-02-10',
    job_entry_date: '2025-03-10',
    sustained_13_weeks_date: '2025-06-09',
  }),
  p('Q-4', { referral_date: '2025-03-03', start_date: '2025-03-10', job_entry_date: '2025-04-14' }),
  p('Q-5', { referral_date: '2025-04-01', start_date: '2025-04-07' }),
  p('Q-6', { referral_date: '2025-05-05' }),
];

/** vrs-test (no CMP, term from 2024-10), one return for 2025-03. */
const vrsRows: RowValues[] = [
  p('V-1', {
    referral_date: '2025-02-03',
    first_contact_date: '2025-02-05',
    start_date: '2025-02-10',
  }),
  p('V-2', { referral_date: '2025-03-03', first_contact_date: '2025-03-05' }),
];

const extraStandards: Standard[] = [
  {
    kind: 'max_share',
    id: 'waivers_deferrals',
    label: 'Waivers and deferrals at most 30% of referrals',
    numerator: ['waiver_date', 'deferral_date'],
    denominator: 'referral_date',
    max_rate: 0.3,
  },
  {
    kind: 'min_share',
    id: 'cmp_completion_60',
    label: 'At least 60% of CMP starts complete',
    numerator: 'cmp_completion_date',
    denominator: 'cmp_start_date',
    min_rate: 0.6,
  },
];

function reference() {
  const r = testReference();
  const plpTest = r.contracts.find((c) => c.id === 'plp-test')!;
  return parseReferenceData({
    ...r,
    programmes: r.programmes.map((prog) =>
      prog.id === 'plp' ? { ...prog, standards: [...prog.standards, ...extraStandards] } : prog,
    ),
    contracts: [
      ...r.contracts.map((c) => (c.id === 'plp-test' ? { ...c, start_period: '2025-01' } : c)),
      {
        ...plpTest,
        id: 'plp-13',
        start_period: '2025-01',
        payment: {
          service_fee_per_start: 250.5,
          job_outcome_payment: 1000,
          sustained_payment: 750.25,
          sustained_weeks: 13,
        },
      },
      {
        ...plpTest,
        id: 'plp-26',
        start_period: '2025-01',
        payment: {
          service_fee_per_start: 300,
          job_outcome_payment: 1150,
          sustained_payment: 1400,
          sustained_weeks: 26,
        },
      },
    ],
  });
}

let pipeline: PipelineFixture;
beforeAll(async () => {
  pipeline = await pipelineWith(
    reference(),
    [
      { contractId: 'plp-test', period: '2025-02', rows: february },
      {
        contractId: 'plp-test',
        period: '2025-03',
        rows: [P01, P02, P03, P04, P05, P06, P07, P08, P09, P10],
      },
      { contractId: 'vrs-test', period: '2025-03', rows: vrsRows },
      { contractId: 'plp-13', period: '2025-08', rows: paymentRows },
      // The same people under their own references: one provider's two contracts with the same
      // participants would look like the wrong contract's return (ADR 023).
      {
        contractId: 'plp-26',
        period: '2025-08',
        rows: paymentRows.map((r) => ({ ...r, participant_id: `${String(r.participant_id)}b` })),
      },
    ],
    '2025-09-20',
  );
});

describe('funnel', () => {
  const funnelOf = (contract: string) =>
    pipeline.query(`select cohort_period, sustained_weeks, referrals, starts, cmp_referrals, cmp_starts, cmp_completions, job_entries, sustained_jobs,
                           start_rate, cmp_completion_rate, job_entry_rate, sustain_rate
                    from funnel where contract_id = '${contract}' order by cohort_period`);

  it('counts each referral cohort through the stages it has reached by the newest return, with conversion rates', async () => {
    // Jan cohort P-01..P-04: 4 referrals; starts P-01, P-02, P-03 = 3 (3/4 = 0.75); CMP referrals and
    //   starts P-01, P-02 = 2; completions P-01 = 1 (1/2); job entries P-01, P-03 = 2 (2/3 of starts);
    //   sustained 0 (0/2).
    // Feb cohort P-05..P-07: 3 referrals, 3 starts (P-06 started in March: still the Feb cohort) = 1;
    //   CMP referrals P-05, P-06, P-07 = 3, CMP starts P-05, P-06 = 2, completed P-05 = 1 (1/2 of the
    //   starts, not of the referrals); job entries P-07 = 1 (1/3); sustained 0 (0/1).
    // Mar cohort P-08..P-10: 3 referrals, 1 start (1/3); 1 CMP referral (P-08) but no CMP starts
    //   (completion rate null, not 0 of the referrals); 0 job entries
    //   (0/1 = 0); sustain rate null (no job entries).
    expect(await funnelOf('plp-test')).toEqual([
      {
        cohort_period: '2025-01',
        sustained_weeks: 26,
        referrals: 4,
        starts: 3,
        cmp_referrals: 2,
        cmp_starts: 2,
        cmp_completions: 1,
        job_entries: 2,
        sustained_jobs: 0,
        start_rate: 0.75,
        cmp_completion_rate: 0.5,
        job_entry_rate: 2 / 3,
        sustain_rate: null,
      },
      {
        cohort_period: '2025-02',
        sustained_weeks: 26,
        referrals: 3,
        starts: 3,
        cmp_referrals: 3,
        cmp_starts: 2,
        cmp_completions: 1,
        job_entries: 1,
        sustained_jobs: 0,
        start_rate: 1,
        cmp_completion_rate: 0.5,
        job_entry_rate: 1 / 3,
        sustain_rate: null,
      },
      {
        cohort_period: '2025-03',
        sustained_weeks: 26,
        referrals: 3,
        starts: 1,
        cmp_referrals: 1,
        cmp_starts: 0,
        cmp_completions: 0,
        job_entries: 0,
        sustained_jobs: 0,
        start_rate: 1 / 3,
        cmp_completion_rate: null,
        job_entry_rate: 0,
        sustain_rate: null,
      },
    ]);
  });

  it('counts sustained jobs at the contract’s sustained weeks', async () => {
    // Same rows in both contracts. Jan cohort: both sustained 13 weeks and 26 weeks → 2 in each.
    // Feb cohort Q-3: sustained 13 weeks only → 1 in plp-13 (1/1), 0 in plp-26 (0/1).
    // Mar cohort Q-4: job entry, not sustained → 0/1. Apr Q-5: a start, no job (rate null). May Q-6: referral only.
    const pick = (rows: Record<string, unknown>[]) =>
      rows.map((r) => [
        r.cohort_period,
        r.sustained_weeks,
        r.referrals,
        r.starts,
        r.job_entries,
        r.sustained_jobs,
        r.sustain_rate,
      ]);
    expect(pick(await funnelOf('plp-13'))).toEqual([
      ['2025-01', 13, 2, 2, 2, 2, 1],
      ['2025-02', 13, 1, 1, 1, 1, 1],
      ['2025-03', 13, 1, 1, 1, 0, 0],
      ['2025-04', 13, 1, 1, 0, 0, null],
      ['2025-05', 13, 1, 0, 0, 0, null],
      ['2025-06', 13, 0, 0, 0, 0, null],
      ['2025-07', 13, 0, 0, 0, 0, null],
      ['2025-08', 13, 0, 0, 0, 0, null],
    ]);
    // The sustain rate counts only job entries old enough by the end of the newest return (2025-08-31):
    // at 26 weeks (182 days) Q-1 (2025-01-20 → 2025-07-21) and Q-2 (2025-02-03 → 2025-08-04) are due,
    // Q-3 (2025-03-10 → 2025-09-08) and Q-4 (2025-04-14 → 2025-10-13) not yet, so those cohorts have no rate.
    // At 13 weeks (91 days) all four are due (the latest, Q-4, on 2025-07-14).
    expect(pick(await funnelOf('plp-26')).slice(0, 3)).toEqual([
      ['2025-01', 26, 2, 2, 2, 2, 1],
      ['2025-02', 26, 1, 1, 1, 0, null],
      ['2025-03', 26, 1, 1, 1, 0, null],
    ]);
    // A month with no referrals has no rates at all.
    expect((await funnelOf('plp-13'))[6]).toMatchObject({
      start_rate: null,
      job_entry_rate: null,
      sustain_rate: null,
    });
  });

  it('leaves the CMP stages empty for a programme without a CMP', async () => {
    // vrs-test: term from 2024-10, newest return 2025-03 → six cohorts; V-1 in Feb (started), V-2 in Mar.
    const rows = await funnelOf('vrs-test');
    expect(
      rows.map((r) => [
        r.cohort_period,
        r.referrals,
        r.starts,
        r.cmp_referrals,
        r.cmp_starts,
        r.cmp_completions,
        r.cmp_completion_rate,
      ]),
    ).toEqual([
      ['2024-10', 0, 0, null, null, null, null],
      ['2024-11', 0, 0, null, null, null, null],
      ['2024-12', 0, 0, null, null, null, null],
      ['2025-01', 0, 0, null, null, null, null],
      ['2025-02', 1, 1, null, null, null, null],
      ['2025-03', 1, 0, null, null, null, null],
    ]);
  });
});

describe('standards', () => {
  const standardOf = (id: string) =>
    pipeline.query(`select period, numerator, denominator, rate, min_rate, max_rate, met, cumulative_numerator, cumulative_denominator, cumulative_rate, cumulative_met
                    from standards where contract_id = 'plp-test' and standard_id = '${id}' order by period`);

  it('has a row for every standard of the programme in every month of the contract', async () => {
    const rows = await pipeline.query(
      `select standard_id, kind, count(*)::integer as months from standards where contract_id = 'plp-test' group by all order by standard_id`,
    );
    expect(rows).toEqual([
      { standard_id: 'cmp_completion_60', kind: 'min_share', months: 3 },
      { standard_id: 'first_contact_10_days', kind: 'within_days', months: 3 },
      { standard_id: 'waivers_deferrals', kind: 'max_share', months: 3 },
    ]);
    // vrs has no standards in the test reference: no rows.
    expect(await pipeline.query(`select * from standards where contract_id = 'vrs-test'`)).toEqual(
      [],
    );
  });

  it('within_days: first contact within 10 days, counted in the month of first contact (10 days in, 11 out)', async () => {
    // Jan: first contacts P-01 (10 days ✓, the boundary), P-02 (11 ✗; the Feb return's 4 days is restated), P-03 (2 ✓) → 2/3.
    // Feb: P-04 (7 ✓, referred in Jan), P-05 (2 ✓), P-06 (14 ✗), P-07 (2 ✓) → 3/4.
    // Mar: P-08 (1 ✓), P-09 (10 ✓); P-10 not yet contacted, so in neither → 2/2.
    // Bound: at least 0.9. Cumulative 2/3, 5/7, 7/9: never met.
    expect(await standardOf('first_contact_10_days')).toEqual([
      {
        period: '2025-01',
        numerator: 2,
        denominator: 3,
        rate: 2 / 3,
        min_rate: 0.9,
        max_rate: null,
        met: false,
        cumulative_numerator: 2,
        cumulative_denominator: 3,
        cumulative_rate: 2 / 3,
        cumulative_met: false,
      },
      {
        period: '2025-02',
        numerator: 3,
        denominator: 4,
        rate: 0.75,
        min_rate: 0.9,
        max_rate: null,
        met: false,
        cumulative_numerator: 5,
        cumulative_denominator: 7,
        cumulative_rate: 5 / 7,
        cumulative_met: false,
      },
      {
        period: '2025-03',
        numerator: 2,
        denominator: 2,
        rate: 1,
        min_rate: 0.9,
        max_rate: null,
        met: true,
        cumulative_numerator: 7,
        cumulative_denominator: 9,
        cumulative_rate: 7 / 9,
        cumulative_met: false,
      },
    ]);
  });

  it('max_share: waivers and deferrals dated in the month against referrals in the month', async () => {
    // Referrals: Jan 4, Feb 3, Mar 3.
    // Numerator: Jan none → 0/4 = 0 (met: at most 0.3).
    // Feb: P-04 waiver 02-03 (referred in Jan), P-06 deferral 02-24 → 2/3 (not met).
    // Mar: P-06 waiver 03-05, P-09 waiver 03-12 and deferral 03-20 (once) → 2/3 (not met).
    // Contract-to-date, each participant once from their first waiver or deferral: P-04, P-06 in Feb,
    // P-09 in Mar → 0/4, 2/7, 3/10 = 0.3 — exactly the bound, so met (a plain sum would give 4/10).
    expect(await standardOf('waivers_deferrals')).toEqual([
      {
        period: '2025-01',
        numerator: 0,
        denominator: 4,
        rate: 0,
        min_rate: null,
        max_rate: 0.3,
        met: true,
        cumulative_numerator: 0,
        cumulative_denominator: 4,
        cumulative_rate: 0,
        cumulative_met: true,
      },
      {
        period: '2025-02',
        numerator: 2,
        denominator: 3,
        rate: 2 / 3,
        min_rate: null,
        max_rate: 0.3,
        met: false,
        cumulative_numerator: 2,
        cumulative_denominator: 7,
        cumulative_rate: 2 / 7,
        cumulative_met: true,
      },
      {
        period: '2025-03',
        numerator: 2,
        denominator: 3,
        rate: 2 / 3,
        min_rate: null,
        max_rate: 0.3,
        met: false,
        cumulative_numerator: 3,
        cumulative_denominator: 10,
        cumulative_rate: 0.3,
        cumulative_met: true,
      },
    ]);
  });

  it('min_share: CMP completions among the CMP starts of the month, whenever they completed', async () => {
    // CMP starts: Jan none → 0/0: rate and met null.
    // Feb: P-01 (02-03), P-02 (02-10), P-05 (02-24); P-01 and P-05 completed (in March) → 2/3 ≥ 0.6, met.
    // Mar: P-06 (03-17), not completed → 0/1, not met.
    // Cumulative: 0/0 (null), 2/3 (met), 2/4 = 0.5 (not met).
    expect(await standardOf('cmp_completion_60')).toEqual([
      {
        period: '2025-01',
        numerator: 0,
        denominator: 0,
        rate: null,
        min_rate: 0.6,
        max_rate: null,
        met: null,
        cumulative_numerator: 0,
        cumulative_denominator: 0,
        cumulative_rate: null,
        cumulative_met: null,
      },
      {
        period: '2025-02',
        numerator: 2,
        denominator: 3,
        rate: 2 / 3,
        min_rate: 0.6,
        max_rate: null,
        met: true,
        cumulative_numerator: 2,
        cumulative_denominator: 3,
        cumulative_rate: 2 / 3,
        cumulative_met: true,
      },
      {
        period: '2025-03',
        numerator: 0,
        denominator: 1,
        rate: 0,
        min_rate: 0.6,
        max_rate: null,
        met: false,
        cumulative_numerator: 2,
        cumulative_denominator: 4,
        cumulative_rate: 0.5,
        cumulative_met: false,
      },
    ]);
  });
});

describe('payments', () => {
  const paymentsOf = (contract: string) =>
    pipeline.query(`select period, starts, job_entries, sustained_jobs, service_fees, job_outcome_payments, sustained_payments, total_due,
                           cumulative_starts, cumulative_job_entries, cumulative_sustained_jobs, cumulative_total_due, cost_per_job_entry, cost_per_sustained_job
                    from payments where contract_id = '${contract}' order by period`);
  type Money = [string, number, number, number, number, number, number, number];
  const money = (rows: Record<string, unknown>[]): Money[] =>
    rows.map(
      (r) =>
        [
          r.period,
          r.starts,
          r.job_entries,
          r.sustained_jobs,
          r.service_fees,
          r.job_outcome_payments,
          r.sustained_payments,
          r.total_due,
        ] as Money,
    );
  const costs = (rows: Record<string, unknown>[]) =>
    rows.map((r) => [
      r.period,
      r.cumulative_total_due,
      r.cumulative_job_entries,
      r.cost_per_job_entry,
      r.cumulative_sustained_jobs,
      r.cost_per_sustained_job,
    ]);

  it('pays a 13-week contract its fees month by month, to the penny', async () => {
    // £250.50 per start, £1,000 per job entry, £750.25 per job sustained 13 weeks.
    // Starts: Jan; Feb Q-3; Mar Q-4; Apr Q-5. Job entries: Jan Q-1, Feb Q-2, Mar Q-3, Apr Q-4.
    // Sustained 13 weeks: Apr Q-1, May Q-2, Jun Q-3 (the 26-week dates do not count here).
    const rows = await paymentsOf('plp-13');
    expect(money(rows)).toEqual([
      ['2025-01', 2, 1, 0, 501, 1000, 0, 1501], //       2 × 250.50 + 1,000
      ['2025-02', 1, 1, 0, 250.5, 1000, 0, 1250.5],
      ['2025-03', 1, 1, 0, 250.5, 1000, 0, 1250.5],
      ['2025-04', 1, 1, 1, 250.5, 1000, 750.25, 2000.75],
      ['2025-05', 0, 0, 1, 0, 0, 750.25, 750.25],
      ['2025-06', 0, 0, 1, 0, 0, 750.25, 750.25],
      ['2025-07', 0, 0, 0, 0, 0, 0, 0],
      ['2025-08', 0, 0, 0, 0, 0, 0, 0],
    ]);
    // Cumulative total: 1,501.00; 2,751.50; 4,002.00; 6,002.75; 6,753.00; 7,503.25 (then flat).
    // Cost per job entry: 1501/1; 2751.50/2 = 1375.75; 4002/3 = 1334; 6002.75/4 = 1500.6875 → 1500.69;
    //   6753/4 = 1688.25; 7503.25/4 = 1875.8125 → 1875.81.
    // Cost per sustained job: none until Apr; 6002.75/1; 6753/2 = 3376.50; 7503.25/3 = 2501.0833… → 2501.08.
    expect(costs(rows)).toEqual([
      ['2025-01', 1501, 1, 1501, 0, null],
      ['2025-02', 2751.5, 2, 1375.75, 0, null],
      ['2025-03', 4002, 3, 1334, 0, null],
      ['2025-04', 6002.75, 4, 1500.69, 1, 6002.75],
      ['2025-05', 6753, 4, 1688.25, 2, 3376.5],
      ['2025-06', 7503.25, 4, 1875.81, 3, 2501.08],
      ['2025-07', 7503.25, 4, 1875.81, 3, 2501.08],
      ['2025-08', 7503.25, 4, 1875.81, 3, 2501.08],
    ]);
    const [last] = await pipeline.query(
      `select cumulative_starts, cumulative_service_fees, cumulative_job_outcome_payments, cumulative_sustained_payments from payments where contract_id = 'plp-13' and period = '2025-08'`,
    );
    // 5 × 250.50 = 1,252.50; 4 × 1,000 = 4,000; 3 × 750.25 = 2,250.75 (sum 7,503.25).
    expect(last).toEqual({
      cumulative_starts: 5,
      cumulative_service_fees: 1252.5,
      cumulative_job_outcome_payments: 4000,
      cumulative_sustained_payments: 2250.75,
    });
  });

  it('pays a 26-week contract on the same participants only when jobs last 26 weeks', async () => {
    // £300 per start, £1,150 per job entry, £1,400 per job sustained 26 weeks: Jul Q-1, Aug Q-2.
    const rows = await paymentsOf('plp-26');
    expect(money(rows)).toEqual([
      ['2025-01', 2, 1, 0, 600, 1150, 0, 1750],
      ['2025-02', 1, 1, 0, 300, 1150, 0, 1450],
      ['2025-03', 1, 1, 0, 300, 1150, 0, 1450],
      ['2025-04', 1, 1, 0, 300, 1150, 0, 1450],
      ['2025-05', 0, 0, 0, 0, 0, 0, 0],
      ['2025-06', 0, 0, 0, 0, 0, 0, 0],
      ['2025-07', 0, 0, 1, 0, 0, 1400, 1400],
      ['2025-08', 0, 0, 1, 0, 0, 1400, 1400],
    ]);
    // Cumulative: 1,750; 3,200; 4,650; 6,100; 6,100; 6,100; 7,500; 8,900.
    // Per job entry: 1750, 1600, 1550, 1525, 1525, 1525, 7500/4 = 1875, 8900/4 = 2225.
    // Per sustained job: Jul 7500/1, Aug 8900/2 = 4450.
    expect(costs(rows)).toEqual([
      ['2025-01', 1750, 1, 1750, 0, null],
      ['2025-02', 3200, 2, 1600, 0, null],
      ['2025-03', 4650, 3, 1550, 0, null],
      ['2025-04', 6100, 4, 1525, 0, null],
      ['2025-05', 6100, 4, 1525, 0, null],
      ['2025-06', 6100, 4, 1525, 0, null],
      ['2025-07', 7500, 4, 1875, 1, 7500],
      ['2025-08', 8900, 4, 2225, 2, 4450],
    ]);
  });

  it('pays plp-test on its starts and job entries (26 weeks, none sustained yet)', async () => {
    // £300 per start, £1,200 per job entry. Starts: Jan P-01, P-02, P-03; Feb P-05, P-07; Mar P-06, P-08.
    // Job entries: Feb P-03; Mar P-01, P-07. Totals: Jan 900; Feb 600 + 1,200 = 1,800; Mar 600 + 2,400 = 3,000.
    // Cumulative 900, 2,700, 5,700; per job entry: null, 2700/1, 5700/3 = 1900.
    expect(costs(await paymentsOf('plp-test'))).toEqual([
      ['2025-01', 900, 0, null, 0, null],
      ['2025-02', 2700, 1, 2700, 0, null],
      ['2025-03', 5700, 3, 1900, 0, null],
    ]);
  });
});

describe('the delivery marts agree with each other and with performance', () => {
  it('funnel cohorts add up to the performance mart’s cumulative referrals, starts and job entries', async () => {
    // plp-test: 10 referrals, 7 starts, 3 job entries; plp-13/26: 6, 5, 4; vrs-test: 2 referrals.
    const rows = await pipeline.query(`
      with funnel_totals as (
          select contract_id, sum(referrals)::integer as referrals, sum(starts)::integer as starts, sum(job_entries)::integer as job_entries
          from funnel group by contract_id
      ),
      last_month as (
          select contract_id, measure_id, cumulative_actual
          from performance
          qualify period = max(period) over (partition by contract_id)
      )
      select
          f.contract_id, f.referrals, f.starts, f.job_entries,
          (select cumulative_actual from last_month l where l.contract_id = f.contract_id and measure_id = 'referrals') as perf_referrals,
          (select cumulative_actual from last_month l where l.contract_id = f.contract_id and measure_id = 'starts') as perf_starts,
          (select cumulative_actual from last_month l where l.contract_id = f.contract_id and measure_id = 'job_entries') as perf_job_entries
      from funnel_totals f order by f.contract_id`);
    expect(rows).toEqual([
      {
        contract_id: 'plp-13',
        referrals: 6,
        starts: 5,
        job_entries: 4,
        perf_referrals: 6,
        perf_starts: 5,
        perf_job_entries: 4,
      },
      {
        contract_id: 'plp-26',
        referrals: 6,
        starts: 5,
        job_entries: 4,
        perf_referrals: 6,
        perf_starts: 5,
        perf_job_entries: 4,
      },
      {
        contract_id: 'plp-test',
        referrals: 10,
        starts: 7,
        job_entries: 3,
        perf_referrals: 10,
        perf_starts: 7,
        perf_job_entries: 3,
      },
      {
        contract_id: 'vrs-test',
        referrals: 2,
        starts: 1,
        job_entries: 0,
        perf_referrals: 2,
        perf_starts: null,
        perf_job_entries: null,
      },
    ]);
  });

  it('payments count the same starts and job entries as performance, month by month, and its totals add up', async () => {
    const disagreements = await pipeline.query(`
      select pay.contract_id, pay.period, pay.starts, s.actual as perf_starts, pay.job_entries, j.actual as perf_job_entries
      from payments pay
      join performance s on s.contract_id = pay.contract_id and s.period = pay.period and s.measure_id = 'starts'
      join performance j on j.contract_id = pay.contract_id and j.period = pay.period and j.measure_id = 'job_entries'
      where pay.starts <> s.actual or pay.job_entries <> j.actual`);
    expect(disagreements).toEqual([]);
    const compared = await pipeline.query(
      `select count(*)::integer as n from payments where contract_id in ('plp-test', 'plp-13', 'plp-26')`,
    );
    expect(compared).toEqual([{ n: 3 + 8 + 8 }]);

    const sums = await pipeline.query(`
      select contract_id,
             round(sum(total_due), 2) as monthly_sum,
             max(cumulative_total_due) as cumulative,
             bool_and(abs(total_due - (service_fees + job_outcome_payments + sustained_payments)) < 0.005) as parts_add_up,
             sum(sustained_jobs)::integer as sustained_jobs
      from payments group by contract_id order by contract_id`);
    expect(sums.filter((r) => r.monthly_sum !== r.cumulative || r.parts_add_up !== true)).toEqual(
      [],
    );
    // Sustained jobs paid for equal the funnel's sustained jobs over all cohorts (3 and 2 by hand).
    const funnelSustained = await pipeline.query(
      `select contract_id, sum(sustained_jobs)::integer as sustained_jobs from funnel group by contract_id order by contract_id`,
    );
    expect(funnelSustained).toEqual(
      sums.map((r) => ({ contract_id: r.contract_id, sustained_jobs: r.sustained_jobs })),
    );
    expect(
      funnelSustained
        .filter((r) => r.contract_id === 'plp-13' || r.contract_id === 'plp-26')
        .map((r) => r.sustained_jobs),
    ).toEqual([3, 2]);
  });

  it('standards denominators add up to the participants reaching each milestone', async () => {
    // Over the whole contract: 9 first contacts (P-10 has none), 10 referrals, 4 CMP starts.
    const rows = await pipeline.query(`
      select standard_id, sum(denominator)::integer as total, max(cumulative_denominator) as cumulative
      from standards where contract_id = 'plp-test' group by standard_id order by standard_id`);
    expect(rows).toEqual([
      { standard_id: 'cmp_completion_60', total: 4, cumulative: 4 },
      { standard_id: 'first_contact_10_days', total: 9, cumulative: 9 },
      { standard_id: 'waivers_deferrals', total: 10, cumulative: 10 },
    ]);
  });
});
