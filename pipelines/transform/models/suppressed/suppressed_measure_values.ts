import type { Column, Model } from '../../model.js';
import { measureValueColumns } from '../marts/measure_values.js';
import { sqlFile } from '../../sql-file.js';
import { HIDDEN, hiddenSelect, nestedCountsHidden, suppressedCount, type Hiding } from './rule.js';

const keep = (name: string) => measureValueColumns.find((c) => c.name === name)!;

const columns: Column[] = [
  ...[
    'contract_id',
    'programme_id',
    'provider_id',
    'measure_id',
    'measure_label',
    'kind',
    'unit',
    'cohort',
    'grain',
    'period',
    'period_start',
    'period_end',
    'breakdown',
    'breakdown_value',
    'statistic',
    'category',
    'group_value',
  ].map(keep),
  ...suppressedCount('participants', 'The participants the figure is about'),
  {
    name: 'numerator',
    type: 'INTEGER',
    description: 'The numerator of a rate or share (the sum for a mean); null when hidden',
    tests: [{ min: 0 }],
  },
  {
    name: 'denominator',
    type: 'INTEGER',
    description:
      'The denominator of a rate, share or mean; null for a count or median, or when hidden',
    tests: [{ min: 1 }],
  },
  {
    name: 'denominator_display',
    type: 'VARCHAR',
    description: `The denominator as commissioners see it: the number, or "${HIDDEN}" when hidden; null for a count or median`,
  },
  ...['value', 'value_low', 'value_high', 'meets_standard'].map((n) => {
    const c = keep(n);
    return {
      ...c,
      description: `${c.description}; null when hidden`,
      tests: c.tests?.filter((t) => t !== 'not_null'),
    };
  }),
];

const hiding: Hiding = {
  counts: {
    participants: 'shown_participants_hidden or denominator_n_hidden',
    denominator: 'denominator_n_hidden',
  },
  derived: {
    numerator: ['participants'],
    value: ['participants', 'denominator'],
    value_low: ['participants', 'denominator'],
    value_high: ['participants', 'denominator'],
    meets_standard: ['participants', 'denominator'],
  },
};

export const suppressedMeasureValues: Model = {
  name: 'suppressed_measure_values',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Programme-defined measures as commissioners see them: each contract’s figures to date (no shorter period, so none can be differenced from its neighbours), by every breakdown, with no count of 1 to 4 shown or able to be worked out from the other values of its breakdown or the other categories of its distribution. Every hidden count reads "[c]". The true figures, by every period, stay in measure_values.',
  sql: sqlFile(import.meta.url, 'suppressed_measure_values', {
    hidden_by_breakdown: nestedCountsHidden({
      from: 'measure_rows',
      group: [
        'contract_id',
        'measure_id',
        'cohort',
        'statistic',
        'category',
        'group_value',
        'breakdown',
      ],
      total: "breakdown = 'all'",
      tieBreak: 'breakdown_value',
      counts: ['denominator_n', 'participants'],
    }),
    hidden_by_category: nestedCountsHidden({
      from: 'category_rows',
      group: [
        'contract_id',
        'measure_id',
        'cohort',
        'statistic',
        'breakdown',
        'breakdown_value',
        'group_value',
      ],
      total: "statistic not in ('share', 'band')",
      tieBreak: 'category',
      counts: ['category_participants'],
    }),
    columns: hiddenSelect(columns, hiding),
  }),
  uniqueKey: [
    'contract_id',
    'measure_id',
    'cohort',
    'breakdown',
    'breakdown_value',
    'statistic',
    'category',
    'group_value',
  ],
  columns,
};
