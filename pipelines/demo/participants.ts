/**
 * One participant's whole journey, simulated from referral to follow-up, with every milestone
 * as a day number (`NEVER` when it is never reached). Dates may run past the end of the
 * contract: a snapshot shows only what had happened by its period end, which is how
 * censoring arises naturally.
 *
 * The journey keeps the order a return must keep (DESIGN.md §2): nothing before the referral,
 * start after first contact, CMP referral → start → completion, sustained dates at least 91
 * and 182 days after the job entry, exit after everything but the sustained dates, and the
 * follow-up about six months after exit.
 */
import type { Behaviour, InstrumentCode } from './behaviour.js';
import { benefitWeights, claimantGroupWeights, type CaseMix } from './case-mix.js';
import { PATHWAYS, type ProgrammeId } from './programmes.js';
import { clamp, type Random, type Weights } from './random.js';

/** The day number of a milestone that is never reached: later than any period end. */
export const NEVER = Number.POSITIVE_INFINITY;

export interface SimulatedParticipant {
  id: string;
  /** The programme of the contract: which deprivation index and reasons for referral apply. */
  programme: ProgrammeId;
  /** The delivery partner supporting them, on the partnered contract only (ADR 042). */
  deliveryPartner?: string | null;
  referral: number;
  referralSource: string;
  engagement: 'mandatory' | 'voluntary';
  benefit: string;
  claimantGroup: string | null;
  condition: string;
  sex: string;
  ageBand: string;
  deprivationDecile: number | null;
  /** Given at the start; reported once the start is. */
  supportTier: number;
  workStatusAtReferral: string;
  firstContact: number;
  start: number;
  waiver: number;
  deferral: number;
  /** Days of each failure to attend and each sanction request, in order. */
  failedToAttend: number[];
  sanctionRequests: number[];
  /** Contacts run every `contactEvery` days from the first contact until the last one. */
  contactEvery: number;
  lastContact: number;
  cmpReferral: number;
  cmpStart: number;
  cmpCompletion: number;
  jobEntry: number;
  sustained13: number;
  sustained26: number;
  exit: number;
  exitReason: string;
  workStatusAtExit: string;
  followUp: number;
  workStatusAtFollowUp: string | null;
  /** Reported with the baseline score once the participant has started. */
  instrument: string | null;
  baselineScore: number | null;
  /** Reported once the participant has exited. */
  exitScore: number | null;
  /** A job entry date the provider first reported and later corrected (see anomalies.ts). */
  reportedJobEntry?: { day: number; until: number };
}

export interface JourneyContext {
  programme: ProgrammeId;
  behaviour: Behaviour;
  mix: CaseMix;
}

export interface JourneyOverrides {
  /** Force a start and a job entry (the planted double-claimed participant). */
  entersWork?: boolean;
}

const days = (x: number) => Math.round(x);

