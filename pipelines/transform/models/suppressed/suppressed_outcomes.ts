import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { suppressedCount } from './suppressed_performance.js';

export const suppressedOutcomes: Model = {
  name: 'suppressed_outcomes',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'The outcomes mart as commissioners see it: counts of 1 to 4 shown as "<5", the next smallest value hidden too when only one value of a count is hidden in a contract × breakdown group, and each rate hidden when its numerator or denominator is. The true figures stay in outcomes.',
  sql: sqlFile(import.meta.url, 'suppressed_outcomes'),
  uniqueKey: ['contract_id', 'breakdown', 'breakdown_value'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'breakdown',
      type: 'VARCHAR',
      description: 'all, a breakdown field of the return, or area',
      tests: ['not_null'],
    },
    {
      name: 'breakdown_value',
      type: 'VARCHAR',
      description: 'The value of the breakdown; all for the total',
      tests: ['not_null'],
    },
    ...suppressedCount('referrals', 'Participants referred'),
    ...suppressedCount(
      'starts',
      'Participants with a start date: the job entry rate’s denominator',
    ),
    ...suppressedCount(
      'job_entries',
      'Participants with a start and a job entry: the job entry rate’s numerator, the sustained rate’s denominator',
    ),
    ...suppressedCount(
      'sustained_jobs',
      'Job entries sustained for the contract’s sustained_weeks: the sustained rate’s numerator',
    ),
    {
      name: 'sustained_weeks',
      type: 'INTEGER',
      description: 'The contract’s sustained_weeks (13 or 26)',
    },
    {
      name: 'job_entry_rate',
      type: 'DOUBLE',
      description: 'job_entries ÷ starts; null when either is suppressed or there are no starts',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'job_entry_rate_low',
      type: 'DOUBLE',
      description:
        'Lower bound of the 95% Wilson interval for job_entry_rate; null when the rate is',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'job_entry_rate_high',
      type: 'DOUBLE',
      description:
        'Upper bound of the 95% Wilson interval for job_entry_rate; null when the rate is',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'sustained_rate',
      type: 'DOUBLE',
      description:
        'sustained_jobs ÷ job_entries; null when either is suppressed or there are no job entries',
      tests: [{ min: 0 }, { max: 1 }],
    },
  ],
};
