/**
 * The one definition of a monthly return.
 *
 * Every other artefact that describes a return is generated from the lists in this file:
 * the CSV and XLSX templates, the JSON Schema, the zod row schemas, the validator's
 * compiled cell checks, docs/data-dictionary.md and (later) the Glue table columns.
 * Change a field here and all of them follow.
 */

export interface Code {
  readonly code: string;
  readonly label: string;
  /** For outcome instruments: the lowest and highest score the instrument allows. */
  readonly scoreRange?: readonly [number, number];
}

interface FieldBase {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly required: boolean;
  /** A value for the example row of the template. */
  readonly example: string;
  /** Commissioners may break figures down by this field. */
  readonly breakdown?: boolean;
  /**
   * Added after returns were first sent: a return may leave the whole column out, and is read
   * as if every cell of it were blank, so that every return valid before the field stays valid
   * (ADR 024; every other column must be present, ADR 005).
   */
  readonly optionalColumn?: boolean;
  /**
   * Optional, but expected of every participant: a blank counts against the return's
   * completeness in the data-quality score (docs/methods/data-quality-score.md).
   */
  readonly expected?: boolean;
}

/** Codes that say a value is not known: they count as the default share of the data-quality score. */
export const NOT_KNOWN_CODES: readonly string[] = ['not_known', 'not_stated'];

/** A provider's own reference: letters, digits, '-' and '_'. */
export interface IdField extends FieldBase {
  readonly type: 'id';
  readonly maxLength: number;
}

/** A calendar date; milestone dates are counted in the month they fall in. */
export interface DateField extends FieldBase {
  readonly type: 'date';
  readonly milestone: boolean;
}

export interface CodeField extends FieldBase {
  readonly type: 'code';
  readonly codes: readonly Code[];
}

export interface IntegerField extends FieldBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
}

export interface NumberField extends FieldBase {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
}

export type Field = IdField | DateField | CodeField | IntegerField | NumberField;
export type FieldType = Field['type'];

export const workStatusCodes = [
  { code: 'at_work', label: 'In work and attending' },
  { code: 'self_employed', label: 'Self-employed and working' },
  { code: 'off_sick', label: 'In work but off sick' },
  { code: 'unemployed', label: 'Not in work' },
  { code: 'retired', label: 'Retired' },
  { code: 'education', label: 'In education or training' },
  { code: 'volunteering', label: 'Volunteering' },
  { code: 'deceased', label: 'Deceased' },
  { code: 'not_known', label: 'Not known' },
] as const satisfies readonly Code[];

export const instrumentCodes = [
  {
    code: 'hads_anxiety',
    label: 'HADS anxiety subscale (0 to 21, lower is better)',
    scoreRange: [0, 21],
  },
  {
    code: 'hads_depression',
    label: 'HADS depression subscale (0 to 21, lower is better)',
    scoreRange: [0, 21],
  },
  {
    code: 'eq5d_vas',
    label: 'EQ-5D visual analogue scale (0 to 100, higher is better)',
    scoreRange: [0, 100],
  },
  {
    code: 'copm_performance',
    label: 'COPM performance score (1 to 10, higher is better)',
    scoreRange: [1, 10],
  },
  {
    code: 'provider_questionnaire',
    label: "The provider's own questionnaire (0 to 100)",
    scoreRange: [0, 100],
  },
] as const satisfies readonly Code[];

