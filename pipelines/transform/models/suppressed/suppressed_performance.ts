import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

/** A suppressed count and the text to show for it. */
export function suppressedCount(name: string, what: string): Column[] {
  return [
    { name, type: 'INTEGER', description: `${what}; null when suppressed`, tests: [{ min: 0 }] },
    {
      name: `${name}_display`,
      type: 'VARCHAR',
      description: `${what} as shown to commissioners: the number, "<5" for 1 to 4, or "[c]" when hidden so that another small number cannot be worked out`,
      tests: ['not_null'],
    },
  ];
}

export const suppressedPerformance: Model = {
  name: 'suppressed_performance',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'The performance mart as commissioners see it: actuals of 1 to 4 shown as "<5", a second month hidden when only one month of a measure is, cumulatives hidden where they would let a hidden month be worked out, and the variance, % of profile and RAG status hidden with the figure they come from. The true figures stay in performance.',
  sql: sqlFile(import.meta.url, 'suppressed_performance'),
  uniqueKey: ['contract_id', 'measure_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'measure_id', type: 'VARCHAR', description: 'Measure id', tests: ['not_null'] },
    { name: 'measure_label', type: 'VARCHAR', description: 'Measure name' },
    {
      name: 'measure_order',
      type: 'INTEGER',
      description: 'Position of the measure in the programme definition',
    },
    { name: 'period', type: 'VARCHAR', description: 'Month (YYYY-MM)', tests: ['not_null'] },
    ...suppressedCount('actual', 'Participants whose milestone falls in the month'),
    {
      name: 'profile',
      type: 'INTEGER',
      description: 'The contract’s target for the month (a target, not people: never suppressed)',
    },
    {
      name: 'variance',
      type: 'INTEGER',
      description: 'actual − profile; null when the actual is suppressed',
    },
    {
      name: 'pct_of_profile',
      type: 'DOUBLE',
      description: 'actual ÷ profile; null when the actual is suppressed',
    },
    ...suppressedCount('cumulative_actual', 'Actual from the start of the contract to this month'),
    {
      name: 'cumulative_profile',
      type: 'INTEGER',
      description: 'Profile from the start of the contract to this month',
    },
    {
      name: 'cumulative_pct_of_profile',
      type: 'DOUBLE',
      description: 'cumulative_actual ÷ cumulative_profile; null when the cumulative is suppressed',
    },
    {
      name: 'rag',
      type: 'VARCHAR',
      description:
        'green, amber or red on the cumulative share of profile; null when the cumulative is suppressed',
      tests: [{ accepted_values: ['green', 'amber', 'red'] }],
    },
  ],
};
