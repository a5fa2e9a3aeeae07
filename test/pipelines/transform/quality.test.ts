import { beforeAll, describe, expect, it } from 'vitest';
import { ingestReturn } from '../../../pipelines/ingest/ingest.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import {
  aggregateHeader,
  bytesOf,
  csvOf,
  participant,
  type RowValues,
} from '../../fixtures/returns.js';

/**
 * Returns status, provider timeliness, restatements and data quality, as at 2025-06-10.
 *
 * Deadlines: the 10th working day of the next month, skipping weekends and England & Wales
 * bank holidays (counting working days 1, 2, …):
 *
 *   2024-10 → Nov 2024: Fri 1, Mon 4, 5, 6, 7, Fri 8, Mon 11, 12, 13, Thu 14       → 2024-11-14
 *   2024-11 → Dec 2024: Mon 2, 3, 4, 5, Fri 6, Mon 9, 10, 11, 12, Fri 13           → 2024-12-13
 *   2024-12 → Jan 2025: Wed 1 is a bank holiday; Thu 2, Fri 3, Mon 6, 7, 8, 9,
 *                       Fri 10, Mon 13, 14, Wed 15                                  → 2025-01-15
 *   2025-01 → Feb 2025: Mon 3, 4, 5, 6, Fri 7, Mon 10, 11, 12, 13, Fri 14          → 2025-02-14
 *   2025-02 → Mar 2025: Mon 3, 4, 5, 6, Fri 7, Mon 10, 11, 12, 13, Fri 14          → 2025-03-14
 *   2025-03 → Apr 2025: Tue 1, 2, 3, Fri 4, Mon 7, 8, 9, 10, Fri 11, Mon 14        → 2025-04-14
 *   2025-04 → May 2025: Thu 1, Fri 2, Mon 5 is a bank holiday; Tue 6, 7, 8, Fri 9,
 *                       Mon 12, 13, 14, Thu 15                                      → 2025-05-15
 *   2025-05 → Jun 2025: Mon 2, 3, 4, 5, Fri 6, Mon 9, 10, 11, 12, Fri 13           → 2025-06-13
 *
 * Contract plp-test (provider acme, programme plp, term from 2024-10):
 *
 *   2024-10  sent 2024-11-05                                    accepted_on_time
 *   2024-11  sent 2024-12-05                                    accepted_on_time
 *   2024-12  nothing                                            missing, 146 days overdue
 *            (2025-01-15 → 2025-06-10: 16 + 28 + 31 + 30 + 31 + 10)
 *   2025-01  sent 2025-02-05 and rejected (a blank engagement)  rejected, 116 days overdue
 *            (2025-02-14 → 2025-06-10: 14 + 31 + 30 + 31 + 10)
 *   2025-02  sent 2025-03-20 10:00 UTC                          accepted_late, 6 days
 *   2025-03  v1 sent 2025-04-14 16:00 UTC (17:00 BST, the deadline day), v2 on 2025-04-25
 *                                                               accepted_on_time (first accepted)
 *   2025-04  sent 2025-05-15 23:30 UTC = 2025-05-16 00:30 in London (BST)
 *                                                               accepted_late, 1 day
 *   2025-05  nothing; ended 05-31, deadline 06-13 not passed    not_yet_due
 *   2025-06  not ended by 2025-06-10                            not expected
 *
 * Referrals per month (newest return, 2025-04): Oct 3 (P-01..P-03; P-99 was dropped), Nov 2,
 * Dec 3, Jan 2, Feb 3, Mar 2, Apr 9 (P-16..P-24). April against the previous 6 months:
 * mean (3+2+3+2+3+2)/6 = 2.5; sample sd √(6 × 0.5² / 5) = √0.3 ≈ 0.548, 3 sd ≈ 1.64;
 * |9 − 2.5| = 6.5 > 1.64 and 9 > 2 × 2.5, so April is an outlier. No earlier month has 6
 * months of history (nor has any month of vrs-test or agg-test, whose newest return is 2025-03).
 *
 * vrs-test (nhs-north) sends 2025-01, 02 and 03, each on the 5th of the next month (on time);
 * agg-test (acme) sends 2025-03 only, participant-level and aggregate (see references()).
 */
