/**
 * Which notices are due on a day (ADR 025). The scheduled job (`notify --as-of`, the notify
 * function in AWS) sends them all; sending is idempotent (./send.ts), so a run repeated, or a
 * day missed and caught up, sends nothing twice. Events (a return rejected, queried, accepted)
 * are sent as they happen by the app, and swept up here for a week after, for the queued
 * pipeline in AWS whose ingest function sends nothing.
 */
import { fromIsoDate, today as dayOf } from '../calendar/days.js';
import { periodEnd, periodLabel, periodsBetween } from '../calendar/periods.js';
import { isWorkingDay } from '../calendar/working-days.js';
import { listReceipts } from '../ingest/ingest.js';
import type { Receipt } from '../ingest/receipt.js';
import {
  DEFAULT_REMINDER_WORKING_DAYS,
  regimeWindowWords,
  type Contract,
  type RegimeWindow,
  type ReferenceData,
} from '../reference/schema.js';
import { closingOf, dayWords } from '../review/approval.js';
import { reviewsFor, type Review } from '../review/records.js';
import type { ObjectStore } from '../store/object-store.js';
import { NoMartsYetError, withMarts } from '../transform/query.js';
import type { Notice } from './send.js';
import { isContractManager, isContractProvider } from '../access/index.js';

/** Late, missing and event notices look back this many days, so old history is never sent. */
export const LOOK_BACK_DAYS = 7;

const providerUsers = (reference: ReferenceData, contract: Contract) =>
  reference.users.filter((u) => isContractProvider(u, contract));
const managers = (reference: ReferenceData, contract: Contract) =>
  reference.users.filter((u) => isContractManager(u, contract));

const receiptLink = (r: Pick<Receipt, 'contract_id' | 'id'>) =>
  `/contracts/${encodeURIComponent(r.contract_id)}/returns/${encodeURIComponent(r.id)}`;

const signOff = '\n\nChange which emails you get: /notifications\n\nOutturn';

/** The notice to the provider's users when a manager accepts or queries one of its returns. */
export function reviewNotices(reference: ReferenceData, review: Review): Notice[] {
  const contract = reference.contracts.find((c) => c.id === review.contract_id);
  if (!contract) return [];
  const who = reference.users.find((u) => u.id === review.by)?.name ?? review.by;
  const month = periodLabel(review.period);
  const link = receiptLink({ contract_id: review.contract_id, id: review.receipt_id });
  return providerUsers(reference, contract).map((u) =>
    review.decision === 'queried'
      ? {
          kind: 'return_queried' as const,
          userId: u.id,
          about: `${review.receipt_id}-${review.at}`,
          subject: `Your ${month} return for ${contract.id} has been queried`,
          text: `${who} has queried your return for ${month} on contract ${contract.id}:\n\n${review.message ?? ''}\n\nCheck the return and, if it needs correcting, send a corrected one: ${link}${signOff}`,
        }
      : {
          kind: 'return_accepted' as const,
          userId: u.id,
          about: `${review.receipt_id}-${review.at}`,
          subject: `Your ${month} return for ${contract.id} has been accepted`,
          text: `${who} has accepted your return for ${month} on contract ${contract.id}. It is now locked: to change it, ask ${who} to reopen it.${review.message ? `\n\n${review.message}` : ''}\n\n${link}${signOff}`,
        },
  );
}

/** The notice to whoever sent a return that was not accepted. */
export function rejectedNotices(reference: ReferenceData, receipt: Receipt): Notice[] {
  if (receipt.status !== 'rejected') return [];
  const month = periodLabel(receipt.period);
  return [
    {
      kind: 'return_rejected',
      userId: receipt.submitted_by,
      about: receipt.id,
      subject: `Your ${month} return for ${receipt.contract_id} was not accepted`,
      text: `The return you sent for ${month} on contract ${receipt.contract_id} (${receipt.file.name}) was not accepted: ${receipt.counts.errors} ${receipt.counts.errors === 1 ? 'error' : 'errors'} need fixing. The report lists each one, with how to fix it: ${receiptLink(receipt)}${signOff}`,
    },
  ];
}

