/** The demo tests lean on helpers.ts's checker, so it must itself catch broken rows. */
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { participantFields } from '../../../pipelines/returns/fields.js';
import { crossFieldProblems, parseCsv, toRow, warnings, type Row } from './helpers.js';

const end = fromIsoDate('2025-03-31');
const good: Row = {
  ...Object.fromEntries(participantFields.map((f) => [f.name, null])),
  participant_id: 'BPT-4KQXMZ',
  referral_date: '2025-01-06',
  engagement: 'mandatory',
  benefit: 'esa',
  primary_condition_group: 'mental_health',
  sex: 'female',
  age_band: '35_49',
  work_status_at_referral: 'unemployed',
  first_contact_date: '2025-01-08',
  start_date: '2025-01-20',
  cmp_referral_date: '2025-01-22',
  cmp_start_date: '2025-02-03',
  exit_date: '2025-03-01',
  exit_reason: 'completed',
  work_status_at_exit: 'unemployed',
  outcome_instrument: 'hads_anxiety',
  baseline_score: 14,
  exit_score: 9,
};
describe('the cross-field checker', () => {
  it('passes a good row', () => {
    expect(crossFieldProblems(good, end)).toEqual([]);
    expect(warnings(good)).toEqual([]);
  });

  it.each([
    ['a milestone before the referral', { start_date: '2025-01-01' }, /before the referral/],
    ['a date after the period end', { exit_date: '2025-04-01' }, /after the period end/],
    [
      'a CMP start without a CMP referral',
      { cmp_referral_date: null },
      /cmp_start_date without cmp_referral_date/,
    ],
    [
      'a CMP completion without a start',
      { cmp_start_date: null, cmp_completion_date: '2025-03-01' },
      /cmp_completion_date without/,
    ],
    [
      'a 13-week date too soon',
      { job_entry_date: '2025-01-25', sustained_13_weeks_date: '2025-03-31' },
      /less than 91 days/,
    ],
    [
      'a 26-week date without a job',
      { sustained_26_weeks_date: '2025-03-01' },
      /without job_entry_date/,
    ],
    ['an exit without a reason', { exit_reason: null }, /exit_reason/],
    [
      'a reason without an exit',
      { exit_date: null, work_status_at_exit: null, exit_score: null },
      /exit_reason/,
    ],
    [
      'a follow-up before the exit',
      { follow_up_date: '2025-02-01' },
      /follow_up_date less than 1 days/,
    ],
    [
      'a score without an instrument',
      { outcome_instrument: null },
      /without an outcome instrument/,
    ],
    ['a score outside the instrument range', { baseline_score: 40 }, /outside 0–21/],
  ] as const)('catches %s', (_, change, message) => {
    const problems = crossFieldProblems({ ...good, ...change }, end);
    expect(problems.join('\n')).toMatch(message);
  });

  it('warns about a first contact after the start', () => {
    expect(warnings({ ...good, first_contact_date: '2025-01-21' })).toEqual([
      'first_contact_date after start_date',
    ]);
  });

  it('reads the CSV the demo writes and refuses quoted cells', () => {
    const csv = parseCsv('a,b\r\n1,\r\n');
    expect(csv).toEqual({ header: ['a', 'b'], rows: [['1', '']] });
    expect(toRow(['participant_id', 'support_tier'], ['X-1', '2'])).toEqual({
      participant_id: 'X-1',
      support_tier: 2,
    });
    expect(() => parseCsv('a\r\n"x"\r\n')).toThrow(/quote/);
  });
});