const AS_OF = '2025-06-10';

const none = { first_contact_date: '', start_date: '' };
const referrals: [string, string][] = [
  ['P-01', '2024-10-07'],
  ['P-02', '2024-10-08'],
  ['P-03', '2024-10-09'],
  ['P-99', '2024-10-15'],
  ['P-04', '2024-11-05'],
  ['P-05', '2024-11-06'],
  ['P-06', '2024-12-02'],
  ['P-07', '2024-12-03'],
  ['P-08', '2024-12-04'],
  ['P-09', '2025-01-06'],
  ['P-10', '2025-01-07'],
  ['P-11', '2025-02-03'],
  ['P-12', '2025-02-04'],
  ['P-13', '2025-02-05'],
  ['P-14', '2025-03-03'],
  ['P-15', '2025-03-04'],
  ...Array.from({ length: 9 }, (_, i): [string, string] => [`P-${16 + i}`, `2025-04-0${i + 1}`]),
];

/**
 * plp-test's caseload snapshot for a period (and version). Milestones over time:
 *   P-01  start 2024-11-04 first given in 2024-11 (new, not a restatement); job entry 2025-02-10
 *         first given in 2025-02 (new), restated to 2025-03-03 in 2025-03 v1 (Feb → Mar: warning)
 *   P-02  start 2024-10-21 from 2024-10; 2025-03 v2 changes it to 2024-10-28 (same month: info)
 *   P-04  first contact 2024-11-12 from 2024-11 to 2025-03 v2; left blank in 2025-04 (cleared)
 *   P-05  start 2025-04-07 first given in 2025-04 (new, not a restatement)
 *   P-99  referred 2024-10-15, in the 2024-10 and 2024-11 returns only: missing from the next
 *         accepted return (2025-02, as 2024-12 and 2025-01 have none): participant_removed
 *   2025-03 v1 writes P-14's engagement as MANDATORY (a warning, superseded by v2, so not listed);
 *   2025-04 writes P-16's engagement as Voluntary (a warning on row 17: listed).
 */
function plpRows(period: string, version = 1): RowValues[] {
  const end = `${period}-31`;
  return referrals
    .filter(([id, date]) => date <= end && !(id === 'P-99' && period > '2024-11'))
    .map(([id, date]) => {
      const row: RowValues = { ...none, participant_id: id, referral_date: date };
      if (id === 'P-01') {
        if (period >= '2024-11') row.start_date = '2024-11-04';
        if (period === '2025-02') row.job_entry_date = '2025-02-10';
        if (period >= '2025-03') row.job_entry_date = '2025-03-03';
      }
      if (id === 'P-02')
        row.start_date =
          period > '2025-03' || (period === '2025-03' && version >= 2)
            ? '2024-10-28'
            : '2024-10-21';
      if (id === 'P-04' && period >= '2024-11' && period <= '2025-03')
        row.first_contact_date = '2024-11-12';
      if (id === 'P-05' && period >= '2025-04') row.start_date = '2025-04-07';
      if (id === 'P-14' && period === '2025-03' && version === 1) row.engagement = 'MANDATORY';
      if (id === 'P-16' && period === '2025-04') row.engagement = 'Voluntary';
      return participant(row);
    });
}

/**
 * The stored reference has the 'agg' programme taking participant-level returns, while an
 * aggregate return for agg-test is ingested under a reference where it takes aggregate returns:
 * a contract moving from aggregate to participant-level returns, so it has both for 2025-03.
 * Participant-level: referred and started in March (2 referrals, 2 starts).
 * Aggregate totals: referrals 3 (≠ 2: a mismatch), starts 2 (agrees); the sex breakdown row
 * (99) is not a total and is not compared.
 */
function references(): { stored: ReferenceData; aggregate: ReferenceData } {
  const aggregate = testReference();
  const stored = parseReferenceData({
    ...aggregate,
    programmes: aggregate.programmes.map((p) =>
      p.id === 'agg' ? { ...p, return_kind: 'participant' } : p,
    ),
  });
  return { stored, aggregate };
}

const V05 = (contact: string) =>
  participant({
    ...none,
    participant_id: 'V-05',
    referral_date: '2025-01-06',
    first_contact_date: contact,
  });
