import { beforeAll, describe, expect, it } from 'vitest';
import {
  claimEvidenceIn,
  EvidenceRefusedError,
  recordEvidence,
} from '../../../pipelines/claims/evidence.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participants, type RowValues } from '../../fixtures/returns.js';

/**
 * Claims verification (ADR 040) against a sample worked by hand.
 *
 * plp-test pays £1,200 per job entry (test/fixtures/reference.ts). Its 2025-03 return has 60
 * participants, each with a job entry on 2025-03-10: 60 job entries claimed and paid in March.
 * The programme samples ceil(10% × 60) = 6, raised to its minimum of 20: 20 claims.
 *
 * The provider records 17 "held" and 3 "not held". By hand:
 *   error rate      3 / 20 = 0.15
 *   Wilson 95%      z = 1.959964, z² = 3.841459, n = 20, p = 0.15
 *                   centre = (0.15 + 3.841459 / 40) / (1 + 3.841459 / 20) = 0.246036 / 1.192073 = 0.206394
 *                   half   = 1.959964 / 1.192073 × √(0.15 × 0.85 / 20 + 3.841459 / 1600)
 *                          = 1.644163 × √(0.006375 + 0.002401) = 1.644163 × 0.093680 = 0.154026
 *                   interval 0.0524 to 0.3604
 *   extrapolated    0.15 × 60 = 9 job entries estimated to lack evidence
 *   adjustment      9 × £1,200 = £10,800, off £72,000 of job outcome payments → £61,200
 */
const rows: RowValues[] = participants(60, () => ({
  referral_date: '2025-01-06',
  first_contact_date: '2025-01-08',
  start_date: '2025-01-20',
  job_entry_date: '2025-03-10',
}));

function reference(): ReferenceData {
  const ref = testReference();
  ref.programmes = ref.programmes.map((p) =>
    p.id === 'plp' ? { ...p, claims_sample: { share: 0.1, min: 20, max: 30 } } : p,
  );
  return ref;
}

const march = { contractId: 'plp-test', period: '2025-03', outcomeKind: 'job_entry' as const };
const recordedAt = new Date('2025-04-20T09:00:00.000Z');

async function sampleOf(p: PipelineFixture): Promise<string[]> {
  return (
    await p.query(
      `select participant_id from claims_sample where contract_id = 'plp-test' and period = '2025-03' and outcome_kind = 'job_entry' order by sample_rank`,
    )
  ).map((r) => String(r.participant_id));
}

describe('claims verification, worked by hand', () => {
  let p: PipelineFixture;
  let sample: string[];

  beforeAll(async () => {
    p = await pipelineWith(reference(), [{ contractId: 'plp-test', period: '2025-03', rows }]);
    sample = await sampleOf(p);
  }, 120_000);

  it('samples 20 of the 60 job entries claimed in March, and no other month', async () => {
    expect(sample).toHaveLength(20);
    expect(new Set(sample).size).toBe(20);
    const sizes = await p.query(
      `select period, outcome_kind, any_value(claimed) as claimed, count(*)::integer as n from claims_sample where contract_id = 'plp-test' group by all`,
    );
    expect(sizes).toEqual([{ period: '2025-03', outcome_kind: 'job_entry', claimed: 60, n: 20 }]);
  });

  it('draws the same sample whatever order the return lists the participants in', async () => {
    const reversed = await pipelineWith(reference(), [
      { contractId: 'plp-test', period: '2025-03', rows: [...rows].reverse() },
    ]);
    expect(await sampleOf(reversed)).toEqual(sample);
  }, 120_000);

  it('takes nothing off the payments until every sampled claim has an answer', async () => {
    const [v] = await p.query(
      `select recorded, complete, error_rate, adjustment from claims_verification where contract_id = 'plp-test' and period = '2025-03'`,
    );
    expect(v).toEqual({ recorded: 0, complete: false, error_rate: null, adjustment: null });
    const [pay] = await p.query(
      `select job_outcome_payments, verification_adjustment from payments where contract_id = 'plp-test' and period = '2025-03'`,
    );
    expect(pay).toEqual({ job_outcome_payments: 72000, verification_adjustment: 0 });
  });

  it('refuses a form with a claim unanswered or a "not held" without a note, and writes nothing', async () => {
    const answers = Object.fromEntries(sample.map((id) => [id, { evidence: 'held' }]));
    const missingNote = { ...answers, [sample[0]!]: { evidence: 'not_held', note: ' ' } };
    const { [sample[1]!]: _dropped, ...unanswered } = missingNote;
    const refusal = await recordEvidence(
      p.store,
      { ...march, sample, answers: unanswered },
      'acme-user',
      recordedAt,
    ).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(EvidenceRefusedError);
    expect((refusal as EvidenceRefusedError).problems).toEqual([
      {
        participant_id: sample[0],
        field: 'note',
        message: `Claim 1 (participant ${sample[0]}): say in the note why the evidence is not held, for example "employer did not confirm the start date".`,
      },
      {
        participant_id: sample[1],
        field: 'evidence',
        message: `Claim 2 (participant ${sample[1]}): select whether the evidence is held or not held.`,
      },
    ]);
    expect(await claimEvidenceIn(p.store, 'plp-test')).toEqual([]);
  });

  it('with 3 of 20 not held: rate 15% (Wilson 5.24% to 36.04%), £10,800 off £72,000', async () => {
    const notHeld = new Set(sample.slice(5, 8));
    const answers = Object.fromEntries(
      sample.map((id) => [
        id,
        notHeld.has(id)
          ? { evidence: 'not_held', note: 'Employer did not confirm the start' }
          : { evidence: 'held', note: '' },
      ]),
    );
    await recordEvidence(p.store, { ...march, sample, answers }, 'acme-user', recordedAt);
    await p.build();
    const [v] = await p.query(
      `select outcomes_paid, paid, sampled, recorded, not_held, complete, error_rate, error_rate_low, error_rate_high, outcomes_unevidenced, adjustment, adjusted_paid
       from claims_verification where contract_id = 'plp-test' and period = '2025-03' and outcome_kind = 'job_entry'`,
    );
    expect(v).toMatchObject({
      outcomes_paid: 60,
      paid: 72000,
      sampled: 20,
      recorded: 20,
      not_held: 3,
      complete: true,
      outcomes_unevidenced: 9,
      adjustment: 10800,
      adjusted_paid: 61200,
    });
    expect(v!.error_rate).toBeCloseTo(0.15, 10);
    expect(v!.error_rate_low).toBeCloseTo(0.0524, 4);
    expect(v!.error_rate_high).toBeCloseTo(0.3604, 4);
    const [pay] = await p.query(
      `select total_due, verification_adjustment, adjusted_total_due from payments where contract_id = 'plp-test' and period = '2025-03'`,
    );
    expect(pay!.verification_adjustment).toBe(10800);
    expect(pay!.adjusted_total_due).toBe(Number(pay!.total_due) - 10800);
  }, 120_000);

  it('counts the newest answer for a claim, keeping the earlier one in the store', async () => {
    const corrected = sample[5]!;
    const answers = Object.fromEntries(
      sample.map((id) => [
        id,
        { evidence: sample.slice(6, 8).includes(id) ? 'not_held' : 'held', note: 'Checked again' },
      ]),
    );
    await recordEvidence(
      p.store,
      { ...march, sample, answers },
      'acme-user',
      new Date('2025-04-21T09:00:00.000Z'),
    );
    await p.build();
    const [v] = await p.query(
      `select not_held, adjustment from claims_verification where contract_id = 'plp-test' and period = '2025-03'`,
    );
    // 2 of 20 = 10%: 0.10 × 60 × £1,200 = £7,200.
    expect(v).toEqual({ not_held: 2, adjustment: 7200 });
    const kept = (await claimEvidenceIn(p.store, 'plp-test')).filter(
      (e) => e.participant_id === corrected,
    );
    expect(kept.map((e) => e.evidence)).toEqual(['not_held', 'held']);
  }, 120_000);
});

