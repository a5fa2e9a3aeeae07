/**
 * Approval and locking (ADR 032). A return the contract manager has accepted is locked: new
 * uploads and version changes for that contract and month are refused until the manager
 * reopens it, with a reason. A month's returns also close a set number of calendar days after
 * their deadline (the programme's `returns_close_after_days`); once closed, the return opens
 * again only when the manager reopens it or queries it. Reopenings are their own objects,
 * never rewritten, beside the reviews:
 *
 *   reopenings/<contract>/<period>/<at>.json
 */
import { z } from 'zod';
import { IngestRefusedError } from '../access/index.js';
import { isoDate, today as dayOf } from '../calendar/days.js';
import { periodLabel } from '../calendar/periods.js';
import { CalendarCoverageError, returnDeadline } from '../calendar/working-days.js';
import { OutturnError } from '../errors.js';
import {
  DEFAULT_CLOSE_AFTER_DAYS,
  periodSchema,
  slug,
  type Contract,
  type Programme,
  type ReferenceData,
} from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { reviewsFor, type Review } from './records.js';

export const REOPENINGS_PREFIX = 'reopenings/';
export const REASON_MAX = 500;

export const reopeningSchema = z.object({
  contract_id: slug,
  period: periodSchema,
  /** Why, in the manager's words: kept with the record and shown to the provider. */
  reason: z.string().min(1).max(REASON_MAX),
  by: slug,
  at: z.iso.datetime(),
  /** What it reopened: an approved (locked) return, or a closed month. */
  reopened: z.enum(['locked', 'closed']),
});

export type Reopening = z.infer<typeof reopeningSchema>;

/** Where one contract and month stand for changes. Day fields are ISO dates. */
export type ReturnState =
  | {
      state: 'open';
      /** The day the month closes at the end of; null when it never does. */
      closesOn: string | null;
      /** The reopening (or the query after closing) that keeps it open, when there is one. */
      reopened: Reopening | Review | null;
    }
  | { state: 'locked'; closesOn: string | null; approval: Review }
  | { state: 'closed'; closesOn: string; deadline: string };

/** The deadline and the day a month's returns close at the end of (null: never, or no calendar). */
export function closingOf(
  contract: Contract,
  programme: Programme | undefined,
  period: string,
): { deadline: string; closesOn: string | null } | null {
  let deadline: number;
  try {
    deadline = returnDeadline(period, contract.return_deadline_working_day, contract.nation);
  } catch (e) {
    if (e instanceof CalendarCoverageError) return null;
    throw e;
  }
  const after = programme?.returns_close_after_days;
  const days = after === undefined ? DEFAULT_CLOSE_AFTER_DAYS : after;
  return { deadline: isoDate(deadline), closesOn: days === null ? null : isoDate(deadline + days) };
}

interface StateInput {
  contract: Contract;
  programme: Programme | undefined;
  period: string;
  /** The decisions on the month's receipts. */
  reviews: readonly Review[];
  reopenings: readonly Reopening[];
  /** The day it is, as an ISO date. */
  today: string;
}

/**
 * The newest event decides: an acceptance locks; a reopening opens. Before the closing day the
 * month is otherwise open; after it, only a reopening, or a query made after it, keeps it open.
 *
 * @example returnState({ contract, programme, period: '2025-04', reviews: [accepted], reopenings: [], today: '2025-05-20' }).state // 'locked'
 */
