import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const performance: Model = {
  name: 'performance',
  layer: 'mart',
  partition: 'contract',
  description:
    'Outturn against profile: contract × measure × month, actual and profile, monthly and cumulative from the start of the contract, with RAG on the cumulative share of profile.',
  sql: sqlFile(import.meta.url, 'performance'),
  uniqueKey: ['contract_id', 'measure_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'measure_id',
      type: 'VARCHAR',
      description: 'Measure id (from the programme definition)',
      tests: ['not_null'],
    },
    { name: 'measure_label', type: 'VARCHAR', description: 'Measure name' },
    {
      name: 'measure_order',
      type: 'INTEGER',
      description: 'Position of the measure in the programme definition',
    },
    { name: 'period', type: 'VARCHAR', description: 'Month (YYYY-MM)', tests: ['not_null'] },
    {
      name: 'actual',
      type: 'INTEGER',
      description: 'Participants whose milestone falls in the month, per the newest return',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'profile',
      type: 'INTEGER',
      description: 'The contract’s target for the month; null when the measure is not profiled',
    },
    { name: 'variance', type: 'INTEGER', description: 'actual − profile' },
    {
      name: 'pct_of_profile',
      type: 'DOUBLE',
      description: 'actual ÷ profile (null when the profile is 0 or absent)',
    },
    {
      name: 'cumulative_actual',
      type: 'INTEGER',
      description: 'Actual from the start of the contract to this month',
      tests: ['not_null'],
    },
    {
      name: 'cumulative_profile',
      type: 'INTEGER',
      description: 'Profile from the start of the contract to this month',
    },
    {
      name: 'cumulative_pct_of_profile',
      type: 'DOUBLE',
      description: 'cumulative_actual ÷ cumulative_profile',
    },
    {
      name: 'rag',
      type: 'VARCHAR',
      description: 'green, amber or red on the cumulative share of profile; null when not profiled',
      tests: [{ accepted_values: ['green', 'amber', 'red'] }],
    },
  ],
};
