/**
 * The deliberate imperfections DESIGN.md asks the demo to carry, so that every data-quality
 * view has something to find: a persistently late provider, a missing return, restated job
 * entry dates, resubmissions, rows that raise warnings and a participant id claimed under two
 * contracts in one area.
 *
 * Each is tied to a named contract and period; when the options leave that contract or
 * period out (fewer contracts, fewer months), the anomaly is simply not planted.
 */
import { isoDate } from '../calendar/days.js';
import { addMonths, periodEnd, periodStart, type Period } from '../calendar/periods.js';
import { isWorkingDay } from '../calendar/working-days.js';
import { drawId } from './ids.js';
import { NEVER, type SimulatedParticipant } from './participants.js';
import { derive, type Random } from './random.js';
import type { ContractPlan } from './plan.js';
import { LATE_PROVIDER } from './reference.js';

export const anomalyPlan = {
  /** Sends most returns after the deadline. */
  lateProvider: { provider_id: LATE_PROVIDER, lateShare: 0.8 },
  /** Every other provider is late now and then. */
  occasionalLateShare: 0.04,
  missingReturn: { contract_id: 'plp-swv-harbour', period: '2024-12' },
  /** Job entry dates reported late in the month of evidence, corrected in the next return. */
  restatement: {
    contract_id: 'plp-cak-bright',
    lastPeriodAsReported: '2024-09',
    firstPeriodCorrected: '2024-10',
    count: 4,
  },
  /** A first version extracted a few days before the period end, then a complete second version. */
  resubmissions: [
    { contract_id: 'plp-tws-step', period: '2025-02', daysShort: 7 },
    { contract_id: 'vrs-tae-tweed', period: '2025-06', daysShort: 4 },
  ],
  /** First contact recorded after the start date: a warning, not an error. */
  firstContactAfterStart: { contract_id: 'plp-led-thistle', referredIn: '2023-10', count: 5 },
  /** One person referred to both competing providers in Tyne and Wear South. */
  duplicate: { contract_ids: ['plp-tws-bright', 'plp-tws-step'], period: '2024-06' },
} as const;

export interface PlantedDuplicate {
  id: string;
  period: Period;
  referral: number;
  /** The same stream for both contracts, so both rows describe the same person. */
  rng: Random;
}

/** The double-claimed participant as it appears in `plan`'s caseload, or undefined. */
export function duplicateFor(
  plan: ContractPlan,
  plans: readonly ContractPlan[],
  seed: number,
): PlantedDuplicate | undefined {
  const d = anomalyPlan.duplicate;
  const index = (d.contract_ids as readonly string[]).indexOf(plan.contract.id);
  const first = plans.find((p) => p.contract.id === d.contract_ids[0]);
  if (index < 0 || !first || !plans.some((p) => p.contract.id === d.contract_ids[1]))
    return undefined;
  if (d.period < plan.contract.start_period || d.period > plan.contract.end_period)
    return undefined;
  const rng = derive(seed, 'duplicate');
  const id = drawId(first.idPrefix, rng);
  // A working day in the first half of the month; the second provider had the referral two working days later.
  let referral = nextWorkingDay(periodStart(d.period) + rng.int(0, 12));
  for (let i = 0; i < index * 2; i++) referral = nextWorkingDay(referral + 1);
  return { id, period: d.period, referral, rng: derive(seed, 'duplicate', 'journey') };
}

export interface Restated {
  participant_id: string;
  reported: string;
  corrected: string;
}

/** Gives a few job entries a later "reported" date in the returns up to the restatement. */
export function plantRestatements(
  plan: ContractPlan,
  participants: SimulatedParticipant[],
  seed: number,
): Restated[] {
  const r = anomalyPlan.restatement;
  if (plan.contract.id !== r.contract_id || plan.contract.end_period < r.firstPeriodCorrected)
    return [];
  const rng = derive(seed, 'restatement');
  const until = periodEnd(r.lastPeriodAsReported);
  const from = periodStart(addMonths(r.lastPeriodAsReported, -1));
  const out: Restated[] = [];
  for (const p of participants) {
    if (out.length === r.count) break;
    if (p.jobEntry < from || p.jobEntry >= until) continue;
    const reported = p.jobEntry + rng.int(7, 21);
    if (reported > until || reported >= p.exit) continue;
    p.reportedJobEntry = { day: reported, until };
    out.push({ participant_id: p.id, reported: isoDate(reported), corrected: isoDate(p.jobEntry) });
  }
  return out;
}

export interface WarningRow {
  participant_id: string;
  first_contact_date: string;
  start_date: string;
}

/** Moves a handful of first contacts to just after the start date. */
export function plantFirstContactsAfterStart(
  plan: ContractPlan,
  participants: SimulatedParticipant[],
  seed: number,
): WarningRow[] {
  const w = anomalyPlan.firstContactAfterStart;
  if (plan.contract.id !== w.contract_id || plan.contract.end_period < w.referredIn) return [];
  const rng = derive(seed, 'first-contact-after-start');
  const [first, last] = [periodStart(w.referredIn), periodEnd(w.referredIn)];
  const out: WarningRow[] = [];
  for (const p of participants) {
    if (out.length === w.count) break;
    if (p.referral < first || p.referral > last || p.start === NEVER || p.exit <= p.start + 30)
      continue;
    if (p.waiver !== NEVER || p.deferral !== NEVER) continue;
    p.firstContact = p.start + rng.int(1, 4);
    p.lastContact =
      p.firstContact + Math.floor((p.exit - p.firstContact) / p.contactEvery) * p.contactEvery;
    out.push({
      participant_id: p.id,
      first_contact_date: isoDate(p.firstContact),
      start_date: isoDate(p.start),
    });
  }
  return out;
}

/** The day a resubmitted return's first version was extracted, or undefined for an ordinary return. */
export function firstVersionAsAt(contractId: string, period: Period): number | undefined {
  const r = anomalyPlan.resubmissions.find(
    (x) => x.contract_id === contractId && x.period === period,
  );
  return r ? periodEnd(period) - r.daysShort : undefined;
}

function nextWorkingDay(day: number): number {
  while (!isWorkingDay(day)) day++;
  return day;
}
