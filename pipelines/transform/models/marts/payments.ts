import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const payments: Model = {
  name: 'payments',
  layer: 'mart',
  partition: 'contract',
  description:
    'Payments due per contract and month under its payment model (service fee per start, job outcome payment per job entry, sustained payment per job sustained for the contract’s 13 or 26 weeks, each counted in the month its date falls in), with contract-to-date totals and the cost per job entry and per sustained job beside their counts. Amounts in £, rounded to the penny.',
  sql: sqlFile(import.meta.url, 'payments'),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'period', type: 'VARCHAR', description: 'Month (YYYY-MM)', tests: ['not_null'] },
    {
      name: 'sustained_weeks',
      type: 'INTEGER',
      description: 'The weeks a job must last for the sustained payment (13 or 26)',
      tests: ['not_null', { accepted_values: ['13', '26'] }],
    },
    {
      name: 'service_fee_per_start',
      type: 'DOUBLE',
      description: 'The contract’s service fee per start, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'job_outcome_payment',
      type: 'DOUBLE',
      description: 'The contract’s payment per job entry, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sustained_payment',
      type: 'DOUBLE',
      description: 'The contract’s payment per sustained job, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'starts',
      type: 'INTEGER',
      description: 'Participants whose start date falls in the month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'job_entries',
      type: 'INTEGER',
      description: 'Participants whose job entry date falls in the month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sustained_jobs',
      type: 'INTEGER',
      description:
        'Participants whose job reached sustained_weeks (13 or 26 weeks date) in the month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'service_fees',
      type: 'DOUBLE',
      description: 'starts × service_fee_per_start, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'job_outcome_payments',
      type: 'DOUBLE',
      description: 'job_entries × job_outcome_payment, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sustained_payments',
      type: 'DOUBLE',
      description: 'sustained_jobs × sustained_payment, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'total_due',
      type: 'DOUBLE',
      description: 'service_fees + job_outcome_payments + sustained_payments, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_starts',
      type: 'INTEGER',
      description: 'Starts from the start of the contract to this month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_job_entries',
      type: 'INTEGER',
      description: 'Job entries from the start of the contract to this month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_sustained_jobs',
      type: 'INTEGER',
      description: 'Sustained jobs from the start of the contract to this month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_service_fees',
      type: 'DOUBLE',
      description: 'Service fees from the start of the contract to this month, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_job_outcome_payments',
      type: 'DOUBLE',
      description: 'Job outcome payments from the start of the contract to this month, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_sustained_payments',
      type: 'DOUBLE',
      description: 'Sustained payments from the start of the contract to this month, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_total_due',
      type: 'DOUBLE',
      description: 'Total due from the start of the contract to this month, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cost_per_job_entry',
      type: 'DOUBLE',
      description: 'cumulative_total_due ÷ cumulative_job_entries, £ (null when there are none)',
      tests: [{ min: 0 }],
    },
    {
      name: 'cost_per_sustained_job',
      type: 'DOUBLE',
      description: 'cumulative_total_due ÷ cumulative_sustained_jobs, £ (null when there are none)',
      tests: [{ min: 0 }],
    },
  ],
};
