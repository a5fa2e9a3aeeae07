import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentCodes } from '../../../pipelines/returns/fields.js';
import { instrumentDirections } from '../../../pipelines/transform/models/marts/distance_travelled.js';
import { testReference } from '../../fixtures/reference.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participant, type RowValues } from '../../fixtures/returns.js';

/**
 * One return for plp-test (sustained_weeks 26, area "Test District") for 2026-06, and one for
 * vrs-test (sustained_weeks 13, same area). Everyone is referred 2025-01-06; "start" is a start
 * date of 2025-01-20; dep = deprivation decile; blank cells are written "—".
 *
 *   id    sex         dep  source          status@ref  start  job         s13         s26         exit (status)             follow-up (status)   instrument  baseline → exit
 *   P-01  female      3    jobcentre_plus  unemployed  yes    2025-03-03  2025-06-02  2025-09-01  2025-03-03 (at_work)      2025-09-15 (at_work) hads_anxiety 15 → 9
 *   P-02  female      3    gp              off_sick    yes    2025-04-01  2025-07-01  —           2025-04-01 (at_work)      2025-10-01 (unemployed) hads_anxiety 12 → 12
 *   P-03  male        —    gp              off_sick    yes    —           —           —           2025-05-01 (off_sick)     —                    hads_anxiety 10 → 13
 *   P-04  male        7    jobcentre_plus  unemployed  yes    2025-05-01  —           2025-10-30  2025-05-01 (at_work)      —                    eq5d_vas 40 → 65
 *   P-05  female      —    —               unemployed  yes    —           —           —           2025-06-02 (unemployed)   —                    eq5d_vas 60 → 55
 *   P-06  male        3    self            off_sick    no     —           —           —           2025-02-03 (— not given)  —                    eq5d_vas 70 → —
 *   P-07  female      7    jobcentre_plus  unemployed  yes    2025-06-02  —           —           —                         —                    eq5d_vas 50 → 80
 *   P-08  not_stated  —    —               off_sick    yes    —           —           —           2025-07-01 (retired)      2026-01-05 (— not given) —
 *   P-09  male        10   employer        at_work     no     2025-03-03  —           —           —                         —                    —
 *   P-10  female      3    jobcentre_plus  off_sick    yes    2025-02-03  2025-05-05  2025-08-04  2025-02-03 (at_work)      2025-08-04 (at_work) hads_anxiety 18 → 11
 *
 * vrs-test (13 weeks): V-01 started, job 2025-03-03, s13 2025-06-02; V-02 started, job 2025-04-01, no s13.
 */
const blankStart = { first_contact_date: '', start_date: '' };
const started = { first_contact_date: '2025-01-08', start_date: '2025-01-20' };
const exitWith = (date: string, reason: string, status: string): RowValues => ({
  exit_date: date,
  exit_reason: reason,
  work_status_at_exit: status,
});
const scores = (instrument: string, baseline: string, exit: string): RowValues => ({
  outcome_instrument: instrument,
  baseline_score: baseline,
  exit_score: exit,
});