/** The working day `n` working days before `day`. */
function workingDaysBefore(day: number, n: number, contract: Contract): number {
  let d = day;
  for (let seen = 0; seen < n;) if (isWorkingDay(--d, contract.nation)) seen++;
  return d;
}

/**
 * Every notice due on `asOf` (an ISO date): reminders, late and missing returns, events of the
 * last week, measures whose RAG status got worse and contracts that moved to a worse
 * intervention level in the newest month of figures.
 */
export async function noticesDue(
  store: ObjectStore,
  reference: ReferenceData,
  asOf: string,
): Promise<Notice[]> {
  const day = fromIsoDate(asOf);
  if (Number.isNaN(day)) throw new RangeError(`"${asOf}" is not a date: give it as YYYY-MM-DD`);
  const notices: Notice[] = [];
  for (const contract of reference.contracts) {
    const programme = reference.programmes.find((p) => p.id === contract.programme_id);
    const reminderDays = programme?.reminder_working_days ?? DEFAULT_REMINDER_WORKING_DAYS;
    const receipts = await listReceipts(store, { contractId: contract.id });
    const accepted = new Set(receipts.filter((r) => r.status === 'accepted').map((r) => r.period));
    const sent = new Set(receipts.map((r) => r.period));
    for (const period of periodsBetween(contract.start_period, contract.end_period)) {
      if (periodEnd(period) >= day + 31) break;
      const closing = closingOf(contract, programme, period);
      if (!closing) continue;
      const deadline = fromIsoDate(closing.deadline);
      const month = periodLabel(period);
      const about = `${contract.id}/${period}`;
      const from = workingDaysBefore(deadline, reminderDays, contract);
      if (day >= from && day <= deadline && !sent.has(period))
        for (const u of providerUsers(reference, contract))
          notices.push({
            kind: 'deadline_reminder',
            userId: u.id,
            about,
            subject: `Your ${month} return for ${contract.id} is due by ${dayWords(closing.deadline)}`,
            text: `The return for ${month} on contract ${contract.id} is due by ${dayWords(closing.deadline)}, and has not been sent yet. Send it: /contracts/${encodeURIComponent(contract.id)}/returns/new${signOff}`,
          });
      if (day > deadline && day <= deadline + LOOK_BACK_DAYS && !accepted.has(period))
        for (const u of managers(reference, contract))
          notices.push({
            kind: 'return_late',
            userId: u.id,
            about,
            subject: `The ${month} return for ${contract.id} is late`,
            text: `The return for ${month} on contract ${contract.id} was due by ${dayWords(closing.deadline)}, and none has been accepted.${sent.has(period) ? ' A return was sent, but it was not accepted.' : ''}\n\n/contracts/${encodeURIComponent(contract.id)}/returns${signOff}`,
          });
      const closes = closing.closesOn === null ? null : fromIsoDate(closing.closesOn);
      if (
        closes !== null &&
        day > closes &&
        day <= closes + LOOK_BACK_DAYS &&
        !accepted.has(period)
      )
        for (const u of managers(reference, contract))
          notices.push({
            kind: 'return_missing',
            userId: u.id,
            about,
            subject: `The ${month} return for ${contract.id} is missing`,
            text: `Returns for ${month} on contract ${contract.id} closed on ${dayWords(closing.closesOn!)} with none accepted. To let the provider send it now, reopen the month: /contracts/${encodeURIComponent(contract.id)}/returns${signOff}`,
          });
    }
    const recent = (iso: string) => {
      const d = dayOf(new Date(iso));
      return d <= day && d > day - LOOK_BACK_DAYS;
    };
    for (const r of receipts)
      if (recent(r.submitted_at)) notices.push(...rejectedNotices(reference, r));
    for (const review of await reviewsFor(store, contract.id))
      if (recent(review.at)) notices.push(...reviewNotices(reference, review));
  }
  notices.push(...(await ragNotices(store, reference, asOf)));
  notices.push(...(await levelNotices(store, reference, asOf)));
  return notices;
}

const ragOrder: Record<string, number> = { green: 0, amber: 1, red: 2 };