/** The participant-level caseload snapshot: one row per participant referred up to the period end. */
export const participantFields = [
  {
    name: 'participant_id',
    type: 'id',
    maxLength: 36,
    required: true,
    label: 'Participant reference',
    description:
      'Your own pseudonymous reference for the participant, the same in every return. Letters, digits, hyphens and underscores only. Never a name, National Insurance number, NHS number or date of birth.',
    example: 'P-000123',
  },
  {
    name: 'referral_date',
    type: 'date',
    milestone: true,
    required: true,
    label: 'Referral date',
    description: 'The date the participant was referred to this contract.',
    example: '2025-01-06',
  },
  {
    name: 'referral_source',
    type: 'code',
    required: false,
    expected: true,
    breakdown: true,
    label: 'Referral source',
    description: 'Who referred the participant.',
    codes: [
      { code: 'jobcentre_plus', label: 'Jobcentre Plus' },
      { code: 'gp', label: 'GP' },
      { code: 'hospital', label: 'Hospital or specialist clinic' },
      { code: 'employer', label: 'Employer or occupational health' },
      { code: 'self', label: 'Self-referral' },
      { code: 'other', label: 'Other' },
    ],
    example: 'jobcentre_plus',
  },
  {
    name: 'engagement',
    type: 'code',
    required: true,
    breakdown: true,
    label: 'Engagement',
    description: 'Whether taking part is a condition of benefit (mandatory) or chosen (voluntary).',
    codes: [
      { code: 'mandatory', label: 'Mandatory' },
      { code: 'voluntary', label: 'Voluntary' },
    ],
    example: 'mandatory',
  },
  {
    name: 'benefit',
    type: 'code',
    required: true,
    breakdown: true,
    label: 'Benefit at referral',
    description: 'The main benefit the participant was claiming when referred.',
    codes: [
      { code: 'incapacity_benefit', label: 'Incapacity Benefit' },
      { code: 'income_support_incapacity', label: 'Income Support on incapacity grounds' },
      { code: 'esa', label: 'Employment and Support Allowance' },
      { code: 'none', label: 'No benefit' },
      { code: 'not_known', label: 'Not known' },
    ],
    example: 'esa',
  },
  {
    name: 'claimant_group',
    type: 'code',
    required: false,
    expected: true,
    breakdown: true,
    label: 'Claimant group',
    description: 'New claimant, repeat claimant, or existing (longer-term) claimant.',
    codes: [
      { code: 'new', label: 'New claimant' },
      { code: 'repeat', label: 'Repeat claimant' },
      { code: 'existing', label: 'Existing claimant' },
    ],
    example: 'new',
  },
  {
    name: 'primary_condition_group',
    type: 'code',
    required: true,
    breakdown: true,
    label: 'Primary condition group',
    description: 'The group of the health condition that most affects the participant’s work.',
    codes: [
      { code: 'mental_health', label: 'Mental health' },
      { code: 'musculoskeletal', label: 'Musculoskeletal' },
      { code: 'cardiovascular', label: 'Cardiovascular' },
      { code: 'respiratory', label: 'Respiratory' },
      { code: 'cancer', label: 'Cancer' },
      { code: 'neurological', label: 'Neurological (for example MS)' },
      { code: 'gastrointestinal', label: 'Gastrointestinal (for example IBD)' },
      { code: 'other', label: 'Other' },
      { code: 'not_known', label: 'Not known' },
    ],
    example: 'mental_health',
  },
  {
    name: 'sex',
    type: 'code',
    required: true,
    breakdown: true,
    label: 'Sex',
    description: 'The participant’s sex as they describe it.',
    codes: [
      { code: 'female', label: 'Female' },
      { code: 'male', label: 'Male' },
      { code: 'other', label: 'Other' },
      { code: 'not_stated', label: 'Not stated' },
    ],
    example: 'female',
  },
  {
    name: 'age_band',
    type: 'code',
    required: false,
    breakdown: true,
    label: 'Age band at referral',
    description:
      'The participant’s age band on the referral date. Never the date of birth. Required unless the age at referral is given, when it may be left blank and is worked out from the age.',
    codes: [
      { code: '16_24', label: '16 to 24' },
      { code: '25_34', label: '25 to 34' },
      { code: '35_49', label: '35 to 49' },
      { code: '50_59', label: '50 to 59' },
      { code: '60_64', label: '60 to 64' },
      { code: '65_plus', label: '65 and over' },
    ],
    example: '35_49',
  },
  {
    name: 'age_at_referral',
    type: 'integer',
    min: 16,
    max: 99,
    required: false,
    optionalColumn: true,
    label: 'Age at referral',
    description:
      'The participant’s age in whole years on the referral date (never the date of birth). When given, the age band is worked out from it if left blank, and must agree with it if not.',
    example: '41',
  },
  {
    name: 'deprivation_decile',
    type: 'integer',
    min: 1,
    max: 10,
    required: false,
    breakdown: true,
    label: 'Deprivation decile',
    description:
      'Index of Multiple Deprivation decile of the participant’s neighbourhood, 1 (most deprived) to 10 (least deprived).',
    example: '3',
  },
  {
    name: 'imd_decile',
    type: 'integer',
    min: 1,
    max: 10,
    required: false,
    optionalColumn: true,
    label: 'IMD decile (England)',
    description:
      'English Index of Multiple Deprivation decile of the participant’s neighbourhood (LSOA), 1 (most deprived 10%) to 10 (least deprived). For participants living in England.',
    example: '',
  },
  {
    name: 'simd_decile',
    type: 'integer',
    min: 1,
    max: 10,
    required: false,
    optionalColumn: true,
    label: 'SIMD decile (Scotland)',
    description:
      'Scottish Index of Multiple Deprivation decile of the participant’s data zone, 1 (most deprived 10%) to 10 (least deprived). For participants living in Scotland.',
    example: '2',
  },
  {
    name: 'simd_vigintile',
    type: 'integer',
    min: 1,
    max: 20,
    required: false,
    optionalColumn: true,
    label: 'SIMD vigintile (Scotland)',
    description:
      'Scottish Index of Multiple Deprivation vigintile (5% band) of the participant’s data zone, 1 (most deprived 5%) to 20, so that "the 15% most deprived" (1 to 3) can be counted. Must agree with the SIMD decile when both are given.',
    example: '3',
  },
  {
    name: 'wimd_decile',
    type: 'integer',
    min: 1,
    max: 10,
    required: false,
    optionalColumn: true,
    label: 'WIMD decile (Wales)',
    description:
      'Welsh Index of Multiple Deprivation decile of the participant’s neighbourhood (LSOA), 1 (most deprived 10%) to 10. For participants living in Wales.',
    example: '',
  },
  {
    name: 'nimdm_decile',
    type: 'integer',
    min: 1,
    max: 10,
    required: false,
    optionalColumn: true,
    label: 'NIMDM decile (Northern Ireland)',
    description:
      'Northern Ireland Multiple Deprivation Measure decile of the participant’s super output area, 1 (most deprived 10%) to 10. For participants living in Northern Ireland.',
    example: '',
  },
  {
    name: 'support_tier',
    type: 'integer',
    min: 1,
    max: 3,
    required: false,
    expected: true,
    breakdown: true,
    label: 'Support tier',
    description: 'Level of support given: 1 self-help, 2 moderate, 3 intensive.',
    example: '2',
  },
  {
    name: 'delivery_partner',
    type: 'id',
    maxLength: 64,
    required: false,
    optionalColumn: true,
    breakdown: true,
    label: 'Delivery partner',
    description:
      'The code of the delivery partner (subcontractor) supporting the participant, from your contract’s list of partners, for example the NHS team delivering the Condition Management Programme. Leave blank when your own organisation supports them.',
    example: '',
  },
  {
    name: 'participant_type',
    type: 'code',
    required: false,
    optionalColumn: true,
    label: 'Participant type',
    description:
      'Whether the participant is a client, or a carer or family member seeking help for a third party who is ill. Blank means client. A carer may have no work status of their own.',
    codes: [
      { code: 'client', label: 'Client' },
      { code: 'carer_third_party', label: 'Carer or third party' },
    ],
    example: 'client',
  },
  {
    name: 'main_reason_for_referral',
    type: 'code',
    required: false,
    optionalColumn: true,
    label: 'Main reason for referral',
    description: 'The main reason the participant came to the service.',
    codes: [
      { code: 'back_to_work', label: 'Help to get back to work from sickness absence' },
      { code: 'remain_at_work', label: 'Help to remain at work' },
      { code: 'employability_support', label: 'Employability support' },
      { code: 'change_job', label: 'Help to change job or occupation' },
      { code: 'give_up_work', label: 'Help to give up work' },
      { code: 'third_party_illness', label: 'Help for a third party who is ill' },
      { code: 'other', label: 'Other' },
    ],
    example: 'back_to_work',
  },
  {
    name: 'work_status_at_referral',
    type: 'code',
    required: false,
    expected: true,
    breakdown: true,
    label: 'Work status at referral',
    description:
      'The participant’s work status when referred. Required for every client; a carer or third party (participant type carer_third_party) may leave it blank.',
    codes: workStatusCodes,
    example: 'off_sick',
  },
  {
    name: 'first_contact_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'First contact date',
    description: 'The date of the first contact with the participant after referral.',
    example: '2025-01-09',
  },
  {
    name: 'start_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Start date',
    description:
      'The date of the initial assessment or first work-focused interview: the start on the programme.',
    example: '2025-01-20',
  },
  {
    name: 'waiver_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Waiver date',
    description: 'The date a mandatory work-focused interview was waived, if it was.',
    example: '',
  },
  {
    name: 'deferral_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Deferral date',
    description: 'The date a mandatory work-focused interview was deferred, if it was.',
    example: '',
  },
  {
    name: 'failed_to_attend_count',
    type: 'integer',
    min: 0,
    max: 999,
    required: false,
    label: 'Failures to attend',
    description:
      'How many booked appointments the participant did not attend, up to the period end.',
    example: '1',
  },
  {
    name: 'sanction_request_count',
    type: 'integer',
    min: 0,
    max: 999,
    required: false,
    label: 'Sanction requests',
    description: 'How many sanction requests were made for the participant, up to the period end.',
    example: '0',
  },
  {
    name: 'contact_count',
    type: 'integer',
    min: 0,
    max: 9999,
    required: false,
    label: 'Contacts',
    description:
      'How many contacts (meetings, calls, sessions) the participant has had, up to the period end.',
    example: '6',
  },
  {
    name: 'cmp_referral_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'CMP referral date',
    description: 'The date the participant was referred to the Condition Management Programme.',
    example: '2025-01-20',
  },
  {
    name: 'cmp_start_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'CMP start date',
    description: 'The date the participant started the Condition Management Programme.',
    example: '2025-02-03',
  },
  {
    name: 'cmp_completion_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'CMP completion date',
    description: 'The date the participant completed the Condition Management Programme.',
    example: '',
  },
  {
    name: 'job_entry_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Job entry date',
    description: 'The date the participant started paid work (16 hours a week or more).',
    example: '',
  },
  {
    name: 'sustained_13_weeks_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Sustained 13 weeks date',
    description: 'The date the job had lasted 13 weeks: at least 91 days after the job entry date.',
    example: '',
  },
  {
    name: 'sustained_26_weeks_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Sustained 26 weeks date',
    description:
      'The date the job had lasted 26 weeks: at least 182 days after the job entry date.',
    example: '',
  },
  {
    name: 'exit_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Exit date',
    description: 'The date the participant left the programme.',
    example: '',
  },
  {
    name: 'exit_reason',
    type: 'code',
    required: false,
    label: 'Exit reason',
    description: 'Why the participant left. Required when there is an exit date.',
    codes: [
      { code: 'entered_work', label: 'Entered work' },
      { code: 'stayed_in_work', label: 'Stayed in or returned to their job' },
      { code: 'completed', label: 'Completed the programme' },
      { code: 'withdrew', label: 'Withdrew' },
      { code: 'ill_health', label: 'Ill health' },
      { code: 'moved_away', label: 'Moved away' },
      { code: 'transferred', label: 'Transferred to another service' },
      { code: 'deceased', label: 'Deceased' },
      { code: 'other', label: 'Other' },
    ],
    example: '',
  },
  {
    name: 'work_status_at_exit',
    type: 'code',
    required: false,
    label: 'Work status at exit',
    description:
      'The participant’s work status when they left. Give it only when there is an exit date.',
    codes: workStatusCodes,
    example: '',
  },
  {
    name: 'follow_up_date',
    type: 'date',
    milestone: true,
    required: false,
    label: 'Follow-up date',
    description: 'The date of the follow-up contact, about six months after exit.',
    example: '',
  },
  {
    name: 'work_status_at_follow_up',
    type: 'code',
    required: false,
    label: 'Work status at follow-up',
    description:
      'The participant’s work status at the follow-up. Give it only when there is a follow-up date.',
    codes: workStatusCodes,
    example: '',
  },
  {
    name: 'outcome_instrument',
    type: 'code',
    required: false,
    label: 'Outcome instrument',
    description:
      'The questionnaire used to measure distance travelled. Required when a score is given.',
    codes: instrumentCodes,
    example: 'hads_anxiety',
  },
  {
    name: 'baseline_score',
    type: 'number',
    min: 0,
    max: 100,
    required: false,
    label: 'Baseline score',
    description: 'The score on the outcome instrument at the start, within the instrument’s range.',
    example: '14',
  },
  {
    name: 'exit_score',
    type: 'number',
    min: 0,
    max: 100,
    required: false,
    label: 'Exit score',
    description: 'The score on the outcome instrument at exit, within the instrument’s range.',
    example: '',
  },
] as const satisfies readonly Field[];

