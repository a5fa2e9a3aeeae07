import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { renderSql } from '../../../pipelines/transform/build.js';
import { suppressedOutcomes } from '../../../pipelines/transform/models/suppressed/suppressed_outcomes.js';
import { pipelineWith, type Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant, type RowValues } from '../../fixtures/returns.js';

/**
 * The commissioner-facing layer, through the real pipeline: one plp-test return for 2025-03
 * (term from 2024-10), 26 participants. Everyone else in the return has the same engagement,
 * benefit, condition, age band and work status, so those breakdowns have one value each.
 *
 *   sex         referred          started             job entry
 *   other       O-1..O-3 Nov,     O-1..O-3 Jan,       O-1..O-6 Mar
 *               O-4..O-10 Dec     O-4..O-9 Feb
 *   not_stated  N-1, N-2 Jan,     N-1 Feb,
 *               N-3..N-6 Feb,     N-2..N-7 Mar
 *               N-7, N-8 Mar
 *   male        M-1..M-5 Mar      M-1..M-3 Mar
 *   female      F-1..F-3 Mar      none
 *
 * Referrals by sex: female 3, male 5, not_stated 8, other 10 (all 26). Female 3 is hidden
 * ('<5'); it is the only hidden value, so the next smallest non-zero, male 5, is hidden too
 * ('[c]'): from 26 − 8 − 10 = 8 one learns only female + male.
 * Starts by sex: female 0 (shown), male 3 ('<5'), not_stated 7 (next smallest: '[c]'), other 9.
 * Job entries by sex: other 6, the rest 0: nothing hidden. The job entry rate is hidden where
 * starts are (male, not_stated); female has no starts (null anyway); other 6/9.
 *
 * Referrals by month: Oct 0, Nov 3, Dec 7, Jan 2, Feb 4, Mar 10; cumulative 0, 3, 10, 12, 16, 26.
 * Hidden months: Nov, Jan, Feb (k = 3, no second month needed). Cumulatives: Nov 3 is '<5';
 * from hidden month 1 (Nov) the cumulatives are hidden up to hidden month 3 (Feb), as k is odd
 * the last three go together: Dec '[c]', Jan '[c]'. Shown: Oct 0, Feb 16, Mar 26; 16 − 0 gives
 * Nov + Jan + Feb = 9 with Dec's 7, never one month alone (without the rule, Jan 12 − Dec 10
 * would give Jan's 2).
 * Starts by month: Jan 3, Feb 7, Mar 9. Jan is the only hidden month, so Feb (7, the next
 * smallest non-zero) is hidden too ('[c]'). Cumulative 0, 0, 0, 3, 10, 19: Jan 3 is '<5';
 * Feb 10 and Mar 19 are shown (10 = Jan + Feb, both hidden).
 */
const none = { first_contact_date: '', start_date: '' };
const person = (id: string, sex: string, referral: string, start = '', job = ''): RowValues =>
  participant({
    ...none,
    participant_id: id,
    sex,
    referral_date: referral,
    start_date: start,
    job_entry_date: job,
  });

const rows: RowValues[] = [
  ...[1, 2, 3].map((i) =>
    person(`O-${i}`, 'other', `2024-11-0${i + 3}`, `2025-01-1${i}`, `2025-03-0${i + 3}`),
  ),
  ...[4, 5, 6].map((i) =>
    person(`O-${i}`, 'other', `2024-12-0${i}`, `2025-02-1${i}`, `2025-03-1${i}`),
  ),
  ...[7, 8, 9].map((i) => person(`O-${i}`, 'other', `2024-12-0${i}`, `2025-02-1${i}`)),
  person('O-10', 'other', '2024-12-10'),
  person('N-1', 'not_stated', '2025-01-13', '2025-02-03'),
  person('N-2', 'not_stated', '2025-01-14', '2025-03-03'),
  ...[3, 4, 5, 6].map((i) => person(`N-${i}`, 'not_stated', `2025-02-0${i}`, `2025-03-1${i}`)),
  person('N-7', 'not_stated', '2025-03-05', '2025-03-20'),
  person('N-8', 'not_stated', '2025-03-06'),
  ...[1, 2, 3].map((i) => person(`M-${i}`, 'male', `2025-03-0${i}`, `2025-03-2${i}`)),
  ...[4, 5].map((i) => person(`M-${i}`, 'male', `2025-03-0${i}`)),
  ...[1, 2, 3].map((i) => person(`F-${i}`, 'female', `2025-03-1${i}`)),
];

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await pipelineWith(
    testReference(),
    [{ contractId: 'plp-test', period: '2025-03', rows }],
    '2025-04-30',
  );
});

