/**
 * How each demo contract performs in the simulation: its referral volume against profile,
 * waits, conversion rates and case mix. This is the demo's hidden "truth"; none of it is
 * reference data, and the dashboards should rediscover it from the returns.
 *
 * The defaults follow the programme evaluations quoted in DESIGN.md §2: referrals at 50–90%
 * of forecast, waits of 2–8 weeks to assessment, CMP drop-out 20–40%, 10–25% of starts into
 * work, 50–70% of job entries lasting 26 weeks, and for vocational rehabilitation about 38%
 * of off-sick clients back at work and 76% of at-risk workers kept in work.
 */
import type { instrumentCodes } from '../returns/fields.js';
import { PATHWAYS, type ProgrammeId } from './programmes.js';
import { clamp, type Random, type Weights } from './random.js';

export type InstrumentCode = (typeof instrumentCodes)[number]['code'];

export interface Behaviour {
  /** Actual referrals as a share of the referral profile. */
  referralRatio: number;
  firstContactMedianDays: number;
  /** Median days from referral to start (initial interview or assessment). */
  startWaitMedianDays: number;
  /** Share of those contacted who start. */
  startRate: number;
  /** Share of referrals for whom taking part is a condition of benefit (Pathways only). */
  mandatoryShare: number;
  /** Shares of mandatory referrals whose interview is waived or deferred. */
  waiverRate: number;
  deferralRate: number;
  /** Share of starters referred to the Condition Management Programme (before case-mix tilt). */
  cmpReferralRate: number;
  cmpStartRate: number;
  /** Share of CMP starters who complete: 1 − drop-out. */
  cmpCompletionRate: number;
  /** Share of starters not in work at referral who enter work. */
  jobEntryRate: number;
  /** Vocational rehabilitation: share of off-sick starters who return to work. */
  returnToWorkRate: number;
  /** Vocational rehabilitation: share of at-risk workers who stay in work. */
  stayInWorkRate: number;
  /** Share of job entries lasting 26 weeks. */
  sustain26Rate: number;
  /** Multiplies the weight of mental health in the condition mix. */
  mentalHealthTilt: number;
  femaleShare: number;
  /** Support tiers 1–3 given at the start. */
  tierWeights: Weights<number>;
  /** The distance-travelled instrument; `by_condition` picks one per participant. */
  instrument: InstrumentCode | 'by_condition';
}

const pathwaysDefaults: Behaviour = {
  referralRatio: 0.75,
  firstContactMedianDays: 3,
  startWaitMedianDays: 24,
  startRate: 0.86,
  mandatoryShare: 0.62,
  waiverRate: 0.018,
  deferralRate: 0.022,
  cmpReferralRate: 0.34,
  cmpStartRate: 0.85,
  cmpCompletionRate: 0.7,
  jobEntryRate: 0.19,
  returnToWorkRate: 0.3,
  stayInWorkRate: 0.6,
  sustain26Rate: 0.6,
  mentalHealthTilt: 1,
  femaleShare: 0.44,
  tierWeights: [
    [1, 0.2],
    [2, 0.5],
    [3, 0.3],
  ],
  instrument: 'provider_questionnaire',
};

const vocationalRehabDefaults: Behaviour = {
  ...pathwaysDefaults,
  firstContactMedianDays: 2,
  startWaitMedianDays: 10,
  startRate: 0.9,
  mandatoryShare: 0,
  waiverRate: 0,
  deferralRate: 0,
  cmpReferralRate: 0,
  jobEntryRate: 0.16,
  returnToWorkRate: 0.42,
  stayInWorkRate: 0.78,
  sustain26Rate: 0.62,
  femaleShare: 0.58,
  tierWeights: [
    [1, 0.15],
    [2, 0.45],
    [3, 0.4],
  ],
  instrument: 'by_condition',
};

export function programmeDefaults(programme: ProgrammeId): Behaviour {
  return programme === PATHWAYS ? pathwaysDefaults : vocationalRehabDefaults;
}

