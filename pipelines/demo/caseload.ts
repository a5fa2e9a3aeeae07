/**
 * Everyone referred to one contract over its term, in referral order: each month's referrals
 * run at the contract's share of its forecast, with some month-to-month noise, on working
 * days. Each contract has its own random streams, so one contract can be simulated alone.
 */
import { isoDate } from '../calendar/days.js';
import { periodEnd, periodStart, type Period } from '../calendar/periods.js';
import { isWorkingDay } from '../calendar/working-days.js';
import {
  duplicateFor,
  plantFirstContactsAfterStart,
  plantRestatements,
  type Restated,
  type WarningRow,
} from './anomalies.js';
import { caseMix } from './case-mix.js';
import { ParticipantIds } from './ids.js';
import { DEMO_PARTNERED, demoDeliveryPartner } from './partners.js';
import {
  simulateParticipant,
  type JourneyContext,
  type SimulatedParticipant,
} from './participants.js';
import { referralForecast } from './profiles.js';
import { clamp, derive, type Random } from './random.js';
import type { ContractPlan } from './plan.js';

export interface Caseload {
  plan: ContractPlan;
  /** In referral order. */
  participants: SimulatedParticipant[];
  restated: Restated[];
  firstContactsAfterStart: WarningRow[];
  duplicate?: { participant_id: string; referral_date: string };
}

export function simulateCaseload(
  plan: ContractPlan,
  plans: readonly ContractPlan[],
  seed: number,
  scale: number,
): Caseload {
  const id = plan.contract.id;
  const rng = derive(seed, 'caseload', id);
  const duplicate = duplicateFor(plan, plans, seed);
  const ids = new ParticipantIds(
    plan.idPrefix,
    derive(seed, 'ids', id),
    duplicate ? [duplicate.id] : [],
  );
  const ctx: JourneyContext = {
    programme: plan.programme,
    behaviour: plan.behaviour,
    mix: caseMix(plan.programme, plan.behaviour, plan.deprivationMean),
  };
  const participants: SimulatedParticipant[] = [];
  for (const [period, forecast] of referralForecast(plan, scale)) {
    const expected = forecast * plan.behaviour.referralRatio * clamp(rng.normal(1, 0.08), 0.7, 1.3);
    const days = referralDays(rng, period, rng.poisson(expected));
    // The planted participant goes first among that day's referrals.
    const planted =
      duplicate?.period === period ? days.findIndex((d) => d >= duplicate.referral) : -1;
    days.forEach((day, i) => {
      if (duplicate && i === planted)
        participants.push(
          simulateParticipant(duplicate.rng, ctx, duplicate.id, duplicate.referral, {
            entersWork: true,
          }),
        );
      participants.push(simulateParticipant(rng, ctx, ids.next(), day));
    });
    if (duplicate && planted < 0 && duplicate.period === period)
      participants.push(
        simulateParticipant(duplicate.rng, ctx, duplicate.id, duplicate.referral, {
          entersWork: true,
        }),
      );
  }
  if (id === DEMO_PARTNERED.contractId)
    for (const p of participants) p.deliveryPartner = demoDeliveryPartner(p.id);
  return {
    plan,
    participants,
    restated: plantRestatements(plan, participants, seed),
    firstContactsAfterStart: plantFirstContactsAfterStart(plan, participants, seed),
    ...(duplicate && {
      duplicate: { participant_id: duplicate.id, referral_date: isoDate(duplicate.referral) },
    }),
  };
}

/** `n` working days of the month, in order (several referrals may share a day). */
function referralDays(rng: Random, period: Period, n: number): number[] {
  const working: number[] = [];
  for (let d = periodStart(period); d <= periodEnd(period); d++)
    if (isWorkingDay(d)) working.push(d);
  const days: number[] = [];
  for (let i = 0; i < n; i++) days.push(rng.pick(working));
  return days.sort((a, b) => a - b);
}
