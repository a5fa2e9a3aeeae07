import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import type { Receipt } from '../../../pipelines/ingest/receipt.js';
import {
  dateInEngland,
  endedPeriods,
  nextReturn,
  receiptLateness,
  returnsOwed,
} from '../../../pipelines/returns/due.js';
import { testReference } from '../../fixtures/reference.js';

const contract = testReference().contracts.find((c) => c.id === 'plp-test')!;

/** Only the fields the rule reads: which return, when, and whether it was accepted. */
function sent(period: string, at: string, status: 'accepted' | 'rejected' = 'accepted'): Receipt {
  return { contract_id: contract.id, period, submitted_at: at, status } as Receipt;
}

describe('returns owed', () => {
  it('judges an upload by its date in England, not in UTC', () => {
    expect(dateInEngland('2025-03-31T23:30:00.000Z')).toBe('2025-04-01');
    expect(dateInEngland('2025-01-31T23:30:00.000Z')).toBe('2025-01-31');
  });

  it('owes only the months of the term that have ended', () => {
    expect(endedPeriods(contract, fromIsoDate('2024-12-05'))).toEqual(['2024-10', '2024-11']);
    expect(endedPeriods(contract, fromIsoDate('2024-10-31'))).toEqual([]);
  });

  it('says on time, late, refused, missing and open, with each deadline', () => {
    // October 2024's deadline: the 10th working day of November 2024 is Thursday 14 November.
    const owed = returnsOwed(
      contract,
      [
        sent('2024-10', '2024-11-14T16:00:00.000Z'),
        sent('2024-11', '2024-12-20T10:00:00.000Z'),
        sent('2024-12', '2025-01-10T10:00:00.000Z', 'rejected'),
        sent('2025-02', '2025-03-03T10:00:00.000Z', 'rejected'),
      ],
      fromIsoDate('2025-03-05'),
    );
    expect(owed.map((o) => [o.period, o.deadline, o.state, o.days_late])).toEqual([
      ['2024-10', '2024-11-14', 'on_time', null],
      ['2024-11', '2024-12-13', 'late', 7],
      ['2024-12', '2025-01-15', 'refused', 49],
      ['2025-01', '2025-02-14', 'missing', 19],
      ['2025-02', '2025-03-14', 'open', null],
    ]);
  });

  it('names the oldest open return as the next one, else the month now running', () => {
    const asAt = fromIsoDate('2025-03-05');
    const owed = returnsOwed(contract, [sent('2024-10', '2024-11-01T10:00:00.000Z')], asAt);
    // November to January are overdue (listed as such); February is still open.
    expect(nextReturn(contract, owed, asAt)).toEqual({ period: '2025-02', deadline: '2025-03-14' });
    const allIn = returnsOwed(
      contract,
      ['2024-10', '2024-11', '2024-12', '2025-01', '2025-02'].map((p) =>
        sent(p, '2025-03-01T10:00:00.000Z'),
      ),
      asAt,
    );
    expect(nextReturn(contract, allIn, asAt)).toEqual({
      period: '2025-03',
      deadline: '2025-04-14',
    });
    expect(nextReturn(contract, [], fromIsoDate('2027-10-20'))).toBeNull();
  });

  it('says how late a receipt was against its deadline', () => {
    expect(receiptLateness(contract, sent('2024-11', '2024-12-20T10:00:00.000Z'))).toEqual({
      deadline: '2024-12-13',
      late: true,
      days: 7,
    });
    expect(receiptLateness(contract, sent('2024-11', '2024-12-13T23:30:00.000Z')).late).toBe(false);
  });
});