export type ParticipantFieldName = (typeof participantFields)[number]['name'];
export type MilestoneFieldName = Extract<
  (typeof participantFields)[number],
  { type: 'date' }
>['name'];
export type BreakdownFieldName = Extract<
  (typeof participantFields)[number],
  { breakdown: true }
>['name'];

export const milestoneFieldNames = participantFields
  .filter(
    (f): f is Extract<(typeof participantFields)[number], { type: 'date' }> => f.type === 'date',
  )
  .map((f) => f.name) as readonly MilestoneFieldName[];

export const breakdownFieldNames = participantFields
  .filter((f) => 'breakdown' in f && f.breakdown)
  .map((f) => f.name) as readonly BreakdownFieldName[];

/** The aggregate return: one row per measure (and optional breakdown) with a count for the period. */
export const aggregateFields = [
  {
    name: 'measure',
    type: 'id',
    maxLength: 64,
    required: true,
    label: 'Measure',
    description:
      'The measure being counted, as named in the programme definition (for example referrals, starts, job_entries).',
    example: 'referrals',
  },
  {
    name: 'breakdown',
    type: 'code',
    required: false,
    label: 'Breakdown',
    description:
      'Leave blank for the total. Otherwise the participant field the count is broken down by.',
    codes: breakdownFieldNames.map((name) => ({ code: name, label: name.replaceAll('_', ' ') })),
    example: '',
  },
  {
    name: 'breakdown_value',
    type: 'id',
    maxLength: 64,
    required: false,
    label: 'Breakdown value',
    description:
      'The code of the breakdown field this count is for (for example mandatory). Required when a breakdown is given.',
    example: '',
  },
  {
    name: 'count',
    type: 'integer',
    min: 0,
    max: 10_000_000,
    required: true,
    label: 'Count',
    description: 'How many, in the period.',
    example: '42',
  },
] as const satisfies readonly Field[];

export type AggregateFieldName = (typeof aggregateFields)[number]['name'];

export type ReturnKind = 'participant' | 'aggregate';

export const fieldsByKind = {
  participant: participantFields,
  aggregate: aggregateFields,
} as const satisfies Record<ReturnKind, readonly Field[]>;

export function fieldsFor(kind: ReturnKind): readonly Field[] {
  return fieldsByKind[kind];
}

export function findField(kind: ReturnKind, name: string): Field | undefined {
  return fieldsFor(kind).find((f) => f.name === name);
}