const plpRows: RowValues[] = [
  participant({
    participant_id: 'P-01',
    sex: 'female',
    deprivation_decile: '3',
    referral_source: 'jobcentre_plus',
    work_status_at_referral: 'unemployed',
    ...started,
    job_entry_date: '2025-03-03',
    sustained_13_weeks_date: '2025-06-02',
    sustained_26_weeks_date: '2025-09-01',
    ...exitWith('2025-03-03', 'entered_work', 'at_work'),
    follow_up_date: '2025-09-15',
    work_status_at_follow_up: 'at_work',
    ...scores('hads_anxiety', '15', '9'),
  }),
  participant({
    participant_id: 'P-02',
    sex: 'female',
    deprivation_decile: '3',
    referral_source: 'gp',
    work_status_at_referral: 'off_sick',
    ...started,
    job_entry_date: '2025-04-01',
    sustained_13_weeks_date: '2025-07-01',
    ...exitWith('2025-04-01', 'entered_work', 'at_work'),
    follow_up_date: '2025-10-01',
    work_status_at_follow_up: 'unemployed',
    ...scores('hads_anxiety', '12', '12'),
  }),
  participant({
    participant_id: 'P-03',
    sex: 'male',
    referral_source: 'gp',
    work_status_at_referral: 'off_sick',
    ...started,
    ...exitWith('2025-05-01', 'withdrew', 'off_sick'),
    ...scores('hads_anxiety', '10', '13'),
  }),
  participant({
    participant_id: 'P-04',
    sex: 'male',
    deprivation_decile: '7',
    referral_source: 'jobcentre_plus',
    work_status_at_referral: 'unemployed',
    ...started,
    job_entry_date: '2025-05-01',
    sustained_26_weeks_date: '2025-10-30',
    ...exitWith('2025-05-01', 'entered_work', 'at_work'),
    ...scores('eq5d_vas', '40', '65'),
  }),
  participant({
    participant_id: 'P-05',
    sex: 'female',
    work_status_at_referral: 'unemployed',
    ...started,
    ...exitWith('2025-06-02', 'completed', 'unemployed'),
    ...scores('eq5d_vas', '60', '55'),
  }),
  participant({
    participant_id: 'P-06',
    sex: 'male',
    deprivation_decile: '3',
    referral_source: 'self',
    work_status_at_referral: 'off_sick',
    ...blankStart,
    exit_date: '2025-02-03',
    exit_reason: 'withdrew',
    outcome_instrument: 'eq5d_vas',
    baseline_score: '70',
  }),
  participant({
    participant_id: 'P-07',
    sex: 'female',
    deprivation_decile: '7',
    referral_source: 'jobcentre_plus',
    work_status_at_referral: 'unemployed',
    ...started,
    job_entry_date: '2025-06-02',
    ...scores('eq5d_vas', '50', '80'),
  }),
  participant({
    participant_id: 'P-08',
    sex: 'not_stated',
    work_status_at_referral: 'off_sick',
    ...started,
    ...exitWith('2025-07-01', 'ill_health', 'retired'),
    follow_up_date: '2026-01-05',
  }),
  participant({
    participant_id: 'P-09',
    sex: 'male',
    deprivation_decile: '10',
    referral_source: 'employer',
    work_status_at_referral: 'at_work',
    ...blankStart,
    job_entry_date: '2025-03-03',
  }),
  participant({
    participant_id: 'P-10',
    sex: 'female',
    deprivation_decile: '3',
    referral_source: 'jobcentre_plus',
    work_status_at_referral: 'off_sick',
    ...started,
    job_entry_date: '2025-02-03',
    sustained_13_weeks_date: '2025-05-05',
    sustained_26_weeks_date: '2025-08-04',
    ...exitWith('2025-02-03', 'entered_work', 'at_work'),
    follow_up_date: '2025-08-04',
    work_status_at_follow_up: 'at_work',
    ...scores('hads_anxiety', '18', '11'),
  }),
];

const vrsRows: RowValues[] = [
  participant({
    participant_id: 'V-01',
    ...started,
    job_entry_date: '2025-03-03',
    sustained_13_weeks_date: '2025-06-02',
  }),
  participant({ participant_id: 'V-02', ...started, job_entry_date: '2025-04-01' }),
];

let pipeline: PipelineFixture;
beforeAll(async () => {
  pipeline = await pipelineWith(
    testReference(),
    [
      { contractId: 'plp-test', period: '2026-06', rows: plpRows },
      { contractId: 'vrs-test', period: '2026-06', rows: vrsRows },
    ],
    '2026-07-31',
  );
});

const counts = 'breakdown_value, referrals, starts, job_entries, sustained_jobs';
const breakdownRows = (contract: string, breakdown: string) =>
  pipeline.query(
    `select ${counts} from outcomes where contract_id = '${contract}' and breakdown = '${breakdown}' order by breakdown_value`,
  );

