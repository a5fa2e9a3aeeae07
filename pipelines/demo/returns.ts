/**
 * Monthly returns from a simulated caseload: the caseload snapshot "as at" a day (normally
 * the period end), one row per participant referred by then, showing only what had happened
 * by then. The columns are exactly the participant fields of fields.ts, in that order; every
 * field must have a column here or this file does not compile.
 */
import { isoDate } from '../calendar/days.js';
import { csvLine } from '../csv/write.js';
import { participantFields, type ParticipantFieldName } from '../returns/fields.js';
import type { Caseload } from './caseload.js';
import { NEVER, type SimulatedParticipant } from './participants.js';
import { PATHWAYS } from './programmes.js';

type Column = (p: SimulatedParticipant, asAt: number) => string | number | null;

const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) isoCache.set(day, (s = isoDate(day)));
  return s;
}

const dated = (day: number, asAt: number) => (day <= asAt ? iso(day) : null);

/** How many of the (sorted) days fall on or before `asAt`. */
function countUpTo(days: readonly number[], asAt: number): number {
  let n = 0;
  while (n < days.length && (days[n] ?? NEVER) <= asAt) n++;
  return n;
}

function contacts(p: SimulatedParticipant, asAt: number): number {
  if (p.firstContact > asAt) return 0;
  return 1 + Math.floor((Math.min(asAt, p.lastContact) - p.firstContact) / p.contactEvery);
}

/**
 * A stable number from a participant id, for the fields added with programme-defined measures
 * (ADR 024): drawn from the id rather than the random stream, so every other figure of the
 * demo stays as it was.
 */
function hashOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The vocational rehabilitation service is modelled on a Scottish pilot: its ranks are SIMD. */
const scottish = (p: SimulatedParticipant) => p.programme !== PATHWAYS;

const carer = (p: SimulatedParticipant) => scottish(p) && hashOf(p.id) % 50 === 7;

const bandAges: Record<string, [number, number]> = {
  '16_24': [18, 24],
  '25_34': [25, 34],
  '35_49': [35, 49],
  '50_59': [50, 59],
  '60_64': [60, 64],
  '65_plus': [65, 68],
};

function ageAtReferral(p: SimulatedParticipant): number | null {
  const [from, to] = bandAges[p.ageBand] ?? [35, 49];
  return from + (hashOf(p.id + ':age') % (to - from + 1));
}

function reasonForReferral(p: SimulatedParticipant): string {
  if (carer(p)) return 'third_party_illness';
  const h = hashOf(p.id + ':reason') % 20;
  switch (p.workStatusAtReferral) {
    case 'off_sick':
      return h < 17 ? 'back_to_work' : h < 19 ? 'change_job' : 'give_up_work';
    case 'at_work':
    case 'self_employed':
      return h < 14 ? 'remain_at_work' : h < 18 ? 'change_job' : 'give_up_work';
    case 'unemployed':
      return 'employability_support';
    default:
      return 'other';
  }
}