export function simulateParticipant(
  rng: Random,
  ctx: JourneyContext,
  id: string,
  referral: number,
  overrides: JourneyOverrides = {},
): SimulatedParticipant {
  const b = ctx.behaviour;
  const pathways = ctx.programme === PATHWAYS;
  const mandatory = pathways && rng.bernoulli(b.mandatoryShare);
  const workStatusAtReferral = rng.weighted(ctx.mix.workStatusAtReferral);
  const benefit = rng.weighted(benefitWeights(ctx.programme, mandatory, workStatusAtReferral));
  const condition = rng.weighted(ctx.mix.condition);
  let referralSource = rng.weighted(ctx.mix.referralSource);
  if (referralSource === 'employer' && workStatusAtReferral === 'unemployed')
    referralSource = 'self';

  const p: SimulatedParticipant = {
    id,
    programme: ctx.programme,
    referral,
    referralSource,
    engagement: mandatory ? 'mandatory' : 'voluntary',
    benefit,
    claimantGroup: rng.weighted(claimantGroupWeights(ctx.programme, mandatory, benefit)),
    condition,
    sex: rng.weighted(ctx.mix.sex),
    ageBand: rng.weighted(ctx.mix.ageBand),
    deprivationDecile: rng.weighted(ctx.mix.deprivation),
    supportTier: rng.weighted(b.tierWeights),
    workStatusAtReferral,
    firstContact: NEVER,
    start: NEVER,
    waiver: NEVER,
    deferral: NEVER,
    failedToAttend: [],
    sanctionRequests: [],
    contactEvery: pathways ? rng.int(10, 21) : rng.int(7, 14),
    lastContact: NEVER,
    cmpReferral: NEVER,
    cmpStart: NEVER,
    cmpCompletion: NEVER,
    jobEntry: NEVER,
    sustained13: NEVER,
    sustained26: NEVER,
    exit: NEVER,
    exitReason: 'other',
    workStatusAtExit: 'not_known',
    followUp: NEVER,
    workStatusAtFollowUp: null,
    instrument: null,
    baselineScore: null,
    exitScore: null,
  };

  // First contact: usually within days; a few are never reached.
  if (overrides.entersWork || rng.bernoulli(0.97))
    p.firstContact = referral + clamp(days(rng.lognormal(b.firstContactMedianDays, 0.8)), 0, 60);
  const contacted = p.firstContact !== NEVER;

  // Waivers and deferrals apply to mandatory interviews only.
  let deferredBy = 0;
  if (mandatory && contacted && !overrides.entersWork) {
    const u = rng.next();
    if (u < b.waiverRate) p.waiver = p.firstContact + rng.int(0, 14);
    else if (u < b.waiverRate + b.deferralRate) {
      p.deferral = p.firstContact + rng.int(0, 10);
      deferredBy = rng.int(28, 90);
    }
  }

  if (contacted && p.waiver === NEVER && (overrides.entersWork || rng.bernoulli(b.startRate))) {
    const wait = pathways
      ? clamp(days(rng.lognormal(b.startWaitMedianDays, 0.35)), 10, 70)
      : clamp(days(rng.lognormal(b.startWaitMedianDays, 0.45)), 1, 60);
    p.start = Math.max(referral + wait, p.firstContact + rng.int(1, 5)) + deferredBy;
    if (p.deferral !== NEVER) p.start = Math.max(p.start, p.deferral + 14);
  }
  const started = p.start !== NEVER;

  if (started && pathways && rng.bernoulli(cmpReferralRate(b, condition))) {
    p.cmpReferral = p.start + rng.int(0, 28);
    if (rng.bernoulli(b.cmpStartRate)) {
      p.cmpStart = p.cmpReferral + clamp(days(rng.lognormal(14, 0.5)), 3, 60);
      if (rng.bernoulli(b.cmpCompletionRate)) p.cmpCompletion = p.cmpStart + rng.int(42, 98);
    }
  }

  if (started) outcome(rng, ctx, p, overrides);
  else leaveWithoutStarting(rng, p);
  // Exit comes after every milestone but the sustained dates, which are tracked after exit.
  p.exit = Math.max(p.exit, latestBeforeExit(p));

  if (p.jobEntry !== NEVER) {
    const u = rng.next();
    if (u < b.sustain26Rate || overrides.entersWork) {
      p.sustained13 = p.jobEntry + 91 + rng.int(0, 10);
      p.sustained26 = p.jobEntry + 182 + rng.int(0, 14);
    } else if (u < b.sustain26Rate + (1 - b.sustain26Rate) * 0.45)
      p.sustained13 = p.jobEntry + 91 + rng.int(0, 10);
  }

  followUp(rng, p);
  engagementCounts(rng, p, mandatory);
  distanceTravelled(rng, ctx, p);
  return p;
}

function cmpReferralRate(b: Behaviour, condition: string): number {
  const tilt = condition === 'mental_health' || condition === 'musculoskeletal' ? 1.3 : 0.6;
  return clamp(b.cmpReferralRate * tilt, 0, 0.9);
}

/** The latest milestone that must not come after the exit. */
function latestBeforeExit(p: SimulatedParticipant): number {
  let latest = p.referral;
  for (const d of [
    p.firstContact,
    p.start,
    p.waiver,
    p.deferral,
    p.cmpReferral,
    p.cmpStart,
    p.cmpCompletion,
    p.jobEntry,
  ])
    if (d !== NEVER && d > latest) latest = d;
  return latest + 1;
}

function leaveWithoutStarting(rng: Random, p: SimulatedParticipant): void {
  if (p.waiver !== NEVER) {
    p.exit = p.waiver + rng.int(0, 14);
    p.exitReason = 'other';
    p.workStatusAtExit = rng.weighted([
      ['unemployed', 0.8],
      ['not_known', 0.2],
    ]);
    return;
  }
  p.exit = p.referral + rng.int(30, 120);
  p.exitReason = rng.weighted([
    ['withdrew', 0.5],
    ['ill_health', 0.2],
    ['moved_away', 0.1],
    ['transferred', 0.1],
    ['other', 0.1],
  ]);
  p.workStatusAtExit = rng.bernoulli(0.6) ? p.workStatusAtReferral : 'not_known';
}

