import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const outlierMethods = ['own_history', 'z_score', 'modified_z', 'min_max'] as const;

export const intOutliers: Model = {
  name: 'int_outliers',
  layer: 'mart',
  partition: 'contract',
  description:
    'Intermediate (read by data_quality): each month whose referrals are an outlier for its contract, by the check the programme chooses in its reference data (outlier_check): against its own previous 6 months (the default), by z-score, by modified z-score, or outside a minimum and maximum.',
  sql: sqlFile(import.meta.url, 'int_outliers'),
  uniqueKey: ['contract_id', 'measure_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'period', type: 'VARCHAR', description: 'The outlying month', tests: ['not_null'] },
    {
      name: 'method',
      type: 'VARCHAR',
      description: 'The check that found it',
      tests: ['not_null', { accepted_values: outlierMethods }],
    },
    {
      name: 'measure_id',
      type: 'VARCHAR',
      description: 'The programme’s measure of referrals',
      tests: ['not_null'],
    },
    {
      name: 'detail',
      type: 'VARCHAR',
      description: 'What was found, in plain words',
      tests: ['not_null'],
    },
    {
      name: 'value_before',
      type: 'VARCHAR',
      description:
        'What the month was held against: the previous 6 months’ mean (own_history, z_score) or median (modified_z), 1 decimal place, or the bound it crossed (min_max)',
      tests: ['not_null'],
    },
    {
      name: 'value_after',
      type: 'VARCHAR',
      description: 'The month’s referrals',
      tests: ['not_null'],
    },
  ],
};