describe('outcomes', () => {
  it('gives the contract total on the all row, with both rates beside their counts', async () => {
    // Referrals: all 10. Starts: everyone but P-06 and P-09 = 8.
    // Job entries among starters: P-01, P-02, P-04, P-07, P-10 = 5 (P-09 has a job entry date but
    // never started, so is not in the job entry rate's numerator: it must be a share of starts).
    // Sustained at 26 weeks (plp-test): P-01, P-04, P-10 = 3 (P-02 sustained only 13 weeks).
    // job_entry_rate 5/8 = 0.625; sustained_rate 3/5 = 0.6.
    const rows = await pipeline.query(
      `select contract_id, programme_id, provider_id, breakdown, ${counts}, sustained_weeks, job_entry_rate, sustained_rate
       from outcomes where contract_id = 'plp-test' and breakdown = 'all'`,
    );
    expect(rows).toEqual([
      {
        contract_id: 'plp-test',
        programme_id: 'plp',
        provider_id: 'acme',
        breakdown: 'all',
        breakdown_value: 'all',
        referrals: 10,
        starts: 8,
        job_entries: 5,
        sustained_jobs: 3,
        sustained_weeks: 26,
        job_entry_rate: 0.625,
        sustained_rate: 0.6,
      },
    ]);
  });

  it('gives a 95% Wilson score interval for the job entry rate', async () => {
    // x = 5 job entries of n = 8 starts, p = 0.625, z = 1.959964, z² = 3.841459.
    //   centre     = (p + z²/2n) / (1 + z²/n) = (0.625 + 0.240091) / 1.480182 = 0.584449
    //   half width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)
    //              = 1.324137 · √(0.029297 + 0.015006) = 1.324137 · 0.210482 = 0.278707
    //   low = 0.584449 − 0.278707 = 0.305742;  high = 0.584449 + 0.278707 = 0.863156
    const [all] = await pipeline.query(
      `select job_entry_rate_low, job_entry_rate_high from outcomes where contract_id = 'plp-test' and breakdown = 'all'`,
    );
    expect(all!.job_entry_rate_low as number).toBeCloseTo(0.305742, 5);
    expect(all!.job_entry_rate_high as number).toBeCloseTo(0.863156, 5);
    // With no starts there is no rate and no interval: P-09 (decile 10) never started.
    const [decile10] = await pipeline.query(
      `select starts, job_entry_rate, job_entry_rate_low, job_entry_rate_high from outcomes where contract_id = 'plp-test' and breakdown = 'deprivation_decile' and breakdown_value = '10'`,
    );
    expect(decile10).toEqual({
      starts: 0,
      job_entry_rate: null,
      job_entry_rate_low: null,
      job_entry_rate_high: null,
    });
  });

  it('breaks the counts down by sex', async () => {
    // female: P-01, P-02, P-05, P-07, P-10 → 5 referred, 5 started, jobs P-01, P-02, P-07, P-10 = 4, sustained P-01, P-10 = 2
    // male: P-03, P-04, P-06, P-09 → 4 referred, started P-03, P-04 = 2, job P-04 = 1 (P-09 never started), sustained P-04 = 1
    // not_stated: P-08 → 1, 1, 0, 0
    expect(await breakdownRows('plp-test', 'sex')).toEqual([
      { breakdown_value: 'female', referrals: 5, starts: 5, job_entries: 4, sustained_jobs: 2 },
      { breakdown_value: 'male', referrals: 4, starts: 2, job_entries: 1, sustained_jobs: 1 },
      { breakdown_value: 'not_stated', referrals: 1, starts: 1, job_entries: 0, sustained_jobs: 0 },
    ]);
  });

  it('groups blank values as not_recorded and gives integer codes as text', async () => {
    // decile 3: P-01, P-02, P-06, P-10 → 4 referred, 3 started (not P-06), 3 jobs, sustained P-01, P-10 = 2
    // decile 7: P-04, P-07 → 2, 2, 2, sustained P-04 = 1
    // decile 10: P-09 → 1, 0, 0, 0
    // blank: P-03, P-05, P-08 → 3 referred, 3 started, no jobs
    // (text order: '10' < '3' < '7' < 'not_recorded')
    expect(await breakdownRows('plp-test', 'deprivation_decile')).toEqual([
      { breakdown_value: '10', referrals: 1, starts: 0, job_entries: 0, sustained_jobs: 0 },
      { breakdown_value: '3', referrals: 4, starts: 3, job_entries: 3, sustained_jobs: 2 },
      { breakdown_value: '7', referrals: 2, starts: 2, job_entries: 2, sustained_jobs: 1 },
      {
        breakdown_value: 'not_recorded',
        referrals: 3,
        starts: 3,
        job_entries: 0,
        sustained_jobs: 0,
      },
    ]);
    // Referral source blank for P-05 and P-08 (both started, neither entered work).
    const sources = await breakdownRows('plp-test', 'referral_source');
    expect(sources.find((r) => r.breakdown_value === 'not_recorded')).toEqual({
      breakdown_value: 'not_recorded',
      referrals: 2,
      starts: 2,
      job_entries: 0,
      sustained_jobs: 0,
    });
    // Nobody has a claimant group: one not_recorded group holding everyone.
    expect(await breakdownRows('plp-test', 'claimant_group')).toEqual([
      {
        breakdown_value: 'not_recorded',
        referrals: 10,
        starts: 8,
        job_entries: 5,
        sustained_jobs: 3,
      },
    ]);
  });

  it('breaks down by area and by every breakdown field of the return', async () => {
    expect(await breakdownRows('plp-test', 'area')).toEqual([
      {
        breakdown_value: 'Test District',
        referrals: 10,
        starts: 8,
        job_entries: 5,
        sustained_jobs: 3,
      },
    ]);
    const breakdowns = await pipeline.query(
      `select distinct breakdown from outcomes where contract_id = 'plp-test' order by breakdown`,
    );
    expect(breakdowns.map((r) => r.breakdown)).toEqual([
      'age_band',
      'all',
      'area',
      'benefit',
      'claimant_group',
      'delivery_partner',
      'deprivation_decile',
      'engagement',
      'primary_condition_group',
      'referral_source',
      'sex',
      'support_tier',
      'work_status_at_referral',
    ]);
  });

  it('counts sustained jobs at the contract’s sustained weeks', async () => {
    // vrs-test sustains at 13 weeks: V-01 has a 13-week date, V-02 not: 1 of 2 job entries.
    const rows = await pipeline.query(
      `select starts, job_entries, sustained_jobs, sustained_weeks, sustained_rate from outcomes where contract_id = 'vrs-test' and breakdown = 'all'`,
    );
    expect(rows).toEqual([
      { starts: 2, job_entries: 2, sustained_jobs: 1, sustained_weeks: 13, sustained_rate: 0.5 },
    ]);
  });
});