const endedWithoutWork: Weights<string> = [
  ['completed', 0.4],
  ['withdrew', 0.25],
  ['ill_health', 0.14],
  ['transferred', 0.08],
  ['moved_away', 0.05],
  ['deceased', 0.01],
  ['other', 0.07],
];

function statusAfter(rng: Random, reason: string, unemployed: Weights<string>): string {
  if (reason === 'deceased') return 'deceased';
  if (reason === 'completed')
    return rng.weighted([
      ['unemployed', 0.75],
      ['education', 0.1],
      ['volunteering', 0.1],
      ['not_known', 0.05],
    ]);
  return rng.weighted(unemployed);
}

/** What happens after the start: into work, back to work, staying in work, or not. */
function outcome(
  rng: Random,
  ctx: JourneyContext,
  p: SimulatedParticipant,
  overrides: JourneyOverrides,
): void {
  const b = ctx.behaviour;
  const afterStart = (median: number, min: number, max: number) =>
    p.start + clamp(days(rng.lognormal(median, 0.6)), min, max);
  const inWork = p.workStatusAtReferral === 'at_work' || p.workStatusAtReferral === 'off_sick';

  if (ctx.programme !== PATHWAYS && inWork) {
    if (p.workStatusAtReferral === 'off_sick') {
      if (rng.bernoulli(b.returnToWorkRate)) {
        p.jobEntry = afterStart(60, 7, 365);
        p.exit = p.jobEntry + rng.int(14, 70);
        p.exitReason = 'stayed_in_work';
        p.workStatusAtExit = 'at_work';
        return;
      }
      p.exit = p.start + clamp(days(rng.lognormal(150, 0.45)), 21, 540);
      p.exitReason = rng.weighted([
        ['completed', 0.35],
        ['ill_health', 0.25],
        ['withdrew', 0.15],
        ['deceased', 0.04],
        ['transferred', 0.08],
        ['other', 0.13],
      ]);
      p.workStatusAtExit =
        p.exitReason === 'deceased'
          ? 'deceased'
          : rng.weighted([
              ['off_sick', 0.45],
              ['unemployed', 0.3],
              ['retired', 0.15],
              ['not_known', 0.1],
            ]);
      return;
    }
    p.exit = p.start + clamp(days(rng.lognormal(120, 0.45)), 21, 540);
    if (rng.bernoulli(b.stayInWorkRate)) {
      p.exitReason = 'stayed_in_work';
      p.workStatusAtExit = 'at_work';
    } else {
      p.exitReason = rng.weighted([
        ['ill_health', 0.5],
        ['completed', 0.3],
        ['withdrew', 0.2],
      ]);
      p.workStatusAtExit = rng.weighted([
        ['off_sick', 0.55],
        ['unemployed', 0.3],
        ['retired', 0.15],
      ]);
    }
    return;
  }

  if (overrides.entersWork || rng.bernoulli(jobEntryRate(ctx, p))) {
    p.jobEntry = afterStart(120, 14, 600);
    if (p.cmpStart !== NEVER && p.jobEntry <= p.cmpStart) p.jobEntry = p.cmpStart + rng.int(7, 30);
    p.exit = p.jobEntry + rng.int(7, 56);
    p.exitReason = 'entered_work';
    p.workStatusAtExit = 'at_work';
    return;
  }
  p.exit = p.start + clamp(days(rng.lognormal(190, 0.45)), 30, 600);
  p.exitReason = rng.weighted(endedWithoutWork);
  p.workStatusAtExit = statusAfter(rng, p.exitReason, [
    ['unemployed', 0.85],
    ['not_known', 0.15],
  ]);
}

/** The chance of entering work, tilted by condition, age, support tier and CMP completion. */
function jobEntryRate(ctx: JourneyContext, p: SimulatedParticipant): number {
  let r = ctx.behaviour.jobEntryRate;
  if (p.condition === 'mental_health') r *= 0.85;
  else if (p.condition === 'musculoskeletal') r *= 1.1;
  if (p.ageBand === '16_24' || p.ageBand === '25_34') r *= 1.15;
  else if (p.ageBand === '60_64' || p.ageBand === '65_plus') r *= 0.7;
  if (p.supportTier === 1) r *= 1.2;
  else if (p.supportTier === 3) r *= 0.85;
  if (p.cmpCompletion !== NEVER) r *= 1.25;
  return clamp(r, 0, 0.9);
}

