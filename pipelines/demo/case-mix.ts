/**
 * Who is referred: the distributions of the breakdown fields (engagement, benefit, claimant
 * group, condition, sex, age band, deprivation, referral source, work status at referral) for
 * each programme, tilted per contract and area so that providers differ a little, as they do.
 */
import type { Behaviour } from './behaviour.js';
import { PATHWAYS, type ProgrammeId } from './programmes.js';
import type { Weights } from './random.js';

export interface CaseMix {
  condition: Weights<string>;
  sex: Weights<string>;
  ageBand: Weights<string>;
  /** Deciles 1–10; `null` when the provider could not match the neighbourhood. */
  deprivation: Weights<number | null>;
  referralSource: Weights<string>;
  workStatusAtReferral: Weights<string>;
}

const conditions: Record<ProgrammeId, Weights<string>> = {
  plp: [
    ['mental_health', 0.4],
    ['musculoskeletal', 0.28],
    ['cardiovascular', 0.08],
    ['respiratory', 0.05],
    ['neurological', 0.05],
    ['gastrointestinal', 0.03],
    ['cancer', 0.02],
    ['other', 0.07],
    ['not_known', 0.02],
  ],
  vrs: [
    ['cancer', 0.34],
    ['mental_health', 0.15],
    ['musculoskeletal', 0.15],
    ['neurological', 0.15],
    ['gastrointestinal', 0.08],
    ['cardiovascular', 0.05],
    ['respiratory', 0.04],
    ['other', 0.03],
    ['not_known', 0.01],
  ],
};

const ageBands: Record<ProgrammeId, Weights<string>> = {
  plp: [
    ['16_24', 0.12],
    ['25_34', 0.2],
    ['35_49', 0.33],
    ['50_59', 0.25],
    ['60_64', 0.1],
  ],
  vrs: [
    ['16_24', 0.04],
    ['25_34', 0.14],
    ['35_49', 0.34],
    ['50_59', 0.33],
    ['60_64', 0.12],
    ['65_plus', 0.03],
  ],
};

const referralSources: Record<ProgrammeId, Weights<string>> = {
  plp: [
    ['jobcentre_plus', 0.85],
    ['gp', 0.04],
    ['self', 0.06],
    ['other', 0.05],
  ],
  vrs: [
    ['gp', 0.3],
    ['hospital', 0.3],
    ['employer', 0.2],
    ['self', 0.15],
    ['other', 0.05],
  ],
};

const workStatuses: Record<ProgrammeId, Weights<string>> = {
  plp: [
    ['unemployed', 0.84],
    ['off_sick', 0.1],
    ['at_work', 0.02],
    ['not_known', 0.04],
  ],
  vrs: [
    ['off_sick', 0.55],
    ['at_work', 0.33],
    ['unemployed', 0.12],
  ],
};

export function caseMix(
  programme: ProgrammeId,
  behaviour: Behaviour,
  deprivationMean: number,
): CaseMix {
  const deciles: [number | null, number][] = [];
  for (let d = 1; d <= 10; d++)
    deciles.push([d, Math.exp(-((d - deprivationMean) ** 2) / (2 * 2.5 ** 2))]);
  const total = deciles.reduce((s, [, w]) => s + w, 0);
  deciles.push([null, total * 0.04]);
  const f = behaviour.femaleShare;
  return {
    condition: conditions[programme].map(([c, w]) => [
      c,
      c === 'mental_health' ? w * behaviour.mentalHealthTilt : w,
    ]),
    sex: [
      ['female', f],
      ['male', 0.99 - f],
      ['other', 0.003],
      ['not_stated', 0.007],
    ],
    ageBand: ageBands[programme],
    deprivation: deciles,
    referralSource: referralSources[programme],
    workStatusAtReferral: workStatuses[programme],
  };
}

/** Benefit at referral, which follows engagement (Pathways) or work status (rehabilitation). */
export function benefitWeights(
  programme: ProgrammeId,
  mandatory: boolean,
  workStatus: string,
): Weights<string> {
  if (programme === PATHWAYS)
    return mandatory
      ? [
          ['esa', 0.84],
          ['income_support_incapacity', 0.05],
          ['incapacity_benefit', 0.03],
          ['none', 0.02],
          ['not_known', 0.06],
        ]
      : [
          ['incapacity_benefit', 0.35],
          ['esa', 0.4],
          ['income_support_incapacity', 0.12],
          ['none', 0.1],
          ['not_known', 0.03],
        ];
  if (workStatus === 'unemployed')
    return [
      ['esa', 0.7],
      ['none', 0.2],
      ['not_known', 0.1],
    ];
  if (workStatus === 'off_sick')
    return [
      ['none', 0.8],
      ['esa', 0.15],
      ['not_known', 0.05],
    ];
  return [
    ['none', 0.95],
    ['not_known', 0.05],
  ];
}

export function claimantGroupWeights(
  programme: ProgrammeId,
  mandatory: boolean,
  benefit: string,
): Weights<string | null> {
  if (programme === PATHWAYS)
    return mandatory
      ? [
          ['new', 0.72],
          ['repeat', 0.28],
        ]
      : [
          ['existing', 0.8],
          ['repeat', 0.15],
          ['new', 0.05],
        ];
  return benefit === 'esa'
    ? [
        ['existing', 0.6],
        ['new', 0.4],
      ]
    : [[null, 1]];
}