describe('outcome_transitions', () => {
  it('counts work-status moves from referral to exit, as shares of each status at referral', async () => {
    // Reached exit with a status: P-01, P-02, P-03, P-04, P-05, P-08, P-10 (P-06 left with no status given).
    // from off_sick: P-02 → at_work, P-03 → off_sick, P-08 → retired, P-10 → at_work: 4 → at_work 2/4, off_sick 1/4, retired 1/4
    // from unemployed: P-01 → at_work, P-04 → at_work, P-05 → unemployed: 3 → at_work 2/3, unemployed 1/3
    const rows = await pipeline.query(
      `select from_status, to_status, participants, from_status_participants, share from outcome_transitions
       where contract_id = 'plp-test' and stage = 'exit' order by from_status, to_status`,
    );
    expect(rows).toEqual([
      {
        from_status: 'off_sick',
        to_status: 'at_work',
        participants: 2,
        from_status_participants: 4,
        share: 0.5,
      },
      {
        from_status: 'off_sick',
        to_status: 'off_sick',
        participants: 1,
        from_status_participants: 4,
        share: 0.25,
      },
      {
        from_status: 'off_sick',
        to_status: 'retired',
        participants: 1,
        from_status_participants: 4,
        share: 0.25,
      },
      {
        from_status: 'unemployed',
        to_status: 'at_work',
        participants: 2,
        from_status_participants: 3,
        share: 2 / 3,
      },
      {
        from_status: 'unemployed',
        to_status: 'unemployed',
        participants: 1,
        from_status_participants: 3,
        share: 1 / 3,
      },
    ]);
  });

  it('counts work-status moves from referral to follow-up, only for those followed up with a status', async () => {
    // Followed up with a status: P-01 (unemployed → at_work), P-02 (off_sick → unemployed), P-10 (off_sick → at_work).
    // P-08 has a follow-up date but no status: left out.
    const rows = await pipeline.query(
      `select from_status, to_status, participants, from_status_participants, share from outcome_transitions
       where contract_id = 'plp-test' and stage = 'follow_up' order by from_status, to_status`,
    );
    expect(rows).toEqual([
      {
        from_status: 'off_sick',
        to_status: 'at_work',
        participants: 1,
        from_status_participants: 2,
        share: 0.5,
      },
      {
        from_status: 'off_sick',
        to_status: 'unemployed',
        participants: 1,
        from_status_participants: 2,
        share: 0.5,
      },
      {
        from_status: 'unemployed',
        to_status: 'at_work',
        participants: 1,
        from_status_participants: 1,
        share: 1,
      },
    ]);
  });

  it('has no rows for a contract whose participants have not left', async () => {
    expect(
      await pipeline.query(`select * from outcome_transitions where contract_id = 'vrs-test'`),
    ).toEqual([]);
  });
});