const V06 = participant({ ...none, participant_id: 'V-06', referral_date: '2025-01-07' });

let pipeline: PipelineFixture;
beforeAll(async () => {
  const { stored, aggregate } = references();
  pipeline = await pipelineWith(stored, [], AS_OF);
  await pipeline.ingest([
    { contractId: 'plp-test', period: '2024-10', rows: plpRows('2024-10') },
    { contractId: 'plp-test', period: '2024-11', rows: plpRows('2024-11') },
    {
      contractId: 'plp-test',
      period: '2025-02',
      rows: plpRows('2025-02'),
      submittedAt: '2025-03-20T10:00:00Z',
    },
    {
      contractId: 'plp-test',
      period: '2025-03',
      rows: plpRows('2025-03', 1),
      submittedAt: '2025-04-14T16:00:00Z',
    },
    {
      contractId: 'plp-test',
      period: '2025-03',
      rows: plpRows('2025-03', 2),
      submittedAt: '2025-04-25T09:00:00Z',
    },
    {
      contractId: 'plp-test',
      period: '2025-04',
      rows: plpRows('2025-04'),
      submittedAt: '2025-05-15T23:30:00Z',
    },
    // vrs-test: V-05's first contact is given in 2025-01, left blank in 2025-02 (cleared) and
    // given again in 2025-03 (not a restatement: a date appearing); V-06 is in 2025-01, missing
    // from 2025-02 (participant_removed) and back in 2025-03 (not a restatement).
    { contractId: 'vrs-test', period: '2025-01', rows: [V05('2025-01-10'), V06] },
    { contractId: 'vrs-test', period: '2025-02', rows: [V05('')] },
    // P-01 is also in vrs-test's newest return (a participant id under two contracts); P-99 is
    // too, but only in plp-test's older returns, so it is not a duplicate.
    {
      contractId: 'vrs-test',
      period: '2025-03',
      rows: [
        V05('2025-01-10'),
        V06,
        participant({ ...none, participant_id: 'P-01', referral_date: '2025-03-10' }),
        participant({ ...none, participant_id: 'P-99', referral_date: '2025-03-11' }),
        participant({ ...none, participant_id: 'V-03', referral_date: '2025-03-12' }),
      ],
    },
    {
      contractId: 'agg-test',
      period: '2025-03',
      rows: [
        participant({
          ...none,
          participant_id: 'A-01',
          referral_date: '2025-03-05',
          start_date: '2025-03-20',
        }),
        participant({
          ...none,
          participant_id: 'A-02',
          referral_date: '2025-03-06',
          start_date: '2025-03-20',
        }),
      ],
    },
  ]);
  // The rejected 2025-01 return: P-09's engagement is blank (required).
  const rejected = await ingestReturn({
    store: pipeline.store,
    bytes: bytesOf(
      csvOf(
        plpRows('2025-01').map((r) => (r.participant_id === 'P-09' ? { ...r, engagement: '' } : r)),
      ),
    ),
    fileName: 'plp-2025-01.csv',
    contractId: 'plp-test',
    period: '2025-01',
    submittedBy: 'acme-user',
    reference: stored,
    now: new Date('2025-02-05T10:00:00Z'),
  });
  expect(rejected.receipt.status).toBe('rejected');
  const agg = await ingestReturn({
    store: pipeline.store,
    bytes: bytesOf(
      csvOf(
        [
          { measure: 'referrals', count: '3' },
          { measure: 'starts', count: '2' },
          { measure: 'referrals', breakdown: 'sex', breakdown_value: 'female', count: '99' },
        ],
        aggregateHeader,
      ),
    ),
    fileName: 'agg-2025-03.csv',
    contractId: 'agg-test',
    period: '2025-03',
    submittedBy: 'acme-user',
    reference: aggregate,
    now: new Date('2025-04-06T10:00:00Z'),
  });
  expect(agg.receipt.status).toBe('accepted');
  await pipeline.build();
});

