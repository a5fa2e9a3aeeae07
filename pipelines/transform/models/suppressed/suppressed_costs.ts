import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const suppressedCosts: Model = {
  name: 'suppressed_costs',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Commissioner-facing cost per outcome at each contract’s newest month: payments due to date, job entries and sustained jobs to date, and the cost of each, all hidden together when any count behind them is 1 to 4.',
  sql: sqlFile(import.meta.url, 'suppressed_costs'),
  uniqueKey: ['contract_id'],
  columns: [
    {
      name: 'contract_id',
      type: 'VARCHAR',
      description: 'Contract id',
      tests: ['not_null', 'unique'],
    },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'period',
      type: 'VARCHAR',
      description: 'The newest month of payments',
      tests: ['not_null'],
    },
    {
      name: 'cumulative_job_entries',
      type: 'INTEGER',
      description: 'Job entries to date; null when suppressed',
    },
    {
      name: 'cumulative_job_entries_display',
      type: 'VARCHAR',
      description: 'Job entries to date as shown: the number, "<5" or "[c]"',
      tests: ['not_null'],
    },
    {
      name: 'cumulative_sustained_jobs',
      type: 'INTEGER',
      description: 'Sustained jobs to date; null when suppressed',
    },
    {
      name: 'cumulative_total_due',
      type: 'DOUBLE',
      description: 'Payments due to date, £; null when suppressed',
    },
    {
      name: 'cost_per_job_entry',
      type: 'DOUBLE',
      description:
        'cumulative_total_due ÷ cumulative_job_entries, £; null when suppressed or no job entries',
    },
    {
      name: 'cost_per_sustained_job',
      type: 'DOUBLE',
      description:
        'cumulative_total_due ÷ cumulative_sustained_jobs, £; null when suppressed or none',
    },
    {
      name: 'suppressed',
      type: 'BOOLEAN',
      description: 'Whether the figures are hidden because a count behind them is 1 to 4',
      tests: ['not_null'],
    },
  ],
};
