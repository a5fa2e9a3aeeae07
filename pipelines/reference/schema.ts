/**
 * Reference data: programmes (with their measures, standards and RAG thresholds), providers,
 * contracts and monthly profiles. Measures and standards live here, as data, so that a new
 * programme needs no code.
 */
import { z } from 'zod';
import { groupingSchema, journeyMeasuresSchema } from '../measures/schema.js';
import { milestoneFieldNames, type MilestoneFieldName } from '../returns/fields.js';
import { addMonths } from '../calendar/periods.js';
import { bankHolidayYears, coversYear, defaultNation, nations } from '../calendar/working-days.js';

export const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'Use lower-case letters, digits, hyphens and underscores, for example "plp-bham"',
  );

export const periodSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Give a month as YYYY-MM, for example 2025-04');

const milestone = z.enum(
  milestoneFieldNames as unknown as [MilestoneFieldName, ...MilestoneFieldName[]],
);
const rate = z.number().min(0).max(1);

export const measureSchema = z
  .object({
    id: slug,
    label: z.string().min(1),
    /** The month a participant counts in is the month of this milestone date. */
    milestone: milestone.optional(),
    /**
     * Or: a count measure of the programme's own (`journey_measures`, ADR 024), month by month
     * in the period of its date, so a profile and RAG can be set on any count, for example
     * "off sick when referred, at work at discharge".
     */
    journey_measure: slug.optional(),
    /** Whether the contract sets a monthly profile (target) for this measure. */
    profiled: z.boolean(),
  })
  .refine((m) => (m.milestone === undefined) !== (m.journey_measure === undefined), {
    message:
      'Give a measure either a milestone (for example "start_date") or a journey_measure (the id of one of the programme’s count measures), not both',
    path: ['milestone'],
  });

export const standardSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('within_days'),
    id: slug,
    label: z.string().min(1),
    from: milestone,
    to: milestone,
    days: z.number().int().positive(),
    /** The share of participants reaching `to` that must do so within `days` of `from`. */
    min_rate: rate,
  }),
  z.object({
    kind: z.literal('max_share'),
    id: slug,
    label: z.string().min(1),
    /** A participant counts in the numerator when any of these milestones is dated. */
    numerator: z.array(milestone).min(1),
    denominator: milestone,
    max_rate: rate,
  }),
  z.object({
    kind: z.literal('min_share'),
    id: slug,
    label: z.string().min(1),
    numerator: milestone,
    denominator: milestone,
    min_rate: rate,
  }),
]);

export const ragSchema = z
  .object({
    /** Outturn at or above this share of profile is green. */
    green_from: z.number().positive(),
    /** Outturn at or above this share (and below green) is amber; below it, red. */
    amber_from: z.number().positive(),
  })
  .refine((r) => r.amber_from < r.green_from, { message: 'amber_from must be below green_from' });

/**
 * How a month's referrals are checked against the contract's own figures (data_quality's
 * outliers; DHIS2 offers the same three beside its own-history rule). `own_history`, the default:
 * more than 3 standard deviations from the previous 6 months' mean, or above twice or below half
 * of it. `z_score`: |x − mean| ÷ standard deviation of the previous 6 months above `threshold`.
 * `modified_z`: 0.6745 × |x − median| ÷ median absolute deviation of the previous 6 months above
 * `threshold` (Iglewicz and Hoaglin). `min_max`: below `min` or above `max`, any month.
 */
export const outlierCheckSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('own_history') }),
  z.object({ method: z.literal('z_score'), threshold: z.number().positive().default(3) }),
  z.object({ method: z.literal('modified_z'), threshold: z.number().positive().default(3.5) }),
  z
    .object({
      method: z.literal('min_max'),
      min: z.number().int().min(0),
      max: z.number().int().min(0),
    })
    .refine((m) => m.min <= m.max, { message: 'min must not be above max' }),
]);

export type OutlierCheck = z.infer<typeof outlierCheckSchema>;

/** The outlier check of a programme that does not choose one. */
export const DEFAULT_OUTLIER_CHECK: OutlierCheck = { method: 'own_history' };
/** The windows performance against profile is measured over (issue 14, DWP's regime). */
export const regimeWindows = ['in_month', 'rolling_3', 'rolling_12', 'cumulative'] as const;

/** Each window in words, after "below profile": the level section's rule and the level notice. */
export const regimeWindowWords: Record<(typeof regimeWindows)[number], string> = {
  in_month: 'in the month',
  rolling_3: 'over the rolling 3 months',
  rolling_12: 'over the rolling 12 months',
  cumulative: 'to date',
};

