import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const windowColumns = (key: string, words: string, label: string, months?: string): Column[] => [
  {
    name: `${key}_actual`,
    label: `Actual, ${label}`,
    format: 'number',
    type: 'INTEGER',
    description: `Actual ${words}`,
    tests: ['not_null', { min: 0 }],
  },
  {
    name: `${key}_profile`,
    label: `Profile, ${label}`,
    format: 'number',
    type: 'INTEGER',
    description: `Profile ${words} (months with a profile)`,
  },
  {
    name: `${key}_pct`,
    label: `% of profile, ${label}`,
    format: 'percent',
    type: 'DOUBLE',
    description: `${key}_actual ÷ ${key}_profile (null when the profile is 0 or absent)`,
  },
  ...(months
    ? [
        {
          name: `${key}_months`,
          type: 'INTEGER' as const,
          description: months,
          tests: ['not_null' as const, { min: 1 }],
        },
      ]
    : []),
];

export const regimePerformance: Model = {
  name: 'regime_performance',
  layer: 'mart',
  partition: 'contract',
  description:
    'The performance regime (ADR 039): contract × profiled measure × month, actual against profile in the month, over the rolling 3 and 12 months ending in it, and to date.',
  sql: sqlFile(import.meta.url, 'regime_performance'),
  uniqueKey: ['contract_id', 'measure_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'measure_id', type: 'VARCHAR', description: 'Measure id', tests: ['not_null'] },
    { name: 'measure_label', label: 'Measure', type: 'VARCHAR', description: 'Measure name' },
    {
      name: 'measure_order',
      type: 'INTEGER',
      description: 'Position of the measure in the programme definition',
    },
    {
      name: 'period',
      label: 'Month',
      format: 'period',
      type: 'VARCHAR',
      description: 'Month (YYYY-MM): the last month of each window',
      tests: ['not_null'],
    },
    ...windowColumns('in_month', 'in the month', 'month'),
    ...windowColumns(
      'rolling_3',
      'in the 3 months ending in this one',
      '3 months',
      'Months in the rolling 3-month window: fewer than 3 in the first months of the term',
    ),
    ...windowColumns(
      'rolling_12',
      'in the 12 months ending in this one',
      '12 months',
      'Months in the rolling 12-month window: fewer than 12 in the first year of the term',
    ),
    ...windowColumns('cumulative', 'from the start of the contract to this month', 'to date'),
  ],
};