export function returnState(input: StateInput): ReturnState {
  const events: (
    | { at: string; kind: 'review'; review: Review }
    | { at: string; kind: 'reopening'; reopening: Reopening }
  )[] = [
    ...input.reviews.map((review) => ({ at: review.at, kind: 'review' as const, review })),
    ...input.reopenings.map((reopening) => ({
      at: reopening.at,
      kind: 'reopening' as const,
      reopening,
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const last = events.at(-1);
  const closing = closingOf(input.contract, input.programme, input.period);
  const closesOn = closing?.closesOn ?? null;
  if (last?.kind === 'review' && last.review.decision === 'accepted')
    return { state: 'locked', closesOn, approval: last.review };
  const reopened =
    last?.kind === 'reopening'
      ? last.reopening
      : last?.kind === 'review' && closesOn !== null && last.at.slice(0, 10) > closesOn
        ? last.review
        : null;
  if (closesOn === null || input.today <= closesOn || reopened)
    return { state: 'open', closesOn, reopened };
  return { state: 'closed', closesOn, deadline: closing!.deadline };
}

/** `reopenings/<contract>/<period>/`, or every reopening of a contract. */
export function reopeningPrefix(contractId: string, period?: string): string {
  return `${REOPENINGS_PREFIX}${contractId}/${period === undefined ? '' : `${period}/`}`;
}

function reopeningKey(r: Reopening): string {
  return `${reopeningPrefix(r.contract_id, r.period)}${r.at.replace(/[-:.]/g, '')}.json`;
}

/** Every reopening of a contract's returns (of one month when given), oldest first. */
export async function reopeningsFor(
  store: ObjectStore,
  contractId: string,
  period?: string,
): Promise<Reopening[]> {
  const keys = (await store.list(reopeningPrefix(contractId, period))).filter((k) =>
    k.endsWith('.json'),
  );
  const values = await Promise.all(keys.map((k) => getJson(store, k)));
  return values
    .map((v, i) => {
      const parsed = reopeningSchema.safeParse(v);
      if (!parsed.success)
        throw new Error(`The reopening ${keys[i]} is damaged: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** Where each of these months of a contract stands, from one reading of its reviews and reopenings. */
export async function returnStatesOf(
  store: ObjectStore,
  reference: ReferenceData,
  contract: Contract,
  periods: readonly string[],
  now: Date,
): Promise<Map<string, ReturnState>> {
  const [reviews, reopenings] = await Promise.all([
    reviewsFor(store, contract.id),
    reopeningsFor(store, contract.id),
  ]);
  const programme = reference.programmes.find((p) => p.id === contract.programme_id);
  const today = isoDate(dayOf(now));
  return new Map(
    periods.map((period) => [
      period,
      returnState({
        contract,
        programme,
        period,
        reviews: reviews.filter((r) => r.period === period),
        reopenings: reopenings.filter((r) => r.period === period),
        today,
      }),
    ]),
  );
}

/** Where one contract and month stand. */
export async function returnStateOf(
  store: ObjectStore,
  reference: ReferenceData,
  contract: Contract,
  period: string,
  now: Date,
): Promise<ReturnState> {
  return (await returnStatesOf(store, reference, contract, [period], now)).get(period)!;
}

/** `3 December 2026`. */
export function dayWords(iso: string): string {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function nameOf(reference: ReferenceData, userId: string): string {
  return reference.users.find((u) => u.id === userId)?.name ?? userId;
}

/**
 * Why a locked or closed month takes no change, in words that say who approved it and how to
 * ask for it to be reopened; null when it is open.
 */
export function lockedMessage(
  reference: ReferenceData,
  contract: Contract,
  period: string,
  state: ReturnState,
): string | null {
  const month = periodLabel(period);
  if (state.state === 'locked') {
    const who = nameOf(reference, state.approval.by);
    return `The return for ${month} on contract ${contract.id} was approved by ${who} on ${dayWords(state.approval.at)}, so it is locked and cannot be changed. If it needs correcting, ask ${who} (or another manager of the contract) to reopen it, saying what you need to correct.`;
  }
  if (state.state === 'closed')
    return `Returns for ${month} on contract ${contract.id} closed on ${dayWords(state.closesOn)}, after the deadline of ${dayWords(state.deadline)}, so it cannot be changed. If it needs correcting, ask the contract's manager to reopen it, saying what you need to correct.`;
  return null;
}

/**
 * Refuses a change to a locked or closed return, before anything is written.
 *
 * @throws IngestRefusedError `locked` or `closed`, naming who approved it and how to ask for it to be reopened.
 */
export async function assertReturnOpen(
  store: ObjectStore,
  reference: ReferenceData,
  userId: string,
  contractId: string,
  period: string,
  now: Date,
): Promise<void> {
  const contract = reference.contracts.find((c) => c.id === contractId);
  if (!contract || !periodSchema.safeParse(period).success) return;
  const state = await returnStateOf(store, reference, contract, period, now);
  const message = lockedMessage(reference, contract, period, state);
  if (message && state.state !== 'open')
    throw new IngestRefusedError(state.state, message, userId, contractId);
}

export class ReopenRefusedError extends OutturnError {
  constructor(
    readonly reason: 'invalid' | 'open',
    message: string,
  ) {
    super(reason === 'invalid' ? 'bad-input' : 'conflict', message);
    this.name = 'ReopenRefusedError';
  }
}

/** The reason as given, or what to say about it. */
export function checkReason(
  reason: unknown,
): { ok: true; reason: string } | { ok: false; error: string } {
  const text = typeof reason === 'string' ? reason.replace(/\r\n?/g, '\n').trim() : '';
  if (text === '')
    return { ok: false, error: 'Enter why you are reopening the return: the provider sees it' };
  if (text.length > REASON_MAX)
    return { ok: false, error: `The reason must be ${REASON_MAX} characters or fewer` };
  return { ok: true, reason: text };
}

/**
 * Reopens a locked or closed month of a contract's returns; whether the caller may is the
 * route's check (pipelines/access `review-contract`).
 *
 * @throws ReopenRefusedError when the reason is missing or the return is open already.
 * @example await reopenReturn(store, reference, { contract, period: '2025-04', reason: 'Row 12 start date was wrong', by: 'cm-north' }, now)
 */
export async function reopenReturn(
  store: ObjectStore,
  reference: ReferenceData,
  input: { contract: Contract; period: string; reason: unknown; by: string },
  now: Date,
): Promise<Reopening> {
  const checked = checkReason(input.reason);
  if (!checked.ok) throw new ReopenRefusedError('invalid', checked.error);
  if (!periodSchema.safeParse(input.period).success)
    throw new ReopenRefusedError('invalid', `"${input.period}" is not a month: give it as YYYY-MM`);
  const state = await returnStateOf(store, reference, input.contract, input.period, now);
  if (state.state === 'open')
    throw new ReopenRefusedError(
      'open',
      `The return for ${periodLabel(input.period)} on contract ${input.contract.id} is open already: the provider can send a new one.`,
    );
  for (let attempt = 0; attempt < 10; attempt++) {
    const reopening = reopeningSchema.parse({
      contract_id: input.contract.id,
      period: input.period,
      reason: checked.reason,
      by: input.by,
      at: new Date(now.getTime() + attempt).toISOString(),
      reopened: state.state,
    });
    if (
      await store.putIfAbsent(reopeningKey(reopening), JSON.stringify(reopening, null, 2) + '\n', {
        contentType: 'application/json',
      })
    )
      return reopening;
  }
  throw new ReopenRefusedError('open', 'Someone else reopened this return at the same moment.');
}
