import { measureValuesPlaceholders, type MeasuredProgramme } from '../../../measures/compile.js';
import type { ReferenceData } from '../../../reference/schema.js';
import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

/** The programmes' measures as the compiler takes them. */
export function measuredProgrammes(reference: ReferenceData | null): MeasuredProgramme[] {
  return (reference?.programmes ?? []).map((p) => ({
    id: p.id,
    year_start_month: p.year_start_month ?? 4,
    journey_measures: p.journey_measures ?? [],
    groupings: p.groupings ?? [],
  }));
}

export const measureKinds = [
  'count_of_milestone',
  'count_meeting_condition',
  'rate',
  'duration',
  'numeric',
  'distribution',
];

export const measureValueColumns: Column[] = [
  {
    name: 'contract_id',
    label: 'Contract',
    type: 'VARCHAR',
    description: 'Contract id',
    tests: ['not_null'],
  },
  { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
  { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
  {
    name: 'measure_id',
    type: 'VARCHAR',
    description: 'The measure, as the programme’s reference data names it',
    tests: ['not_null'],
  },
  {
    name: 'measure_label',
    label: 'Measure',
    type: 'VARCHAR',
    description: 'The measure’s name',
    tests: ['not_null'],
  },
  {
    name: 'kind',
    type: 'VARCHAR',
    description:
      'count_of_milestone, count_meeting_condition, rate, duration, numeric or distribution',
    tests: ['not_null', { accepted_values: measureKinds }],
  },
  {
    name: 'unit',
    type: 'VARCHAR',
    description: 'participants, share (0 to 1), days, weeks, or the numeric field summarised',
    tests: ['not_null'],
  },
  {
    name: 'cohort',
    type: 'VARCHAR',
    description:
      'event: each participant counted in the period of the measure’s own date (the exit, say); referral: in the period they were referred',
    tests: ['not_null', { accepted_values: ['event', 'referral'] }],
  },
  {
    name: 'grain',
    type: 'VARCHAR',
    description:
      'month, quarter, financial_year (April to March), programme_year (from the programme’s first month), to_date',
    tests: [
      'not_null',
      { accepted_values: ['month', 'quarter', 'financial_year', 'programme_year', 'to_date'] },
    ],
  },
  {
    name: 'period',
    label: 'Period',
    type: 'VARCHAR',
    description:
      'The period: 2025-04, 2025-Q2, 2025-26, "2011-06 to 2012-05" (programme year), or "to date"',
    tests: ['not_null'],
  },
  {
    name: 'period_start',
    type: 'DATE',
    description: 'First day of the period',
    tests: ['not_null'],
  },
  {
    name: 'period_end',
    type: 'DATE',
    description: 'Last day of the period (to date: the end of the newest return’s month)',
    tests: ['not_null'],
  },
  {
    name: 'breakdown',
    type: 'VARCHAR',
    description:
      'all, a field of the participant-journey table (sex, support_tier, simd_decile, main_reason_for_referral, …) or a grouping the programme defines',
    tests: ['not_null'],
  },
  {
    name: 'breakdown_value',
    label: 'Group',
    type: 'VARCHAR',
    description:
      'The value of the breakdown (integers as text); all for the total; not_recorded when blank',
    tests: ['not_null'],
  },
  {
    name: 'statistic',
    label: 'Figure',
    type: 'VARCHAR',
    description:
      'count; rate; mean, median, band (share in a band), cumulative (share under a cut point), within (share within the standard) for durations; mean or sum for numeric fields; share for distributions',
    tests: [
      'not_null',
      {
        accepted_values: [
          'count',
          'rate',
          'mean',
          'median',
          'band',
          'cumulative',
          'within',
          'sum',
          'share',
        ],
      },
    ],
  },
  {
    name: 'category',
    label: 'Of',
    type: 'VARCHAR',
    description:
      'The band, cut point or code the row is for (a distribution’s value, a duration’s band); all otherwise',
    tests: ['not_null'],
  },
  {
    name: 'group_value',
    type: 'VARCHAR',
    description:
      'For a distribution across a field (status at exit across status at referral: transitions), the value of that field the shares are taken within; all otherwise',
    tests: ['not_null'],
  },
  {
    name: 'participants',
    type: 'INTEGER',
    description:
      'The participants the figure is about: the count; the numerator of a rate or share; those with a duration or value for a mean, median or sum',
    tests: ['not_null', { min: 0 }],
  },
  {
    name: 'numerator',
    label: 'Numerator',
    type: 'INTEGER',
    description: 'The numerator of a rate or share (the sum for a mean of counts); null otherwise',
    tests: [{ min: 0 }],
  },
  {
    name: 'denominator',
    label: 'Denominator',
    type: 'INTEGER',
    description: 'The denominator of a rate, share or mean; null for a count or median',
    tests: [{ min: 1 }],
  },
  {
    name: 'value',
    type: 'DOUBLE',
    description: 'The figure: a count, a share from 0 to 1, a mean or median in the unit, a sum',
    tests: ['not_null'],
  },
  {
    name: 'value_low',
    type: 'DOUBLE',
    description: 'Lower bound of the 95% Wilson interval of a rate or share; null otherwise',
    tests: [{ min: 0 }, { max: 1 }],
  },
  {
    name: 'value_high',
    type: 'DOUBLE',
    description: 'Upper bound of the 95% Wilson interval of a rate or share; null otherwise',
    tests: [{ min: 0 }, { max: 1 }],
  },
  {
    name: 'meets_standard',
    type: 'BOOLEAN',
    description:
      'For a measure with a standard (min_rate, max_rate): whether the rate or share meets it; null when the measure has none',
  },
];

export const measureValues: Model = {
  name: 'measure_values',
  layer: 'mart',
  partition: 'contract',
  description:
    'Every programme-defined measure (reference data: counts of a milestone, counts meeting a condition, rates with Wilson intervals, durations with mean, median and bands, means and sums of a numeric field, distributions over a code field) for each contract by every breakdown, period grain (month, quarter, financial year, programme year, to date) and cohort (by the measure’s own date or by referral), from int_participant_journeys alone. True figures: for providers and contract managers; commissioners read suppressed_measure_values.',
  sql: sqlFile(import.meta.url, 'measure_values'),
  compile: (reference) => measureValuesPlaceholders(measuredProgrammes(reference)),
  uniqueKey: [
    'contract_id',
    'measure_id',
    'cohort',
    'grain',
    'period',
    'breakdown',
    'breakdown_value',
    'statistic',
    'category',
    'group_value',
  ],
  columns: measureValueColumns,
};