describe('distance_travelled', () => {
  it('averages scores and counts improvements in each instrument’s better direction', async () => {
    // hads_anxiety (lower is better): P-01 15→9 (−6, improved), P-02 12→12 (0, not improved),
    //   P-03 10→13 (+3, worse), P-10 18→11 (−7, improved). n = 4; mean baseline 55/4 = 13.75;
    //   mean exit 45/4 = 11.25; mean change −10/4 = −2.5; improved 2, share 2/4 = 0.5.
    // eq5d_vas (higher is better): P-04 40→65 (+25, improved), P-05 60→55 (−5, worse),
    //   P-07 50→80 (+30, improved); P-06 has no exit score: left out. n = 3; mean baseline
    //   150/3 = 50; mean exit 200/3; mean change 50/3; improved 2, share 2/3.
    const rows = await pipeline.query(
      `select outcome_instrument, direction, participants, mean_baseline_score, mean_exit_score, mean_change, improved, improved_share
       from distance_travelled where contract_id = 'plp-test' order by outcome_instrument`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      outcome_instrument: 'eq5d_vas',
      direction: 'higher_is_better',
      participants: 3,
      mean_baseline_score: 50,
      mean_exit_score: expect.closeTo(200 / 3, 9),
      mean_change: expect.closeTo(50 / 3, 9),
      improved: 2,
      improved_share: expect.closeTo(2 / 3, 12),
    });
    expect(rows[1]).toEqual({
      outcome_instrument: 'hads_anxiety',
      direction: 'lower_is_better',
      participants: 4,
      mean_baseline_score: 13.75,
      mean_exit_score: 11.25,
      mean_change: -2.5,
      improved: 2,
      improved_share: 0.5,
    });
  });

  it('declares a direction that agrees with each instrument label that states one', () => {
    for (const { code, label } of instrumentCodes) {
      if (label.includes('lower is better'))
        expect(instrumentDirections[code]).toBe('lower_is_better');
      if (label.includes('higher is better'))
        expect(instrumentDirections[code]).toBe('higher_is_better');
    }
    expect(instrumentDirections.provider_questionnaire).toBe('higher_is_better');
  });
});

describe('the sustained rate counts only job entries old enough to have sustained', () => {
  it('leaves out a job entry too recent to have lasted 26 weeks by the end of the return’s month', async () => {
    // plp-test pays at 26 weeks (182 days). Newest return: 2025-12, ending 2025-12-31.
    //   S-1 job entry 2025-03-03, sustained 2025-09-01: due (2025-09-01 ≤ 2025-12-31), sustained
    //   S-2 job entry 2025-05-01, not sustained: due (2025-10-30 ≤ 2025-12-31), a failure
    //   S-3 job entry 2025-11-03, not sustained: not due until 2026-05-04
    // job_entries 3, due 2, sustained 1: rate 1/2, not 1/3.
    const base = { first_contact_date: '', referral_date: '2025-01-06', start_date: '2025-01-20' };
    const { pipelineWith: build } = await import('../../fixtures/pipeline.js');
    const { testReference: ref } = await import('../../fixtures/reference.js');
    const { participant: person } = await import('../../fixtures/returns.js');
    const p = await build(
      ref(),
      [
        {
          contractId: 'plp-test',
          period: '2025-12',
          rows: [
            person({
              ...base,
              participant_id: 'S-1',
              job_entry_date: '2025-03-03',
              sustained_13_weeks_date: '2025-06-02',
              sustained_26_weeks_date: '2025-09-01',
            }),
            person({ ...base, participant_id: 'S-2', job_entry_date: '2025-05-01' }),
            person({ ...base, participant_id: 'S-3', job_entry_date: '2025-11-03' }),
          ],
        },
      ],
      '2026-02-01',
    );
    const [all] = await p.query(
      `select job_entries, sustained_jobs, job_entries_due_to_sustain, sustained_rate from outcomes where breakdown = 'all'`,
    );
    expect(all).toEqual({
      job_entries: 3,
      sustained_jobs: 1,
      job_entries_due_to_sustain: 2,
      sustained_rate: 0.5,
    });
  });
});