/**
 * What commissioners read (suppressed_claims_verification), worked by hand: plp-test with 20 job
 * entries in February 2025 and 40 in March, paid at £1,200. Samples (10%, at least 20): all 20
 * of February's, 20 of March's. February's has 2 without evidence, March's 3.
 *
 *   March answered, February open   nothing: the months pooled stop before the first one open
 *   both answered                   to the end of March: 60 paid, 40 sampled, 5 not held (35 held)
 *                                   error rate 5 / 40 = 12.5%
 *                                   adjustments 2/20 × 20 × £1,200 + 3/20 × 40 × £1,200
 *                                             = £2,400 + £7,200 = £9,600
 */
describe('claims verification for commissioners, worked by hand', () => {
  let p: PipelineFixture;
  const inMonth = (period: string, from: number): RowValues[] =>
    participants(from === 0 ? 20 : 40, (i) => ({
      participant_id: `P-${String(from + i + 1).padStart(6, '0')}`,
      referral_date: '2025-01-06',
      first_contact_date: '2025-01-08',
      start_date: '2025-01-20',
      job_entry_date: `${period}-10`,
    }));
  const answer = async (period: string, notHeld: number) => {
    const ids = (
      await p.query(
        `select participant_id from claims_sample where contract_id = 'plp-test' and period = '${period}' and outcome_kind = 'job_entry' order by sample_rank`,
      )
    ).map((r) => String(r.participant_id));
    expect(ids).toHaveLength(20);
    const answers = Object.fromEntries(
      ids.map((id, i) => [
        id,
        i < notHeld ? { evidence: 'not_held', note: 'No payslip' } : { evidence: 'held', note: '' },
      ]),
    );
    await recordEvidence(
      p.store,
      { contractId: 'plp-test', period, outcomeKind: 'job_entry', sample: ids, answers },
      'acme-user',
      recordedAt,
    );
    await p.build();
  };
  const published = () =>
    p.query(
      `select period, outcomes_paid, sampled, not_held, error_rate, adjustment, suppressed
       from suppressed_claims_verification where contract_id = 'plp-test' and outcome_kind = 'job_entry'`,
    );

  beforeAll(async () => {
    p = await pipelineWith(reference(), [
      {
        contractId: 'plp-test',
        period: '2025-03',
        rows: [...inMonth('2025-02', 0), ...inMonth('2025-03', 20)],
      },
    ]);
  }, 120_000);

  it('pools only the months before the first one still open', async () => {
    await answer('2025-03', 3);
    const [march] = await p.query(
      `select complete from claims_verification where contract_id = 'plp-test' and period = '2025-03' and outcome_kind = 'job_entry'`,
    );
    expect(march).toEqual({ complete: true });
    expect(await published()).toEqual([]);
  }, 120_000);

  it('once every month is answered: 60 paid, 40 sampled, 5 not held, 12.5%, £9,600', async () => {
    await answer('2025-02', 2);
    const [row] = await published();
    expect(row).toMatchObject({
      period: '2025-03',
      outcomes_paid: 60,
      sampled: 40,
      not_held: 5,
      adjustment: 9600,
      suppressed: false,
    });
    expect(row!.error_rate).toBeCloseTo(0.125, 10);
  }, 120_000);
});
