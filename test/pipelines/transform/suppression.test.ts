import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { renderSql } from '../../../pipelines/transform/build.js';
import { intPerformanceBlocks } from '../../../pipelines/transform/models/suppressed/int_performance_blocks.js';
import { suppressedOutcomes } from '../../../pipelines/transform/models/suppressed/suppressed_outcomes.js';
import {
  suppressedPerformance,
  suppressedPerformanceYearly,
} from '../../../pipelines/transform/models/suppressed/suppressed_performance.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant, type RowValues } from '../../fixtures/returns.js';

/**
 * The commissioner-facing layer, through the real pipeline: one plp-test return for 2025-03
 * (term from 2024-10), 26 participants. Everyone else in the return has the same engagement,
 * benefit, condition, age band and work status, so those breakdowns have one value each.
 * Every hidden count reads "[c]" (ADR 021).
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
 * Referrals by sex: female 3, male 5, not_stated 8, other 10 (all 26). Female 3 is hidden; it is
 * the only hidden value, so the smallest other non-zero, male 5, is hidden too: from
 * 26 − 8 − 10 = 8 one learns only that female and male come to 8, each 1 to 7.
 * Starts by sex: female 0, male 3, not_stated 7, other 9. Male 3 is hidden (and would be anyway,
 * its referrals being hidden); female's 0 stays shown (nothing to give away); the smallest
 * other non-zero, not_stated 7, is hidden too. Job entries by sex: other 6, the rest 0:
 * nothing hidden. The job entry rate is hidden where starts are (male, not_stated).
 *
 * Referrals by month: Oct 0, Nov 3, Dec 7 | Jan 2, Feb 4, Mar 10. Both quarters have a month of
 * 1 to 4, so each is shown whole: 2024-Q4 10 and 2025-Q1 16, every month "[c]", and the
 * cumulatives only at the quarters' ends (Dec 10, Mar 26). Neither quarter is 1 to 4, so the
 * half year, the year and the term are not closed.
 * Starts by month: Oct 0, Nov 0, Dec 0 | Jan 3, Feb 7, Mar 9. 2024-Q4 has no small month: its
 * months are shown (0, 0, 0, cumulatives 0); 2025-Q1 is shown whole (19).
 * Job entries by month: 0 … 0, Mar 6: no month of 1 to 4, every month shown.
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

let pipeline: PipelineFixture;
beforeAll(async () => {
  pipeline = await pipelineWith(
    testReference(),
    [{ contractId: 'plp-test', period: '2025-03', rows }],
    '2025-04-30',
  );
});

describe('suppressed_outcomes (through the pipeline)', () => {
  it('hides 1–4, then the smallest other value of a group with one hidden, the starts of hidden referrals, and shows 0', async () => {
    const got = await pipeline.query(
      `select breakdown_value, referrals, referrals_display, starts, starts_display, job_entries, job_entries_display, job_entry_rate
       from suppressed_outcomes where contract_id = 'plp-test' and breakdown = 'sex' order by breakdown_value`,
    );
    expect(got).toEqual([
      {
        breakdown_value: 'female',
        referrals: null,
        referrals_display: '[c]',
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
        starts_display: '[c]',
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
  const series = (measure: string, table = 'suppressed_performance') =>
    pipeline.query(
      `select period, actual, actual_display, cumulative_actual, cumulative_actual_display
       from ${table} where contract_id = 'plp-test' and measure_id = '${measure}' order by period`,
    );
  const m = (period: string, actual: number | null, cumulative: number | null) => ({
    period,
    actual,
    actual_display: actual === null ? '[c]' : String(actual),
    cumulative_actual: cumulative,
    cumulative_actual_display: cumulative === null ? '[c]' : String(cumulative),
  });

  it('shows a quarter with a month of 1 to 4 whole: its months hidden, its cumulative at its end', async () => {
    expect(await series('referrals')).toEqual([
      m('2024-10', null, null),
      m('2024-11', null, null),
      m('2024-12', null, 10),
      m('2025-01', null, null),
      m('2025-02', null, null),
      m('2025-03', null, 26),
    ]);
    expect(
      await pipeline.query(
        `select distinct combined_from, combined_to, combined_actual, combined_actual_display
         from suppressed_performance where measure_id = 'referrals' order by combined_from`,
      ),
    ).toEqual([
      {
        combined_from: '2024-10',
        combined_to: '2024-12',
        combined_actual: 10,
        combined_actual_display: '10',
      },
      {
        combined_from: '2025-01',
        combined_to: '2025-03',
        combined_actual: 16,
        combined_actual_display: '16',
      },
    ]);
  });

  it('shows the months of a quarter with none of 1 to 4, zeros included', async () => {
    expect(await series('starts')).toEqual([
      m('2024-10', 0, 0),
      m('2024-11', 0, 0),
      m('2024-12', 0, 0),
      m('2025-01', null, null),
      m('2025-02', null, null),
      m('2025-03', null, 19),
    ]);
    expect(await series('job_entries')).toEqual([
      m('2024-10', 0, 0),
      m('2024-11', 0, 0),
      m('2024-12', 0, 0),
      m('2025-01', 0, 0),
      m('2025-02', 0, 0),
      m('2025-03', 6, 6),
    ]);
  });

  it('gives the same figures by quarter and by financial year', async () => {
    expect(await series('referrals', 'suppressed_performance_quarterly')).toEqual([
      m('2024-Q4', 10, 10),
      m('2025-Q1', 16, 26),
    ]);
    expect(await series('starts', 'suppressed_performance_quarterly')).toEqual([
      m('2024-Q4', 0, 0),
      m('2025-Q1', 19, 19),
    ]);
    expect(
      await pipeline.query(
        `select period, period_from, period_to, months, actual, cumulative_actual, profile
         from suppressed_performance_yearly where measure_id = 'referrals'`,
      ),
    ).toEqual([
      {
        period: '2024-25',
        period_from: '2024-10',
        period_to: '2025-03',
        months: 6,
        actual: 26,
        cumulative_actual: 26,
        profile: 20,
      },
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
    // At the quarter's end the cumulative is shown, and with it its share of profile.
    const [march] = await pipeline.query(
      `select cumulative_actual, cumulative_profile, cumulative_pct_of_profile, rag
       from suppressed_performance where measure_id = 'referrals' and period = '2025-03'`,
    );
    expect(march).toEqual({
      cumulative_actual: 26,
      cumulative_profile: 20,
      cumulative_pct_of_profile: 1.3,
      rag: 'green',
    });
  });
});

describe('the blocks of months (the model SQL over hand-built performance tables)', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  /** Builds the suppressed tables over one measure's months from `first`, and reads them back. */
  async function suppress(first: string, actuals: readonly number[]) {
    const [y, mo] = first.split('-').map(Number) as [number, number];
    const period = (i: number) => {
      const n = y * 12 + mo - 1 + i;
      return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
    };
    let cumulative = 0;
    const rows = actuals.map((a, i) => {
      cumulative += a;
      return `('c1', 'p', 'acme', 'm', 'M', 1, '${period(i)}', ${a}, null, null, null, ${cumulative}, null, null, null)`;
    });
    await connection.run(`create or replace table performance as
      select contract_id, programme_id, provider_id, measure_id, measure_label, measure_order::integer as measure_order, period,
             actual::integer as actual, profile::integer as profile, variance::integer as variance, pct_of_profile::double as pct_of_profile,
             cumulative_actual::integer as cumulative_actual, cumulative_profile::integer as cumulative_profile,
             cumulative_pct_of_profile::double as cumulative_pct_of_profile, rag::varchar as rag
      from (values ${rows.join(', ')}) as t(contract_id, programme_id, provider_id, measure_id, measure_label, measure_order, period,
        actual, profile, variance, pct_of_profile, cumulative_actual, cumulative_profile, cumulative_pct_of_profile, rag)`);
    for (const model of [intPerformanceBlocks, suppressedPerformance, suppressedPerformanceYearly])
      await connection.run(`create or replace table ${model.name} as ${renderSql(model)}`);
    const read = async (sql: string) =>
      (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    return {
      actual: (await read(`select actual_display from suppressed_performance order by period`)).map(
        (r) => r.actual_display,
      ),
      cumulative: (
        await read(`select cumulative_actual_display from suppressed_performance order by period`)
      ).map((r) => r.cumulative_actual_display),
      combined: await read(
        `select distinct combined_from, combined_to, combined_actual_display from suppressed_performance order by 1`,
      ),
      years: (
        await read(`select period, actual_display from suppressed_performance_yearly order by 1`)
      ).map((r) => `${String(r.period)} ${String(r.actual_display)}`),
    };
  }
  const c = '[c]';

  it('shows the months of a quarter with none of 1 to 4, and the other quarters whole', async () => {
    // Apr–Jun 8, 3, 9: 3 is 1 to 4, so the quarter (20) is shown whole; Jul–Sep 7, 6, 8 month by month.
    const got = await suppress('2023-04', [8, 3, 9, 7, 6, 8]);
    expect(got.actual).toEqual([c, c, c, '7', '6', '8']);
    expect(got.cumulative).toEqual([c, c, '20', '27', '33', '41']);
    expect(got.combined[0]).toEqual({
      combined_from: '2023-04',
      combined_to: '2023-06',
      combined_actual_display: '20',
    });
  });

  it('shows a half year whole when a quarter in it comes to 1 to 4', async () => {
    // Apr–Jun 0, 1, 0 come to 1: shown alone it would give the 1 away (and the cumulatives
    // around it would), so the half year April to September (1 + 18 = 19) is shown whole;
    // October to March, with nothing small, month by month.
    const got = await suppress('2023-04', [0, 1, 0, 6, 7, 5, 5, 6, 7, 8, 9, 5]);
    expect(got.actual).toEqual([c, c, c, c, c, c, '5', '6', '7', '8', '9', '5']);
    expect(got.cumulative).toEqual([c, c, c, c, c, '19', '24', '30', '37', '45', '54', '59']);
    expect(got.years).toEqual(['2023-24 59']);
  });

  it('shows a small first year with the second, not the whole term', async () => {
    // 2023-24 comes to 2 (a service starting up), so the first two years (2 + 8) are shown as
    // one; 2025-26, six a month, month by month.
    const first = [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0];
    const second = [1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1];
    const third = Array.from({ length: 12 }, () => 6);
    const got = await suppress('2023-04', [...first, ...second, ...third]);
    expect(got.actual).toEqual([...Array.from({ length: 24 }, () => c), ...third.map(String)]);
    expect(got.cumulative.slice(22, 25)).toEqual([c, '10', '16']);
    expect(got.combined[0]).toEqual({
      combined_from: '2023-04',
      combined_to: '2025-03',
      combined_actual_display: '10',
    });
    expect(got.years).toEqual(['2023-24 [c]', '2024-25 [c]', '2025-26 72']);
  });

  it('hides everything, the total too, when the whole term comes to 1 to 4', async () => {
    const got = await suppress('2023-04', [1, 0, 2]);
    expect(got.actual).toEqual([c, c, c]);
    expect(got.cumulative).toEqual([c, c, c]);
    expect(got.combined).toEqual([
      { combined_from: '2023-04', combined_to: '2023-06', combined_actual_display: c },
    ]);
  });

  it('shows an unfinished quarter whole, from its first month to the newest', async () => {
    // Jan–Feb 2025 (the newest month is February): 9 and 2 are shown as 11 for the two months.
    const got = await suppress('2024-10', [6, 7, 8, 9, 2]);
    expect(got.actual).toEqual(['6', '7', '8', c, c]);
    expect(got.cumulative).toEqual(['6', '13', '21', c, '32']);
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

  const build = async (
    values: readonly (readonly [string, string, string, number, number])[],
  ): Promise<Record<string, unknown>[]> => {
    await connection.run(`
      create or replace table outcomes as
      select contract_id, 'p' as programme_id, 'acme' as provider_id, breakdown, breakdown_value,
             referrals::integer as referrals, starts::integer as starts, 0::integer as job_entries, 0::integer as sustained_jobs,
             0::integer as job_entries_due_to_sustain, 26::integer as sustained_weeks, null::double as job_entry_rate,
             null::double as job_entry_rate_low, null::double as job_entry_rate_high, null::double as sustained_rate
      from (values ${values.map((v) => `('${v[0]}', '${v[1]}', '${v[2]}', ${v[3]}, ${v[4]})`).join(', ')})
        as t(contract_id, breakdown, breakdown_value, referrals, starts)`);
    const result = await connection.runAndReadAll(
      `select contract_id, breakdown_value, referrals_display, starts_display from (${renderSql(suppressedOutcomes)}) order by contract_id, breakdown, breakdown_value`,
    );
    return result.getRowObjectsJson();
  };
  const row = (contract: string, value: string, referrals: string, starts = '0') => ({
    contract_id: contract,
    breakdown_value: value,
    referrals_display: referrals,
    starts_display: starts,
  });

  it('hides 1–4 and the smallest other value (ties by value), never a 0, and no second where two are hidden', async () => {
    // Referrals only:
    //   c1 age_band: 16_24 3, 25_34 5, 35_49 5, 50_59 0 → 3 hidden; 5 and 5 tie, the first by value (25_34) hidden too; 0 shown
    //   c1 benefit:  esa 2, none 4, not_known 20         → two hidden already, together 6: no other; 20 shown
    //   c2 sex:      female 3, male 0                    → 3 hidden; nothing non-zero left to hide; 0 shown
    expect(
      await build([
        ['c1', 'age_band', '16_24', 3, 0],
        ['c1', 'age_band', '25_34', 5, 0],
        ['c1', 'age_band', '35_49', 5, 0],
        ['c1', 'age_band', '50_59', 0, 0],
        ['c1', 'benefit', 'esa', 2, 0],
        ['c1', 'benefit', 'none', 4, 0],
        ['c1', 'benefit', 'not_known', 20, 0],
        ['c2', 'sex', 'female', 3, 0],
        ['c2', 'sex', 'male', 0, 0],
      ]),
    ).toEqual([
      row('c1', '16_24', '[c]'),
      row('c1', '25_34', '[c]'),
      row('c1', '35_49', '5'),
      row('c1', '50_59', '0'),
      row('c1', 'esa', '[c]'),
      row('c1', 'none', '[c]'),
      row('c1', 'not_known', '20'),
      row('c2', 'female', '[c]'),
      row('c2', 'male', '0'),
    ]);
  });

  it('hides one more value when the hidden ones come to less than 5 together', async () => {
    // 1 and 2 are hidden, but the total less the values shown would say they come to 3: 9 is
    // hidden too, so the three come to 12 and no count of 1 to 4 can be worked out.
    expect(
      await build([
        ['c1', 'sex', 'female', 1, 0],
        ['c1', 'sex', 'male', 2, 0],
        ['c1', 'sex', 'not_stated', 9, 0],
        ['c1', 'sex', 'other', 20, 0],
      ]),
    ).toEqual([
      row('c1', 'female', '[c]'),
      row('c1', 'male', '[c]'),
      row('c1', 'not_stated', '[c]'),
      row('c1', 'other', '20'),
    ]);
  });

  it('hides the starts of hidden referrals, and protects them in turn', async () => {
    // Referrals: female 1, male 6, other 30 → female hidden, male (the smallest other) too.
    // Starts: female 0, male 6 (everyone started), other 20. Shown, male's 6 starts would say
    // male's hidden referrals are at least 6, and with female's at least 1, that they are
    // exactly 6 and 1. So male's starts are hidden with his referrals, and other's 20 (the
    // only other non-zero) to protect them.
    expect(
      await build([
        ['c1', 'sex', 'female', 1, 0],
        ['c1', 'sex', 'male', 6, 6],
        ['c1', 'sex', 'other', 30, 20],
      ]),
    ).toEqual([
      row('c1', 'female', '[c]', '0'),
      row('c1', 'male', '[c]', '[c]'),
      row('c1', 'other', '30', '[c]'),
    ]);
  });
});