describe('returns_status', () => {
  it('lists every month of the term that has ended, with its deadline and status', async () => {
    const rows = await pipeline.query(
      `select period, deadline::varchar as deadline, received, submissions, accepted_versions, latest_version, status, on_time, days_late, review_status
       from returns_status where contract_id = 'plp-test' order by period`,
    );
    const r = (
      period: string,
      deadline: string,
      received: boolean,
      submissions: number,
      accepted: number,
      latest: number | null,
      status: string,
      onTime: boolean | null,
      daysLate: number | null,
    ) => ({
      period,
      deadline,
      received,
      submissions,
      accepted_versions: accepted,
      latest_version: latest,
      status,
      on_time: onTime,
      days_late: daysLate,
      review_status: null,
    });
    expect(rows).toEqual([
      r('2024-10', '2024-11-14', true, 1, 1, 1, 'accepted_on_time', true, null),
      r('2024-11', '2024-12-13', true, 1, 1, 1, 'accepted_on_time', true, null),
      r('2024-12', '2025-01-15', false, 0, 0, null, 'missing', false, 146),
      r('2025-01', '2025-02-14', true, 1, 0, null, 'rejected', false, 116),
      r('2025-02', '2025-03-14', true, 1, 1, 1, 'accepted_late', false, 6),
      r('2025-03', '2025-04-14', true, 2, 2, 2, 'accepted_on_time', true, null),
      r('2025-04', '2025-05-15', true, 1, 1, 1, 'accepted_late', false, 1),
      r('2025-05', '2025-06-13', false, 0, 0, null, 'not_yet_due', null, null),
    ]);
  });

  it('keeps the first upload and the first accepted upload apart', async () => {
    const rows = await pipeline.query(
      `select period, first_submitted_at::varchar as first_submitted, first_accepted_at::varchar as first_accepted
       from returns_status where contract_id = 'plp-test' and period in ('2025-01', '2025-03') order by period`,
    );
    expect(rows).toEqual([
      { period: '2025-01', first_submitted: '2025-02-05 10:00:00', first_accepted: null },
      {
        period: '2025-03',
        first_submitted: '2025-04-14 16:00:00',
        first_accepted: '2025-04-14 16:00:00',
      },
    ]);
  });
});

describe('provider_timeliness', () => {
  it('gives reporting and timeliness rates over the returns whose deadline has passed', async () => {
    const rows = await pipeline.query(
      `select provider_id, programme_id, contracts, expected_returns, received_returns, accepted_returns, on_time_returns,
              late_returns, rejected_returns, missing_returns, reporting_rate, timeliness_rate
       from provider_timeliness order by provider_id, programme_id`,
    );
    // Due by 2025-06-10: 2024-10 … 2025-04 = 7 months per contract (2025-05 is due 06-13).
    // acme/plp: received Oct, Nov, Jan (rejected), Feb, Mar, Apr = 6 → 6/7; on time Oct, Nov,
    //   Mar = 3 → 3/7; accepted 5; late Feb, Apr = 2; rejected Jan; missing Dec.
    // acme/agg: only 2025-03, first accepted on 04-05 (by 04-14) → 1/7 and 1/7; missing 6.
    // nhs-north/vrs: 2025-01, 02, 03, each sent on the 5th of the next month (on time) → 3/7, 3/7; missing 4.
    expect(rows).toEqual([
      {
        provider_id: 'acme',
        programme_id: 'agg',
        contracts: 1,
        expected_returns: 7,
        received_returns: 1,
        accepted_returns: 1,
        on_time_returns: 1,
        late_returns: 0,
        rejected_returns: 0,
        missing_returns: 6,
        reporting_rate: 1 / 7,
        timeliness_rate: 1 / 7,
      },
      {
        provider_id: 'acme',
        programme_id: 'plp',
        contracts: 1,
        expected_returns: 7,
        received_returns: 6,
        accepted_returns: 5,
        on_time_returns: 3,
        late_returns: 2,
        rejected_returns: 1,
        missing_returns: 1,
        reporting_rate: 6 / 7,
        timeliness_rate: 3 / 7,
      },
      {
        provider_id: 'nhs-north',
        programme_id: 'vrs',
        contracts: 1,
        expected_returns: 7,
        received_returns: 3,
        accepted_returns: 3,
        on_time_returns: 3,
        late_returns: 0,
        rejected_returns: 0,
        missing_returns: 4,
        reporting_rate: 3 / 7,
        timeliness_rate: 3 / 7,
      },
    ]);
  });
});

