/**
 * Rules that look across the fields of one participant's row: milestones in a possible order,
 * values that need a companion, scores inside their instrument's range. Kept as data so the
 * rules read as a list and the data dictionary can print them.
 */
import {
  instrumentCodes,
  type MilestoneFieldName,
  type ParticipantFieldName,
} from '../returns/fields.js';

export interface OrderRule {
  later: MilestoneFieldName;
  earlier: MilestoneFieldName;
  /** The later date must be at least this many days after the earlier one. */
  minDays: number;
  /** The later date cannot be given without the earlier one. */
  needsEarlier: boolean;
  fix: string;
}

const afterReferral = (later: MilestoneFieldName, what: string): OrderRule => ({
  later,
  earlier: 'referral_date',
  minDays: 0,
  needsEarlier: false,
  fix: `Check both dates: ${what} cannot come before the referral.`,
});

export const orderRules: readonly OrderRule[] = [
  afterReferral('first_contact_date', 'first contact'),
  afterReferral('start_date', 'the start'),
  afterReferral('waiver_date', 'a waiver'),
  afterReferral('deferral_date', 'a deferral'),
  afterReferral('cmp_referral_date', 'a CMP referral'),
  afterReferral('job_entry_date', 'a job entry'),
  afterReferral('exit_date', 'the exit'),
  {
    later: 'cmp_start_date',
    earlier: 'cmp_referral_date',
    minDays: 0,
    needsEarlier: true,
    fix: 'A participant must be referred to the CMP before starting it: check both dates, or add the CMP referral date.',
  },
  {
    later: 'cmp_completion_date',
    earlier: 'cmp_start_date',
    minDays: 0,
    needsEarlier: true,
    fix: 'A participant must start the CMP before completing it: check both dates, or add the CMP start date.',
  },
  {
    later: 'sustained_13_weeks_date',
    earlier: 'job_entry_date',
    minDays: 91,
    needsEarlier: true,
    fix: 'A job is sustained for 13 weeks at least 91 days after the job entry: check both dates, or add the job entry date.',
  },
  {
    later: 'sustained_26_weeks_date',
    earlier: 'job_entry_date',
    minDays: 182,
    needsEarlier: true,
    fix: 'A job is sustained for 26 weeks at least 182 days after the job entry: check both dates, or add the job entry date.',
  },
  {
    later: 'follow_up_date',
    earlier: 'exit_date',
    minDays: 0,
    needsEarlier: true,
    fix: 'The follow-up comes after the participant leaves: check both dates, or add the exit date.',
  },
];

export interface CompanionRule {
  field: ParticipantFieldName;
  /** `field` may only be given when `needs` is given too. */
  needs: ParticipantFieldName;
  fix: string;
}

export const companionRules: readonly CompanionRule[] = [
  {
    field: 'exit_reason',
    needs: 'exit_date',
    fix: 'Add the exit date, or leave the exit reason blank until the participant leaves.',
  },
  {
    field: 'exit_date',
    needs: 'exit_reason',
    fix: 'Add the exit reason for everyone with an exit date.',
  },
  {
    field: 'work_status_at_exit',
    needs: 'exit_date',
    fix: 'Give the work status at exit only when there is an exit date.',
  },
  {
    field: 'work_status_at_follow_up',
    needs: 'follow_up_date',
    fix: 'Add the follow-up date, or leave the work status at follow-up blank.',
  },
  {
    field: 'baseline_score',
    needs: 'outcome_instrument',
    fix: 'Add the outcome instrument the score was measured on.',
  },
  {
    field: 'exit_score',
    needs: 'outcome_instrument',
    fix: 'Add the outcome instrument the score was measured on.',
  },
];

/** The age band (a code of `age_band`) an age in whole years at referral falls in. */
export const ageBands: readonly { code: string; from: number; to: number }[] = [
  { code: '16_24', from: 16, to: 24 },
  { code: '25_34', from: 25, to: 34 },
  { code: '35_49', from: 35, to: 49 },
  { code: '50_59', from: 50, to: 59 },
  { code: '60_64', from: 60, to: 64 },
  { code: '65_plus', from: 65, to: 999 },
];

export function ageBandOf(age: number): string {
  return ageBands.find((b) => age >= b.from && age <= b.to)!.code;
}

/** The SIMD decile a vigintile (5% band) falls in. */
export const simdDecileOf = (vigintile: number): number => Math.ceil(vigintile / 2);

/** The range of scores each outcome instrument allows. */
export const scoreRanges: ReadonlyMap<string, readonly [number, number]> = new Map(
  instrumentCodes.map((c) => [c.code, c.scoreRange]),
);

/** First contact this many days or more after referral is unusual enough to query. */
export const LONG_WAIT_DAYS = 90;
