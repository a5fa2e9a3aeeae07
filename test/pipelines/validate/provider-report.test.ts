/**
 * What a provider needs from a report to fix its case-management system: the participant
 * reference on each problem, repeated problems grouped with their rows, and one decisive error
 * instead of thousands when the return is for the wrong contract or period.
 */
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { validateReturn } from '../../../pipelines/validate/validate-return.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participant, participants } from '../../fixtures/returns.js';

const ctx = { today: fromIsoDate('2026-11-26'), period: '2025-03' };

describe('the provider’s error report', () => {
  it('names the participant of each problem’s row, and none for the whole file or a bad reference', () => {
    const rows = participants(3, (i) => (i === 1 ? { start_date: 'soon' } : {}));
    rows.push(participant({ participant_id: 'bad ref', start_date: 'later' }));
    const result = validateReturn(bytesOf(csvOf(rows)), 'r.csv', ctx);
    const dates = result.report.problems.filter((p) => p.rule === 'cell.date');
    expect(dates.map((p) => [p.row, p.participant])).toEqual([
      [3, 'P-000002'],
      [5, null],
    ]);
  });

  it('names the participant on problems found across rows too', () => {
    const rows = [participant({ participant_id: 'D-1' }), participant({ participant_id: 'D-1' })];
    const result = validateReturn(bytesOf(csvOf(rows)), 'r.csv', ctx);
    expect(result.report.problems).toMatchObject([
      { rule: 'row.duplicate_participant', row: 3, participant: 'D-1' },
    ]);
  });

  it('groups repeated problems of one kind with how many and their rows, beyond the listed ones', () => {
    const rows = participants(300, (i) => ({
      referral_date: i < 250 ? '2025-01-06T09:30' : '2025-01-06',
      start_date: i === 7 ? 'soon' : '2025-01-20',
    }));
    const result = validateReturn(bytesOf(csvOf(rows)), 'r.csv', {
      ...ctx,
      limits: { maxProblemsListed: 20 },
    });
    expect(result.report.unlisted).toBe(231);
    expect(result.report.groups).toEqual([
      {
        severity: 'error',
        rule: 'cell.date',
        column: 'referral_date',
        message: '"2025-01-06T09:30" has a time as well as a date.',
        fix: 'Give the date only, for example 2025-01-31 (a time of 00:00 is ignored).',
        count: 250,
        firstRow: 2,
        lastRow: 251,
      },
      expect.objectContaining({ column: 'start_date', count: 1, firstRow: 9, lastRow: 9 }),
    ]);
  });

  it('gives one error, not one a row, for a period before the contract started', () => {
    const result = validateReturn(bytesOf(csvOf(participants(500))), 'r.csv', {
      ...ctx,
      reference: testReference(),
      contractId: 'plp-test',
      period: '2024-08',
    });
    expect(result.report.problems.map((p) => p.rule)).toEqual(['reference.period']);
    expect(result.report.errorCount).toBe(1);
  });

  it('gives one error for a contract that does not exist', () => {
    const result = validateReturn(bytesOf(csvOf(participants(50))), 'r.csv', {
      ...ctx,
      reference: testReference(),
      contractId: 'plp-nope',
    });
    expect(result.report.problems.map((p) => p.rule)).toEqual(['reference.contract']);
  });
});