/** The named demo contracts' characters, each a little different from its programme's default. */
export const contractCharacters: Record<string, Partial<Behaviour>> = {
  'plp-tws-bright': {
    referralRatio: 0.78,
    startWaitMedianDays: 22,
    jobEntryRate: 0.2,
    mentalHealthTilt: 1.1,
  },
  'plp-tws-step': {
    referralRatio: 0.62,
    firstContactMedianDays: 2,
    startWaitMedianDays: 19,
    jobEntryRate: 0.16,
    sustain26Rate: 0.66,
    instrument: 'eq5d_vas',
    tierWeights: [
      [1, 0.1],
      [2, 0.45],
      [3, 0.45],
    ],
  },
  // Well above profile, and slow to see people as a result.
  'plp-gme-kestrel': {
    referralRatio: 1.15,
    firstContactMedianDays: 5,
    startWaitMedianDays: 33,
    jobEntryRate: 0.23,
    sustain26Rate: 0.54,
    cmpCompletionRate: 0.62,
  },
  'plp-gme-meridian': {
    referralRatio: 0.7,
    startWaitMedianDays: 27,
    jobEntryRate: 0.14,
    waiverRate: 0.055,
    deferralRate: 0.06,
    instrument: 'hads_anxiety',
    mentalHealthTilt: 1.25,
  },
  'plp-cak-bright': {
    referralRatio: 0.85,
    startWaitMedianDays: 21,
    jobEntryRate: 0.21,
    cmpReferralRate: 0.4,
  },
  'plp-swv-harbour': {
    referralRatio: 0.55,
    firstContactMedianDays: 2.5,
    startWaitMedianDays: 18,
    jobEntryRate: 0.17,
    sustain26Rate: 0.68,
    cmpCompletionRate: 0.78,
    instrument: 'eq5d_vas',
  },
  'plp-bsol-meridian': {
    referralRatio: 0.66,
    startWaitMedianDays: 30,
    jobEntryRate: 0.13,
    cmpCompletionRate: 0.6,
    instrument: 'hads_depression',
    mentalHealthTilt: 1.2,
  },
  'plp-led-thistle': {
    referralRatio: 0.9,
    startWaitMedianDays: 25,
    jobEntryRate: 0.18,
    instrument: 'copm_performance',
    tierWeights: [
      [1, 0.25],
      [2, 0.5],
      [3, 0.25],
    ],
  },
  'vrs-cak-calder': {
    referralRatio: 0.8,
    startWaitMedianDays: 9,
    returnToWorkRate: 0.44,
    stayInWorkRate: 0.8,
  },
  'vrs-swv-severn': {
    referralRatio: 0.58,
    startWaitMedianDays: 13,
    returnToWorkRate: 0.37,
    stayInWorkRate: 0.74,
  },
  'vrs-tae-tweed': {
    referralRatio: 0.88,
    startWaitMedianDays: 8,
    returnToWorkRate: 0.45,
    stayInWorkRate: 0.8,
  },
  'vrs-kmb-kirkmoor': {
    referralRatio: 0.72,
    startWaitMedianDays: 14,
    returnToWorkRate: 0.39,
    stayInWorkRate: 0.76,
    femaleShare: 0.52,
  },
};

export function namedBehaviour(programme: ProgrammeId, contractId: string): Behaviour {
  return { ...programmeDefaults(programme), ...contractCharacters[contractId] };
}

/** A character for a generated (benchmark-only) contract, drawn around the programme default. */
export function drawnBehaviour(programme: ProgrammeId, rng: Random): Behaviour {
  const d = programmeDefaults(programme);
  const around = (x: number, spread: number, min: number, max: number) =>
    clamp(x * (1 + rng.normal(0, spread)), min, max);
  return {
    ...d,
    referralRatio: around(d.referralRatio, 0.15, 0.5, 1.15),
    firstContactMedianDays: around(d.firstContactMedianDays, 0.3, 1, 6),
    startWaitMedianDays: around(d.startWaitMedianDays, 0.2, 7, 35),
    jobEntryRate: around(d.jobEntryRate, 0.15, 0.11, 0.25),
    sustain26Rate: around(d.sustain26Rate, 0.08, 0.5, 0.7),
    returnToWorkRate: around(d.returnToWorkRate, 0.1, 0.3, 0.5),
    stayInWorkRate: around(d.stayInWorkRate, 0.05, 0.7, 0.85),
    cmpCompletionRate: around(d.cmpCompletionRate, 0.08, 0.6, 0.8),
    mentalHealthTilt: around(1, 0.15, 0.7, 1.4),
  };
}
