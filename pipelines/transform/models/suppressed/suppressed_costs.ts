import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { hiddenSelect, SMALL, suppressedCount, type Hiding } from './rule.js';

const hiding: Hiding = {
  counts: {
    cumulative_starts: 'starts_hidden',
    cumulative_job_entries: 'job_entries_hidden',
    cumulative_sustained_jobs: 'sustained_hidden',
  },
  derived: {
    cumulative_total_due: [
      'cumulative_starts',
      'cumulative_job_entries',
      'cumulative_sustained_jobs',
    ],
    cost_per_job_entry: [
      'cumulative_starts',
      'cumulative_job_entries',
      'cumulative_sustained_jobs',
    ],
    cost_per_sustained_job: [
      'cumulative_starts',
      'cumulative_job_entries',
      'cumulative_sustained_jobs',
    ],
  },
};

const columns: Column[] = [
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
    label: 'To the end of',
    format: 'period',
    type: 'VARCHAR',
    description: 'The newest month of payments',
    tests: ['not_null'],
  },
  ...suppressedCount('cumulative_job_entries', 'Job entries to date', 'Job entries to date'),
  ...suppressedCount('cumulative_sustained_jobs', 'Sustained jobs to date'),
  {
    name: 'cumulative_total_due',
    label: 'Payments due to date',
    format: 'money',
    type: 'DOUBLE',
    description: 'Payments due to date, £; null when any count to date behind it is hidden',
  },
  {
    name: 'cost_per_job_entry',
    label: 'Cost per job entry',
    format: 'money',
    type: 'DOUBLE',
    description:
      'cumulative_total_due ÷ cumulative_job_entries, £; null when the payments due are hidden or there are no job entries',
  },
  {
    name: 'cost_per_sustained_job',
    label: 'Cost per sustained job',
    format: 'money',
    type: 'DOUBLE',
    description:
      'cumulative_total_due ÷ cumulative_sustained_jobs, £; null when the payments due are hidden or there are none',
  },
  {
    name: 'suppressed',
    type: 'BOOLEAN',
    description:
      'Whether the payments due and costs are hidden because a count to date behind them (starts, job entries or sustained jobs) is 1 to 4',
    tests: ['not_null'],
  },
];

export const suppressedCosts: Model = {
  name: 'suppressed_costs',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Commissioner-facing cost per outcome at each contract’s newest month: job entries and sustained jobs to date (each hidden when it is 1 to 4), payments due to date, and the cost of each, the money hidden whenever any count to date behind it (starts, job entries, sustained jobs) is 1 to 4, since the fees are known.',
  sql: sqlFile(import.meta.url, 'suppressed_costs', {
    small: SMALL,
    columns: hiddenSelect(columns, hiding),
  }),
  uniqueKey: ['contract_id'],
  columns,
};
