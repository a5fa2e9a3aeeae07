import { beforeAll, describe, expect, it } from 'vitest';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { testReference } from '../../fixtures/reference.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participant } from '../../fixtures/returns.js';

/**
 * One contract (plp-test, term from 2024-10), three monthly returns. The newest (2025-03) is the
 * truth for everyone in it:
 *
 *   P-1 referred 2025-01-06, started 2025-01-20, job entry 2025-03-10
 *   P-2 referred 2025-01-15, started 2025-02-03
 *   P-3 referred 2025-01-28
 *   P-4 referred 2025-02-10, started 2025-02-24, job entry 2025-03-31
 *   P-6 referred 2025-02-20
 *   P-5 referred 2025-03-03
 *
 * Referrals: Jan 3, Feb 2, Mar 1 (cumulative 3, 5, 6). Starts: Jan 1, Feb 2, Mar 0.
 * Job entries: Mar 2. Referral profile: Jan 3, Feb 2, Mar 2 (cumulative 3, 5, 7), so
 * % of profile: Jan 1.0, Feb 1.0, Mar 0.5; cumulative 1.0 (green), 1.0 (green), 6/7 = 0.857
 * (amber: at least 0.85, below 0.95).
 */
const none = { first_contact_date: '', start_date: '' };
const P1 = participant({
  ...none,
  participant_id: 'P-1',
  referral_date: '2025-01-06',
  start_date: '2025-01-20',
});
const P2 = participant({ ...none, participant_id: 'P-2', referral_date: '2025-01-15' });
const P3 = participant({ ...none, participant_id: 'P-3', referral_date: '2025-01-28' });
const P4 = participant({
  ...none,
  participant_id: 'P-4',
  referral_date: '2025-02-10',
  start_date: '2025-02-24',
});
const P6 = participant({ ...none, participant_id: 'P-6', referral_date: '2025-02-20' });
const P5 = participant({ ...none, participant_id: 'P-5', referral_date: '2025-03-03' });

function reference() {
  const r = testReference();
  return parseReferenceData({
    ...r,
    profiles: [
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-01', target: 3 },
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-02', target: 2 },
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-03', target: 2 },
    ],
  });
}

let pipeline: PipelineFixture;
beforeAll(async () => {
  pipeline = await pipelineWith(reference(), [
    { contractId: 'plp-test', period: '2025-01', rows: [P1, P2, P3] },
    {
      contractId: 'plp-test',
      period: '2025-02',
      rows: [P1, { ...P2, start_date: '2025-02-03' }, P3, P4, P6],
    },
    {
      contractId: 'plp-test',
      period: '2025-03',
      rows: [
        { ...P1, job_entry_date: '2025-03-10' },
        { ...P2, start_date: '2025-02-03' },
        P3,
        { ...P4, job_entry_date: '2025-03-31' },
        P6,
        P5,
      ],
    },
  ]);
});

const rowsFor = (measure: string) =>
  pipeline.query(`select period, actual, profile, variance, pct_of_profile, cumulative_actual, cumulative_profile, cumulative_pct_of_profile, rag
                  from performance where contract_id = 'plp-test' and measure_id = '${measure}' order by period`);

describe('performance', () => {
  it('counts referrals per month against profile, monthly and cumulative, with RAG', async () => {
    const rows = await rowsFor('referrals');
    // Months from the start of the term (2024-10) to the newest return (2025-03).
    expect(rows.map((r) => r.period)).toEqual([
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    expect(rows.slice(3)).toEqual([
      {
        period: '2025-01',
        actual: 3,
        profile: 3,
        variance: 0,
        pct_of_profile: 1,
        cumulative_actual: 3,
        cumulative_profile: 3,
        cumulative_pct_of_profile: 1,
        rag: 'green',
      },
      {
        period: '2025-02',
        actual: 2,
        profile: 2,
        variance: 0,
        pct_of_profile: 1,
        cumulative_actual: 5,
        cumulative_profile: 5,
        cumulative_pct_of_profile: 1,
        rag: 'green',
      },
      {
        period: '2025-03',
        actual: 1,
        profile: 2,
        variance: -1,
        pct_of_profile: 0.5,
        cumulative_actual: 6,
        cumulative_profile: 7,
        cumulative_pct_of_profile: 6 / 7,
        rag: 'amber',
      },
    ]);
    expect(rows[0]).toMatchObject({ actual: 0, profile: null, rag: null });
  });

  it('counts starts and job entries from the newest return, including restated milestones', async () => {
    const starts = await rowsFor('starts');
    expect(starts.slice(3).map((r) => [r.period, r.actual, r.cumulative_actual])).toEqual([
      ['2025-01', 1, 1],
      ['2025-02', 2, 3],
      ['2025-03', 0, 3],
    ]);
    const jobs = await rowsFor('job_entries');
    expect(jobs.slice(3).map((r) => [r.period, r.actual, r.profile, r.rag])).toEqual([
      ['2025-01', 0, null, null],
      ['2025-02', 0, null, null],
      ['2025-03', 2, null, null],
    ]);
  });

  it('is read-only: only SELECT runs over the marts', async () => {
    await expect(
      pipeline.query(`create table copied as select * from performance`),
    ).rejects.toThrow(/Only SELECT/);
    await expect(pipeline.query(`copy performance to '/tmp/x.csv'`)).rejects.toThrow(/Only SELECT/);
    await expect(pipeline.query(`select 1; select 2`)).rejects.toThrow(/exactly one statement/);
  });
});
