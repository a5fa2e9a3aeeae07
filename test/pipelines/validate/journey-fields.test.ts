/**
 * The fields added for programme-defined measures (issue 11, ADR 024): optional columns that a
 * return made before them may leave out, and the rules that hold them to each other.
 */
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { participantFields, type Field } from '../../../pipelines/returns/fields.js';
import { toParticipantRows } from '../../../pipelines/validate/typed-return.js';
import { validateReturn } from '../../../pipelines/validate/validate-return.js';
import { bytesOf, csvOf, participant, participantHeader } from '../../fixtures/returns.js';

const today = fromIsoDate('2026-11-26');
const check = (
  rows: Record<string, string | undefined>[],
  header: readonly string[] = participantHeader,
) => validateReturn(bytesOf(csvOf(rows, header)), 'p.csv', { today });
const rules = (r: ReturnType<typeof check>) =>
  r.report.problems.map((p) => `${p.rule} ${p.column}`);

describe('fields added after the first template', () => {
  it('a return made before them, without their columns, is still accepted and reads them as blank', () => {
    const before = (participantFields as readonly Field[])
      .filter((f) => !f.optionalColumn)
      .map((f) => f.name);
    expect(before.length).toBeLessThan(participantHeader.length);
    const result = check([participant()], before);
    expect(result.status).toBe('accepted');
    if (result.status !== 'accepted') return;
    const [row] = toParticipantRows(result.data);
    expect(row!.main_reason_for_referral).toBeNull();
    expect(row!.simd_vigintile).toBeNull();
  });

  it('takes the new codes and ranks', () => {
    const result = check([
      participant({
        work_status_at_referral: 'self_employed',
        main_reason_for_referral: 'remain_at_work',
        participant_type: 'client',
        simd_decile: '2',
        simd_vigintile: '3',
        age_at_referral: '41',
      }),
    ]);
    expect(rules(result)).toEqual([]);
    expect(result.status).toBe('accepted');
  });

  it('an age alone is enough; a band that does not hold the age is refused, naming both', () => {
    expect(check([participant({ age_band: '', age_at_referral: '58' })]).status).toBe('accepted');
    const wrong = check([participant({ age_band: '35_49', age_at_referral: '58' })]);
    expect(wrong.status).toBe('rejected');
    const problem = wrong.report.problems.find((p) => p.rule === 'row.age_band')!;
    expect(problem.row).toBe(2);
    expect(problem.message).toContain('58');
    expect(problem.fix).toContain('50_59');
    const neither = check([participant({ age_band: '' })]);
    expect(rules(neither)).toEqual(['row.required_here age_band']);
  });

  it('a carer may have no work status; a client must have one', () => {
    expect(
      check([participant({ participant_type: 'carer_third_party', work_status_at_referral: '' })])
        .status,
    ).toBe('accepted');
    const client = check([participant({ work_status_at_referral: '' })]);
    expect(rules(client)).toEqual(['row.required_here work_status_at_referral']);
    expect(client.report.problems[0]!.fix).toContain('carer_third_party');
  });

  it('a SIMD vigintile must lie in the SIMD decile', () => {
    const result = check([participant({ simd_decile: '1', simd_vigintile: '3' })]);
    expect(rules(result)).toEqual(['row.simd_ranks simd_vigintile']);
  });
});