const columns: Record<ParticipantFieldName, Column> = {
  participant_id: (p) => p.id,
  referral_date: (p) => iso(p.referral),
  referral_source: (p) => p.referralSource,
  engagement: (p) => p.engagement,
  benefit: (p) => p.benefit,
  claimant_group: (p) => p.claimantGroup,
  primary_condition_group: (p) => p.condition,
  sex: (p) => p.sex,
  age_band: (p) => p.ageBand,
  age_at_referral: ageAtReferral,
  deprivation_decile: (p) => p.deprivationDecile,
  imd_decile: (p) => (scottish(p) ? null : p.deprivationDecile),
  simd_decile: (p) => (scottish(p) ? p.deprivationDecile : null),
  simd_vigintile: (p) =>
    scottish(p) && p.deprivationDecile !== null
      ? 2 * p.deprivationDecile - (hashOf(p.id) % 2)
      : null,
  wimd_decile: () => null,
  nimdm_decile: () => null,
  support_tier: (p, t) => (p.start <= t ? p.supportTier : null),
  delivery_partner: (p) => p.deliveryPartner ?? null,
  participant_type: (p) => (carer(p) ? 'carer_third_party' : 'client'),
  main_reason_for_referral: reasonForReferral,
  work_status_at_referral: (p) => p.workStatusAtReferral,
  first_contact_date: (p, t) => dated(p.firstContact, t),
  start_date: (p, t) => dated(p.start, t),
  waiver_date: (p, t) => dated(p.waiver, t),
  deferral_date: (p, t) => dated(p.deferral, t),
  failed_to_attend_count: (p, t) => countUpTo(p.failedToAttend, t),
  sanction_request_count: (p, t) =>
    p.engagement === 'mandatory' ? countUpTo(p.sanctionRequests, t) : null,
  contact_count: contacts,
  cmp_referral_date: (p, t) => dated(p.cmpReferral, t),
  cmp_start_date: (p, t) => dated(p.cmpStart, t),
  cmp_completion_date: (p, t) => dated(p.cmpCompletion, t),
  job_entry_date: (p, t) =>
    p.reportedJobEntry && t <= p.reportedJobEntry.until
      ? dated(p.reportedJobEntry.day, t)
      : dated(p.jobEntry, t),
  sustained_13_weeks_date: (p, t) => dated(p.sustained13, t),
  sustained_26_weeks_date: (p, t) => dated(p.sustained26, t),
  exit_date: (p, t) => dated(p.exit, t),
  exit_reason: (p, t) => (p.exit <= t ? p.exitReason : null),
  work_status_at_exit: (p, t) => (p.exit <= t ? p.workStatusAtExit : null),
  follow_up_date: (p, t) => dated(p.followUp, t),
  work_status_at_follow_up: (p, t) => (p.followUp <= t ? p.workStatusAtFollowUp : null),
  outcome_instrument: (p, t) => (p.start <= t ? p.instrument : null),
  baseline_score: (p, t) => (p.start <= t ? p.baselineScore : null),
  exit_score: (p, t) => (p.start <= t && p.exit <= t ? p.exitScore : null),
};

const orderedColumns = participantFields.map((f) => columns[f.name]);

/** The header line of every participant return. */
export const returnHeader = csvLine(participantFields.map((f) => f.name));

/**
 * One row. No demo value can hold a comma, quote or line break (ids are base 32, codes are
 * slugs, dates ISO, scores numbers), so cells are joined without csvCell's quoting check,
 * which was a quarter of the time of a large demo.
 */
export function snapshotLine(p: SimulatedParticipant, asAt: number): string {
  return orderedColumns.map((column) => column(p, asAt) ?? '').join(',') + '\r\n';
}

/** The day after which nothing in the participant's row changes any more. */
function settledOn(p: SimulatedParticipant): number {
  let last = p.referral;
  for (const d of [
    p.firstContact,
    p.start,
    p.waiver,
    p.deferral,
    p.lastContact,
    p.cmpReferral,
    p.cmpStart,
    p.cmpCompletion,
    p.jobEntry,
    p.sustained13,
    p.sustained26,
    p.exit,
    p.followUp,
    ...p.failedToAttend,
    ...p.sanctionRequests,
  ])
    if (d !== NEVER && d > last) last = d;
  if (p.reportedJobEntry) last = Math.max(last, p.reportedJobEntry.until + 1);
  return last;
}

/**
 * Renders the snapshots of one caseload. A participant's row stops changing once their last
 * milestone has passed; that final line is kept and reused by every later snapshot, which is
 * most of the work saved at large scales.
 */
export class SnapshotWriter {
  private readonly settled: Float64Array;
  private readonly finalLines: (string | undefined)[];

  constructor(private readonly caseload: Caseload) {
    this.settled = Float64Array.from(caseload.participants, settledOn);
    this.finalLines = new Array<string | undefined>(caseload.participants.length);
  }

  /** How many participants had been referred by `asAt`: the number of rows in that snapshot. */
  rowCount(asAt: number): number {
    const ps = this.caseload.participants;
    let lo = 0;
    let hi = ps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ps[mid]?.referral ?? NEVER) <= asAt) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The CSV text of the snapshot as at `asAt`, in chunks of about `chunkSize` characters. */
  *chunks(asAt: number, chunkSize = 1 << 20): Generator<string> {
    let chunk = returnHeader;
    const ps = this.caseload.participants;
    const rows = this.rowCount(asAt);
    for (let i = 0; i < rows; i++) {
      const p = ps[i] as SimulatedParticipant;
      chunk +=
        asAt >= (this.settled[i] ?? NEVER)
          ? (this.finalLines[i] ??= snapshotLine(p, asAt))
          : snapshotLine(p, asAt);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
}