describe('restatements', () => {
  it('lists changed and removed milestones between consecutive accepted returns, not new ones', async () => {
    const rows = await pipeline.query(
      `select participant_id, milestone, period_before, version_before, value_before::varchar as value_before,
              period_after, version_after, value_after::varchar as value_after, resubmission, change
       from restatements where contract_id = 'plp-test' order by period_after, version_after, participant_id`,
    );
    // Chain of accepted returns: 2024-10 v1 → 2024-11 v1 → 2025-02 v1 → 2025-03 v1 → 2025-03 v2 → 2025-04 v1.
    expect(rows).toEqual([
      {
        participant_id: 'P-99',
        milestone: 'referral_date',
        period_before: '2024-11',
        version_before: 1,
        value_before: '2024-10-15',
        period_after: '2025-02',
        version_after: 1,
        value_after: null,
        resubmission: false,
        change: 'participant_removed',
      },
      {
        participant_id: 'P-01',
        milestone: 'job_entry_date',
        period_before: '2025-02',
        version_before: 1,
        value_before: '2025-02-10',
        period_after: '2025-03',
        version_after: 1,
        value_after: '2025-03-03',
        resubmission: false,
        change: 'changed',
      },
      {
        participant_id: 'P-02',
        milestone: 'start_date',
        period_before: '2025-03',
        version_before: 1,
        value_before: '2024-10-21',
        period_after: '2025-03',
        version_after: 2,
        value_after: '2024-10-28',
        resubmission: true,
        change: 'changed',
      },
      {
        participant_id: 'P-04',
        milestone: 'first_contact_date',
        period_before: '2025-03',
        version_before: 2,
        value_before: '2024-11-12',
        period_after: '2025-04',
        version_after: 1,
        value_after: null,
        resubmission: false,
        change: 'cleared',
      },
    ]);
    // Not there: P-01's start (first given in 2024-11) and job entry (first given in 2025-02), P-05's start (2025-04).
  });

  it('lists a date left blank and a participant left out, but not their coming back', async () => {
    const rows = await pipeline.query(
      `select participant_id, milestone, period_before, value_before::varchar as value_before, period_after, value_after::varchar as value_after, change
       from restatements where contract_id = 'vrs-test' order by participant_id`,
    );
    expect(rows).toEqual([
      {
        participant_id: 'V-05',
        milestone: 'first_contact_date',
        period_before: '2025-01',
        value_before: '2025-01-10',
        period_after: '2025-02',
        value_after: null,
        change: 'cleared',
      },
      {
        participant_id: 'V-06',
        milestone: 'referral_date',
        period_before: '2025-01',
        value_before: '2025-01-07',
        period_after: '2025-02',
        value_after: null,
        change: 'participant_removed',
      },
    ]);
  });

  it('finds nothing for a contract with a single return', async () => {
    expect(
      await pipeline.query(`select * from restatements where contract_id = 'agg-test'`),
    ).toEqual([]);
  });
});