/**
 * Intervention levels (ADR 039): the steps of escalation a contract moves through while it
 * stays below profile, and the rule that moves it. Each month a contract is judged on the
 * `window`'s share of profile of each of `measures` (every profiled measure when not said):
 * below `below` on any of them, it is below profile. `up_after` months below in a row move it
 * up one level; `down_after` months at or above in a row move it down one. A month with no
 * profile on any of them is not judged and breaks no run.
 */
export const interventionSchema = z
  .object({
    /** From the lowest (level 0, no intervention) up. */
    levels: z
      .array(z.object({ label: z.string().min(1), description: z.string().default('') }))
      .min(2, 'Give at least two levels: the first is "no intervention"'),
    measures: z.array(slug).min(1).optional(),
    window: z.enum(regimeWindows).default('rolling_3'),
    below: z.number().positive().max(2),
    up_after: z.number().int().min(1).max(12),
    down_after: z.number().int().min(1).max(12),
  })
  .strict();

/** The levels a programme has when it says none: DWP's regime in outline. */
export const DEFAULT_INTERVENTION: z.infer<typeof interventionSchema> = {
  levels: [
    { label: 'No intervention', description: 'Performance is managed in the monthly review.' },
    {
      label: 'Level 1: performance review',
      description:
        'The contract manager meets the provider to agree why performance is below profile.',
    },
    {
      label: 'Level 2: performance improvement plan',
      description:
        'The provider works to an improvement plan of actions, owners and dates, reviewed each month.',
    },
    {
      label: 'Level 3: formal notice',
      description: 'The commissioner may issue a formal notice under the contract.',
    },
  ],
  window: 'rolling_3',
  below: 0.9,
  up_after: 2,
  down_after: 3,
};

export const programmeSchema = z.object({
  id: slug,
  name: z.string().min(1),
  description: z.string().default(''),
  return_kind: z.enum(['participant', 'aggregate']),
  has_cmp: z.boolean(),
  measures: z.array(measureSchema).min(1),
  standards: z.array(standardSchema),
  rag: ragSchema,
  /** The month (1 to 12) the programme's own year starts in; 4 (April) when not said. */
  year_start_month: z.number().int().min(1).max(12).optional(),
  /** Measures over the participant-journey table (ADR 024): every kind, any filter, any breakdown. */
  journey_measures: journeyMeasuresSchema.optional(),
  /** Breakdowns the programme defines as groups of participants (for example the 15% most deprived). */
  groupings: z.array(groupingSchema).optional(),
  /**
   * A month's returns close this many calendar days after their deadline: uploads are then
   * refused until the contract manager reopens the return (ADR 032). Null: they never close.
   * When not said, DEFAULT_CLOSE_AFTER_DAYS.
   */
  returns_close_after_days: z.number().int().min(0).max(366).nullable().optional(),
  /**
   * Providers are reminded of a return this many working days before its deadline (ADR 025).
   * When not said, DEFAULT_REMINDER_WORKING_DAYS.
   */
  reminder_working_days: z.number().int().min(1).max(20).optional(),
  /** How monthly referrals are checked for outliers (outlierCheckSchema); DEFAULT_OUTLIER_CHECK when not said. */
  outlier_check: outlierCheckSchema.optional(),
  /** Intervention levels and the rule that moves a contract between them (ADR 039). */
  intervention: interventionSchema.optional(),
  /**
   * How many of a month's claimed outcomes of each kind are sampled for evidence (ADR 040):
   * `share` of them rounded up, but at least `min` and at most `max` (all of them when fewer
   * than `min` were claimed). When not said, DEFAULT_CLAIMS_SAMPLE.
   */
  claims_sample: z
    .object({
      share: z.number().gt(0).max(1),
      min: z.number().int().min(1).max(1000),
      max: z.number().int().min(1).max(1000),
    })
    .refine((r) => r.min <= r.max, { message: 'claims_sample.min must not be above its max' })
    .optional(),
});

/** A month's claims of each kind are sampled by this rule unless the programme says otherwise (ADR 040). */
export const DEFAULT_CLAIMS_SAMPLE = { share: 0.1, min: 10, max: 30 } as const;

/** Returns close this long after their deadline unless the programme says otherwise (ADR 032). */
export const DEFAULT_CLOSE_AFTER_DAYS = 60;
/** Providers are reminded this many working days before a deadline unless the programme says otherwise. */
export const DEFAULT_REMINDER_WORKING_DAYS = 3;

export const providerSchema = z.object({
  id: slug,
  name: z.string().min(1),
  sector: z.enum(['private', 'voluntary', 'public', 'nhs']),
});