/**
 * A measure's RAG status getting worse between the two newest months of figures up to `asOf`
 * (ADR 025). Kept beside the level notice below: a manager may want the earlier warning.
 */
async function ragNotices(
  store: ObjectStore,
  reference: ReferenceData,
  asOf: string,
): Promise<Notice[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await withMarts(
      store,
      async (db) =>
        (
          await db.query(
            `select contract_id, measure_id, measure_label, period, rag from performance
           where rag is not null and period <= $last order by contract_id, measure_id, period`,
            { last: asOf.slice(0, 7) },
          )
        ).rows,
    );
  } catch (e) {
    if (e instanceof NoMartsYetError) return [];
    throw e;
  }
  const newest = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const key = `${String(r['contract_id'])}|${String(r['measure_id'])}`;
    newest.set(key, [...(newest.get(key) ?? []), r].slice(-2));
  }
  const notices: Notice[] = [];
  for (const pair of newest.values()) {
    if (pair.length < 2) continue;
    const [before, now] = pair as [Record<string, unknown>, Record<string, unknown>];
    if (ragOrder[String(now['rag'])]! <= ragOrder[String(before['rag'])]!) continue;
    const contract = reference.contracts.find((c) => c.id === now['contract_id']);
    if (!contract) continue;
    const month = periodLabel(String(now['period']));
    for (const u of managers(reference, contract))
      notices.push({
        kind: 'rag_worse',
        userId: u.id,
        about: `${contract.id}/${String(now['measure_id'])}/${String(now['period'])}`,
        subject: `${contract.id}: ${String(now['measure_label'])} went from ${String(before['rag'])} to ${String(now['rag'])} in ${month}`,
        text: `On contract ${contract.id}, ${String(now['measure_label'])} against profile (to date) went from ${String(before['rag'])} in ${periodLabel(String(before['period']))} to ${String(now['rag'])} in ${month}.\n\n/contracts/${encodeURIComponent(contract.id)}${signOff}`,
      });
  }
  return notices;
}

/**
 * A contract moving to a worse intervention level (ADR 039, issue 14): for each contract, the
 * newest judged month of `intervention_levels` that ended before `asOf` (a month still under
 * way has no return yet, so is not judged on its figures); when its level went up
 * that month, its managers are told the new level, what it means, and the window it was judged
 * on. Sent once per manager, contract and month (`about`), like every notice (./send.ts).
 */
async function levelNotices(
  store: ObjectStore,
  reference: ReferenceData,
  asOf: string,
): Promise<Notice[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await withMarts(
      store,
      async (db) =>
        (
          await db.query(
            `select contract_id, period, level, previous_level, level_label, level_description,
                    level_window, change, below_measures
             from intervention_levels
             where status <> 'not_judged' and period < $current
             qualify row_number() over (partition by contract_id order by period desc) = 1
             order by contract_id`,
            { current: asOf.slice(0, 7) },
          )
        ).rows,
    );
  } catch (e) {
    if (e instanceof NoMartsYetError) return [];
    throw e;
  }
  const notices: Notice[] = [];
  for (const r of rows) {
    if (r['change'] !== 'up') continue;
    const contract = reference.contracts.find((c) => c.id === r['contract_id']);
    if (!contract) continue;
    const programme = reference.programmes.find((p) => p.id === contract.programme_id);
    const period = String(r['period']);
    const month = periodLabel(period);
    const label = String(r['level_label']);
    const window = regimeWindowWords[String(r['level_window']) as RegimeWindow];
    const below = String(r['below_measures'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((id) => programme?.measures.find((m) => m.id === id)?.label ?? id);
    for (const u of managers(reference, contract))
      notices.push({
        kind: 'level_worse',
        userId: u.id,
        about: `${contract.id}/${period}`,
        subject: `${contract.id} moved to ${label} in ${month}`,
        text: `Contract ${contract.id} moved to ${label} in ${month}, judged on performance against profile ${window}${below.length ? ` (below profile: ${below.join(', ')})` : ''}.\n\n${label}: ${String(r['level_description'])}\n\n/contracts/${encodeURIComponent(contract.id)}${signOff}`,
      });
  }
  return notices;
}