describe('suppressed_outcomes (through the pipeline)', () => {
  it('hides 1–4, then the next smallest value of a group with only one hidden, and shows 0', async () => {
    const got = await pipeline.query(
      `select breakdown_value, referrals, referrals_display, starts, starts_display, job_entries, job_entries_display, job_entry_rate
       from suppressed_outcomes where contract_id = 'plp-test' and breakdown = 'sex' order by breakdown_value`,
    );
    expect(got).toEqual([
      {
        breakdown_value: 'female',
        referrals: null,
        referrals_display: '<5',
        starts: 0,
        starts_display: '0',
        job_entries: 0,
        job_entries_display: '0',
        job_entry_rate: null,
      },
      {
        breakdown_value: 'male',
        referrals: null,
        referrals_display: '[c]',
        starts: null,
        starts_display: '<5',
        job_entries: 0,
        job_entries_display: '0',
        job_entry_rate: null,
      },
      {
        breakdown_value: 'not_stated',
        referrals: 8,
        referrals_display: '8',
        starts: null,
        starts_display: '[c]',
        job_entries: 0,
        job_entries_display: '0',
        job_entry_rate: null,
      },
      {
        breakdown_value: 'other',
        referrals: 10,
        referrals_display: '10',
        starts: 9,
        starts_display: '9',
        job_entries: 6,
        job_entries_display: '6',
        job_entry_rate: 6 / 9,
      },
    ]);
  });

  it('shows the totals, and leaves the true figures in outcomes untouched', async () => {
    const [all] = await pipeline.query(
      `select referrals, starts, job_entries, job_entry_rate from suppressed_outcomes where breakdown = 'all'`,
    );
    expect(all).toEqual({ referrals: 26, starts: 19, job_entries: 6, job_entry_rate: 6 / 19 });
    const truth = await pipeline.query(
      `select breakdown_value, referrals, starts from outcomes where breakdown = 'sex' order by breakdown_value`,
    );
    expect(truth).toEqual([
      { breakdown_value: 'female', referrals: 3, starts: 0 },
      { breakdown_value: 'male', referrals: 5, starts: 3 },
      { breakdown_value: 'not_stated', referrals: 8, starts: 7 },
      { breakdown_value: 'other', referrals: 10, starts: 9 },
    ]);
  });
});