export const contractSchema = z
  .object({
    id: slug,
    programme_id: slug,
    provider_id: slug,
    /** Health teams delivering part of the contract, such as the Condition Management Programme. */
    subcontractors: z
      .array(z.object({ provider_id: slug, delivers: z.string().min(1) }))
      .default([]),
    area: z.object({ code: z.string().min(1), name: z.string().min(1) }),
    /** The contract manager's portfolio this contract belongs to. */
    portfolio: slug,
    start_period: periodSchema,
    end_period: periodSchema,
    payment: z.object({
      service_fee_per_start: z.number().nonnegative(),
      job_outcome_payment: z.number().nonnegative(),
      sustained_payment: z.number().nonnegative(),
      sustained_weeks: z.union([z.literal(13), z.literal(26)]),
    }),
    /** The return for a month is due by this working day of the following month. */
    return_deadline_working_day: z.number().int().min(1).max(20),
    /** Whose bank holidays the working days skip; England and Wales unless said. */
    nation: z.enum(nations).default(defaultNation),
  })
  .refine((c) => c.start_period <= c.end_period, {
    message: 'end_period must not be before start_period',
    path: ['end_period'],
  })
  .refine((c) => coversYear(Number(c.start_period.slice(0, 4))), {
    message: `Outturn knows bank holidays only for ${bankHolidayYears.first} to ${bankHolidayYears.last}, so it cannot set this contract's deadlines: check start_period`,
    path: ['start_period'],
  })
  // The last month's return is due in the month after it.
  .refine((c) => coversYear(Number(addMonths(c.end_period, 1).slice(0, 4))), {
    message: `Outturn knows bank holidays only for ${bankHolidayYears.first} to ${bankHolidayYears.last}, so it cannot set this contract's deadlines: check end_period (the last return falls due the month after it)`,
    path: ['end_period'],
  });

export const profileSchema = z.object({
  contract_id: slug,
  measure_id: slug,
  period: periodSchema,
  target: z.number().int().nonnegative(),
});

/** The people who sign in, and what they may see: a provider's own contracts, a portfolio, a programme. */
/** Where a user's notices are sent (ADR 025); a user without one is sent none. */
const email = z.email('Give an email address such as ann@provider.example').optional();

export const userSchema = z.discriminatedUnion('role', [
  z.object({
    id: slug,
    name: z.string().min(1),
    role: z.literal('provider'),
    provider_id: slug,
    email,
  }),
  /**
   * A delivery partner's user (ADR 042): works for `provider_id`, one of contract `contract_id`'s
   * subcontractors, and sees the figures of that contract's participants the returns name it
   * as delivering for, and nothing else. The lead provider sends the returns.
   */
  z.object({
    id: slug,
    name: z.string().min(1),
    role: z.literal('partner'),
    provider_id: slug,
    contract_id: slug,
    email,
  }),
  z.object({
    id: slug,
    name: z.string().min(1),
    role: z.literal('contract_manager'),
    portfolio: slug,
    email,
  }),
  z.object({
    id: slug,
    name: z.string().min(1),
    role: z.literal('commissioner'),
    programme_ids: z.array(slug).min(1),
    email,
  }),
  z.object({ id: slug, name: z.string().min(1), role: z.literal('admin'), email }),
]);

export type Intervention = z.infer<typeof interventionSchema>;
export type RegimeWindow = (typeof regimeWindows)[number];

/** A programme's intervention levels and rule: its own, or DEFAULT_INTERVENTION. */
export function interventionOf(programme: Programme): Intervention {
  return programme.intervention ?? DEFAULT_INTERVENTION;
}

/** The measures a programme's levels are judged on: those it names, or every profiled one. */
export function levelMeasures(programme: Programme): string[] {
  const named = interventionOf(programme).measures;
  return programme.measures
    .filter((m) => m.profiled && (named === undefined || named.includes(m.id)))
    .map((m) => m.id);
}

export type Measure = z.infer<typeof measureSchema>;
export type Standard = z.infer<typeof standardSchema>;
export type Programme = z.infer<typeof programmeSchema>;
export type Provider = z.infer<typeof providerSchema>;
export type Contract = z.infer<typeof contractSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type User = z.infer<typeof userSchema>;
export type Role = User['role'];

export interface ReferenceData {
  programmes: Programme[];
  providers: Provider[];
  contracts: Contract[];
  profiles: Profile[];
  users: User[];
}

/** The files reference data is stored in, each holding a JSON array. */
export const referenceFiles = {
  programmes: { file: 'programmes.json', schema: programmeSchema },
  providers: { file: 'providers.json', schema: providerSchema },
  contracts: { file: 'contracts.json', schema: contractSchema },
  profiles: { file: 'profiles.json', schema: profileSchema },
  users: { file: 'users.json', schema: userSchema },
} as const;
