/**
 * What a contract owes, month by month, as at a day: each return's deadline and whether it came
 * on time, late, was refused, is missing or is still open. The same rule as the `returns_status`
 * mart (the nth working day of the next month; an upload judged by its date in England), worked
 * out from the receipts themselves so the home page and the queue need no mart build.
 */
import { fromIsoDate, isoDate } from '../calendar/days.js';
import { addMonths, periodEnd, periodOf, type Period } from '../calendar/periods.js';
import { returnDeadline } from '../calendar/working-days.js';
import type { Receipt } from '../ingest/receipt.js';
import type { Contract } from '../reference/schema.js';

/**
 * - `on_time`, `late`: a version was accepted, first on or before the deadline day, or after it;
 * - `refused`: files were sent, none accepted, and the deadline has passed;
 * - `missing`: nothing sent and the deadline has passed;
 * - `open`: nothing accepted yet and there is still time (files may have been refused).
 */
export type DueState = 'on_time' | 'late' | 'refused' | 'missing' | 'open';

export interface OwedReturn {
  contract_id: string;
  period: Period;
  /** ISO date: the last day to send it on time. */
  deadline: string;
  state: DueState;
  /** ISO date (in England) the first accepted version came, or null. */
  first_accepted: string | null;
  /** Calendar days after the deadline: of the first acceptance when late, else so far when overdue. */
  days_late: number | null;
  /** Files sent for the month, accepted or not. */
  sent: number;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The ISO date in England of a UTC instant: `2025-03-31T23:30:00Z` is `2025-04-01` in summer time. */
export function dateInEngland(instant: string): string {
  return londonDate.format(new Date(instant));
}

/** A contract's deadline for a month, as an ISO date. */
export function deadlineOf(contract: Contract, period: Period): string {
  return isoDate(returnDeadline(period, contract.return_deadline_working_day, contract.nation));
}

/**
 * The months of the contract's term that have ended by `asAt` (a day number), oldest first:
 * the months a return can be sent for.
 */
export function endedPeriods(contract: Contract, asAt: number): Period[] {
  const out: Period[] = [];
  for (let p = contract.start_period; p <= contract.end_period; p = addMonths(p, 1)) {
    if (periodEnd(p) >= asAt) break;
    out.push(p);
  }
  return out;
}

/**
 * Each ended month of the contract's term, oldest first, with its deadline and state as at
 * `asAt` (a day number). `receipts` may hold other contracts' receipts; only this one's count.
 *
 * @example returnsOwed(contract, receipts, today(deps.now()))
 */
export function returnsOwed(
  contract: Contract,
  receipts: readonly Receipt[],
  asAt: number,
): OwedReturn[] {
  const byPeriod = new Map<Period, Receipt[]>();
  for (const r of receipts) {
    if (r.contract_id !== contract.id) continue;
    const list = byPeriod.get(r.period) ?? [];
    list.push(r);
    byPeriod.set(r.period, list);
  }
  return endedPeriods(contract, asAt).map((period) => {
    const sent = byPeriod.get(period) ?? [];
    const deadline = deadlineOf(contract, period);
    const due = fromIsoDate(deadline);
    const accepted = sent
      .filter((r) => r.status === 'accepted')
      .map((r) => dateInEngland(r.submitted_at))
      .sort()[0];
    let state: DueState;
    let daysLate: number | null = null;
    if (accepted !== undefined) {
      const day = fromIsoDate(accepted);
      state = day <= due ? 'on_time' : 'late';
      if (state === 'late') daysLate = day - due;
    } else if (asAt > due) {
      state = sent.length > 0 ? 'refused' : 'missing';
      daysLate = asAt - due;
    } else state = 'open';
    return {
      contract_id: contract.id,
      period,
      deadline,
      state,
      first_accepted: accepted ?? null,
      days_late: daysLate,
      sent: sent.length,
    };
  });
}

/** Whether a return still needs sending: nothing accepted for it yet. */
export function outstanding(r: OwedReturn): boolean {
  return r.state === 'open' || r.state === 'missing' || r.state === 'refused';
}

/**
 * The next return to send by its deadline: the oldest ended month still open (nothing accepted,
 * deadline not passed), else the month now running (due after it ends) while the term lasts,
 * else null. Returns already overdue are not "next": they are listed as overdue.
 */
export function nextReturn(
  contract: Contract,
  owed: readonly OwedReturn[],
  asAt: number,
): { period: Period; deadline: string } | null {
  const open = owed.find((o) => o.state === 'open');
  if (open) return { period: open.period, deadline: open.deadline };
  const running = periodOf(asAt);
  const period = running < contract.start_period ? contract.start_period : running;
  if (period > contract.end_period) return null;
  return { period, deadline: deadlineOf(contract, period) };
}

/** Whether an accepted receipt came after its month's deadline (judged by its date in England). */
export function receiptLateness(
  contract: Contract,
  receipt: Pick<Receipt, 'period' | 'submitted_at'>,
): { deadline: string; late: boolean; days: number } {
  const deadline = deadlineOf(contract, receipt.period);
  const days = fromIsoDate(dateInEngland(receipt.submitted_at)) - fromIsoDate(deadline);
  return { deadline, late: days > 0, days: Math.max(days, 0) };
}