describe('data_quality', () => {
  it('lists every issue with its check, severity and values', async () => {
    const rows = await pipeline.query(
      `select contract_id, provider_id, period, check_name, severity, participant_id, field, value_before, value_after
       from data_quality order by check_name, contract_id, period, participant_id`,
    );
    const issue = (
      contract_id: string,
      provider_id: string,
      period: string,
      check_name: string,
      severity: string,
      participant_id: string | null,
      field: string | null,
      value_before: string | null,
      value_after: string | null,
    ) => ({
      contract_id,
      provider_id,
      period,
      check_name,
      severity,
      participant_id,
      field,
      value_before,
      value_after,
    });
    expect(rows).toEqual([
      // agg-test 2025-03: aggregate referrals 3, participant-level 2 (starts agree at 2).
      issue(
        'agg-test',
        'acme',
        '2025-03',
        'aggregate_mismatch',
        'warning',
        null,
        'referrals',
        '3',
        '2',
      ),
      // P-01 is in the newest returns of plp-test (2025-04) and vrs-test (2025-03); P-99 is not (old plp-test returns only).
      issue(
        'plp-test',
        'acme',
        '2025-04',
        'duplicate_participant',
        'warning',
        'P-01',
        'participant_id',
        null,
        null,
      ),
      issue(
        'vrs-test',
        'nhs-north',
        '2025-03',
        'duplicate_participant',
        'warning',
        'P-01',
        'participant_id',
        null,
        null,
      ),
      // April's 9 referrals against a mean of 2.5.
      issue('plp-test', 'acme', '2025-04', 'outlier', 'warning', null, 'referrals', '2.5', '9'),
      // A removal and a change of month are warnings; a date moved within its month is information.
      issue(
        'plp-test',
        'acme',
        '2025-02',
        'restated_milestone',
        'warning',
        'P-99',
        'referral_date',
        '2024-10-15',
        null,
      ),
      issue(
        'plp-test',
        'acme',
        '2025-03',
        'restated_milestone',
        'warning',
        'P-01',
        'job_entry_date',
        '2025-02-10',
        '2025-03-03',
      ),
      issue(
        'plp-test',
        'acme',
        '2025-03',
        'restated_milestone',
        'info',
        'P-02',
        'start_date',
        '2024-10-21',
        '2024-10-28',
      ),
      issue(
        'plp-test',
        'acme',
        '2025-04',
        'restated_milestone',
        'warning',
        'P-04',
        'first_contact_date',
        '2024-11-12',
        null,
      ),
      issue(
        'vrs-test',
        'nhs-north',
        '2025-02',
        'restated_milestone',
        'warning',
        'V-05',
        'first_contact_date',
        '2025-01-10',
        null,
      ),
      issue(
        'vrs-test',
        'nhs-north',
        '2025-02',
        'restated_milestone',
        'warning',
        'V-06',
        'referral_date',
        '2025-01-07',
        null,
      ),
      // Only the newest accepted version's warnings: 2025-03 v1's MANDATORY was superseded by v2.
      issue(
        'plp-test',
        'acme',
        '2025-04',
        'validation_warning',
        'info',
        null,
        'engagement',
        null,
        null,
      ),
    ]);
  });

  it('says what was found in plain words', async () => {
    const details = (
      await pipeline.query(
        `select check_name, participant_id, detail from data_quality order by check_name, contract_id, participant_id`,
      )
    ).map((r) => r.detail as string);
    expect(details).toContain(
      'The aggregate return for 2025-03 (version 2) counts 3 referrals; the participant-level returns give 2',
    );
    expect(details).toContain(
      'job_entry_date changed from 2025-02-10 to 2025-03-03 in the 2025-03 return (version 1), compared with the 2025-02 return (version 1); it now counts in 2025-03 instead of 2025-02',
    );
    expect(details).toContain(
      'The participant is not in the 2025-02 return (version 1), so their referral_date 2024-10-15 no longer counts in 2024-10',
    );
    expect(details).toContain(
      'Participant P-01 is also in the newest return of another contract: possible double claiming; check whether it is the same person',
    );
    expect(details.join('\n')).not.toMatch(/newest return of (plp|vrs)-test/);
    // The contracts are named only in double_claims, which only managers' pages read.
    expect(
      await pipeline.query(
        `select contract_id, participant_id, period, other_contract_id, other_provider_name, other_period
         from double_claims order by contract_id`,
      ),
    ).toEqual([
      {
        contract_id: 'plp-test',
        participant_id: 'P-01',
        period: '2025-04',
        other_contract_id: 'vrs-test',
        other_provider_name: 'North NHS Trust',
        other_period: '2025-03',
      },
      {
        contract_id: 'vrs-test',
        participant_id: 'P-01',
        period: '2025-03',
        other_contract_id: 'plp-test',
        other_provider_name: 'Acme Employment',
        other_period: '2025-04',
      },
    ]);
    expect(
      details.find((d) => d.startsWith('Referrals in 2025-04: 9, against a mean of 2.5')),
    ).toMatch(/more than 3 standard deviations from the mean and more than twice the mean$/);
    // P-16 is the 16th participant of the April return: spreadsheet row 17 (the heading is row 1).
    expect(
      details.find((d) => d.startsWith('Row 17, engagement (cell.code_case): ')),
    ).toBeDefined();
  });
});