function followUp(rng: Random, p: SimulatedParticipant): void {
  if (p.exitReason === 'deceased' || p.firstContact === NEVER || !rng.bernoulli(0.7)) return;
  p.followUp = p.exit + clamp(days(rng.normal(182, 12)), 150, 230);
  if (p.workStatusAtExit === 'at_work')
    p.workStatusAtFollowUp =
      p.sustained26 !== NEVER
        ? rng.weighted([
            ['at_work', 0.93],
            ['off_sick', 0.03],
            ['not_known', 0.04],
          ])
        : rng.weighted([
            ['at_work', 0.45],
            ['unemployed', 0.35],
            ['off_sick', 0.1],
            ['not_known', 0.1],
          ]);
  else if (p.workStatusAtExit === 'off_sick')
    p.workStatusAtFollowUp = rng.weighted([
      ['at_work', 0.25],
      ['off_sick', 0.35],
      ['unemployed', 0.25],
      ['retired', 0.1],
      ['not_known', 0.05],
    ]);
  else
    p.workStatusAtFollowUp = rng.weighted([
      ['at_work', 0.12],
      ['unemployed', 0.66],
      ['education', 0.05],
      ['volunteering', 0.05],
      ['retired', 0.04],
      ['not_known', 0.08],
    ]);
}

/** Failures to attend, sanction requests (mandatory only) and the run of contacts, up to exit. */
function engagementCounts(rng: Random, p: SimulatedParticipant, mandatory: boolean): void {
  if (p.firstContact === NEVER) return;
  p.lastContact =
    p.firstContact + Math.floor((p.exit - p.firstContact) / p.contactEvery) * p.contactEvery;
  const misses = Math.min(rng.poisson(mandatory ? 0.9 : 0.5), 6);
  for (let i = 0; i < misses; i++) p.failedToAttend.push(rng.int(p.firstContact, p.exit));
  p.failedToAttend.sort((a, b) => a - b);
  if (mandatory)
    for (const miss of p.failedToAttend)
      if (rng.bernoulli(0.3)) p.sanctionRequests.push(Math.min(miss + rng.int(1, 10), p.exit));
}

function instrumentFor(rng: Random, ctx: JourneyContext, condition: string): InstrumentCode {
  const chosen = ctx.behaviour.instrument;
  if (chosen !== 'by_condition') return chosen;
  if (condition === 'mental_health') return rng.bernoulli(0.5) ? 'hads_anxiety' : 'hads_depression';
  if (condition === 'neurological' || condition === 'musculoskeletal') return 'copm_performance';
  return 'eq5d_vas';
}

/** Baseline and exit scores on the instrument's own scale, improving on average. */
function distanceTravelled(rng: Random, ctx: JourneyContext, p: SimulatedParticipant): void {
  if (p.start === NEVER || rng.bernoulli(0.1)) return;
  const instrument = instrumentFor(rng, ctx, p.condition);
  const gain = p.jobEntry !== NEVER || p.exitReason === 'stayed_in_work' ? 1.4 : 1;
  let baseline: number;
  let change: number;
  let round = (x: number) => Math.round(x);
  let range: [number, number] = [0, 100];
  switch (instrument) {
    case 'hads_anxiety':
    case 'hads_depression':
      range = [0, 21];
      baseline = rng.normal(11, 4);
      change = -rng.normal(3 * gain, 3);
      break;
    case 'eq5d_vas':
      baseline = rng.normal(52, 18);
      change = rng.normal(9 * gain, 12);
      break;
    case 'copm_performance':
      range = [1, 10];
      round = (x) => Math.round(x * 10) / 10;
      baseline = rng.normal(4.2, 1.5);
      change = rng.normal(1.8 * gain, 1.5);
      break;
    case 'provider_questionnaire':
      baseline = rng.normal(45, 15);
      change = rng.normal(8 * gain, 12);
      break;
  }
  p.instrument = instrument;
  p.baselineScore = round(clamp(baseline, range[0], range[1]));
  if (rng.bernoulli(0.75)) p.exitScore = round(clamp(p.baselineScore + change, range[0], range[1]));
}