describe('suppressed_performance (through the pipeline)', () => {
  const series = (measure: string) =>
    pipeline.query(
      `select period, actual, actual_display, cumulative_actual, cumulative_actual_display
       from suppressed_performance where contract_id = 'plp-test' and measure_id = '${measure}' order by period`,
    );
  const m = (
    period: string,
    actual: number | null,
    actualDisplay: string,
    cumulative: number | null,
    cumulativeDisplay: string,
  ) => ({
    period,
    actual,
    actual_display: actualDisplay,
    cumulative_actual: cumulative,
    cumulative_actual_display: cumulativeDisplay,
  });

  it('hides small months, and the cumulatives that would give one of them away', async () => {
    expect(await series('referrals')).toEqual([
      m('2024-10', 0, '0', 0, '0'),
      m('2024-11', null, '<5', null, '<5'),
      m('2024-12', 7, '7', null, '[c]'),
      m('2025-01', null, '<5', null, '[c]'),
      m('2025-02', null, '<5', 16, '16'),
      m('2025-03', 10, '10', 26, '26'),
    ]);
  });

  it('hides a second month when only one month of a measure is hidden', async () => {
    expect(await series('starts')).toEqual([
      m('2024-10', 0, '0', 0, '0'),
      m('2024-11', 0, '0', 0, '0'),
      m('2024-12', 0, '0', 0, '0'),
      m('2025-01', null, '<5', null, '<5'),
      m('2025-02', null, '[c]', 10, '10'),
      m('2025-03', 9, '9', 19, '19'),
    ]);
  });

  it('hides the variance and % of profile with the actual', async () => {
    // The test reference profiles 20 referrals for 2025-01: the actual (2) is hidden, the target is not.
    const [jan] = await pipeline.query(
      `select profile, variance, pct_of_profile, cumulative_profile, cumulative_pct_of_profile, rag
       from suppressed_performance where measure_id = 'referrals' and period = '2025-01'`,
    );
    expect(jan).toEqual({
      profile: 20,
      variance: null,
      pct_of_profile: null,
      cumulative_profile: 20,
      cumulative_pct_of_profile: null,
      rag: null,
    });
    const [truth] = await pipeline.query(
      `select actual, variance from performance where measure_id = 'referrals' and period = '2025-01'`,
    );
    expect(truth).toEqual({ actual: 2, variance: -18 });
  });
});

describe('suppressed_outcomes (the model SQL over a hand-built outcomes table)', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('breaks ties by value, needs exactly one hidden value for a second, and never hides a 0', async () => {
    // Referrals only (the other counts 0):
    //   c1 age_band: 16_24 3, 25_34 5, 35_49 5, 50_59 0 → 3 '<5'; 5 and 5 tie, the first by value (25_34) '[c]'; 35_49 5; 0 shown
    //   c1 benefit:  esa 2, none 4, not_known 20         → two hidden already: no second; 20 shown
    //   c2 sex:      female 3, male 0                    → 3 '<5'; nothing non-zero left to hide; 0 shown
    await connection.run(`
      create table outcomes as
      select contract_id, 'p' as programme_id, 'acme' as provider_id, breakdown, breakdown_value,
             referrals::integer as referrals, 0::integer as starts, 0::integer as job_entries, 0::integer as sustained_jobs,
             26::integer as sustained_weeks, null::double as job_entry_rate, null::double as job_entry_rate_low,
             null::double as job_entry_rate_high, null::double as sustained_rate
      from (values
        ('c1', 'age_band', '16_24', 3), ('c1', 'age_band', '25_34', 5), ('c1', 'age_band', '35_49', 5), ('c1', 'age_band', '50_59', 0),
        ('c1', 'benefit', 'esa', 2), ('c1', 'benefit', 'none', 4), ('c1', 'benefit', 'not_known', 20),
        ('c2', 'sex', 'female', 3), ('c2', 'sex', 'male', 0)
      ) as t(contract_id, breakdown, breakdown_value, referrals)`);
    const result = await connection.runAndReadAll(
      `select contract_id, breakdown_value, referrals, referrals_display from (${renderSql(suppressedOutcomes)}) order by contract_id, breakdown, breakdown_value`,
    );
    expect(result.getRowObjectsJson()).toEqual([
      { contract_id: 'c1', breakdown_value: '16_24', referrals: null, referrals_display: '<5' },
      { contract_id: 'c1', breakdown_value: '25_34', referrals: null, referrals_display: '[c]' },
      { contract_id: 'c1', breakdown_value: '35_49', referrals: 5, referrals_display: '5' },
      { contract_id: 'c1', breakdown_value: '50_59', referrals: 0, referrals_display: '0' },
      { contract_id: 'c1', breakdown_value: 'esa', referrals: null, referrals_display: '<5' },
      { contract_id: 'c1', breakdown_value: 'none', referrals: null, referrals_display: '<5' },
      { contract_id: 'c1', breakdown_value: 'not_known', referrals: 20, referrals_display: '20' },
      { contract_id: 'c2', breakdown_value: 'female', referrals: null, referrals_display: '<5' },
      { contract_id: 'c2', breakdown_value: 'male', referrals: 0, referrals_display: '0' },
    ]);
  });
});
