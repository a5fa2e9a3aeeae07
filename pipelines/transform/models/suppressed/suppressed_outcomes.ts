import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { hiddenSelect, nestedCountsHidden, suppressedCount, type Hiding } from './rule.js';

const counts = ['referrals', 'starts', 'job_entries', 'sustained_jobs'] as const;

const hiding: Hiding = {
  counts: Object.fromEntries(counts.map((c) => [c, `${c}_hidden`])),
  derived: {
    job_entry_rate: ['starts', 'job_entries'],
    job_entry_rate_low: ['starts', 'job_entries'],
    job_entry_rate_high: ['starts', 'job_entries'],
    sustained_rate: ['job_entries', 'sustained_jobs'],
  },
};

const columns: Column[] = [
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
    name: 'breakdown',
    type: 'VARCHAR',
    description: 'all, a breakdown field of the return, or area',
    tests: ['not_null'],
  },
  {
    name: 'breakdown_value',
    label: 'Value',
    type: 'VARCHAR',
    description: 'The value of the breakdown; all for the total',
    tests: ['not_null'],
  },
  ...suppressedCount('referrals', 'Participants referred'),
  ...suppressedCount(
    'starts',
    'Participants with a start date: the job entry rate’s denominator',
    'Starts',
  ),
  ...suppressedCount(
    'job_entries',
    'Participants with a start and a job entry: the job entry rate’s numerator, the sustained rate’s denominator',
    'Job entries',
  ),
  ...suppressedCount(
    'sustained_jobs',
    'Job entries sustained for the contract’s sustained_weeks: the sustained rate’s numerator',
    'Sustained jobs',
  ),
  {
    name: 'sustained_weeks',
    type: 'INTEGER',
    description: 'The contract’s sustained_weeks (13 or 26)',
  },
  {
    name: 'job_entry_rate',
    label: 'Job entry rate',
    format: 'percent',
    type: 'DOUBLE',
    description: 'job_entries ÷ starts; null when either is hidden or there are no starts',
    tests: [{ min: 0 }, { max: 1 }],
  },
  {
    name: 'job_entry_rate_low',
    label: 'Job entry rate, 95% interval from',
    format: 'percent',
    type: 'DOUBLE',
    description: 'Lower bound of the 95% Wilson interval for job_entry_rate; null when the rate is',
    tests: [{ min: 0 }, { max: 1 }],
  },
  {
    name: 'job_entry_rate_high',
    label: 'Job entry rate, 95% interval to',
    format: 'percent',
    type: 'DOUBLE',
    description: 'Upper bound of the 95% Wilson interval for job_entry_rate; null when the rate is',
    tests: [{ min: 0 }, { max: 1 }],
  },
  {
    name: 'sustained_rate',
    label: 'Sustained rate',
    format: 'percent',
    type: 'DOUBLE',
    description:
      'Sustained jobs ÷ job entries due to have sustained; null when the sustained jobs or job entries are hidden, or none are due',
    tests: [{ min: 0 }, { max: 1 }],
  },
];

export const suppressedOutcomes: Model = {
  name: 'suppressed_outcomes',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'The outcomes mart as commissioners see it, with no count of 1 to 4 shown or able to be worked out: a count of 1 to 4 is hidden; a count is hidden wherever the count it is part of is (starts of referrals, job entries of starts, sustained jobs of job entries); where a value of a breakdown is hidden, the smallest other non-zero values are hidden too until at least two are and together they come to 5 or more; each rate is hidden with its numerator or denominator. Every hidden count reads "[c]". The true figures stay in outcomes.',
  sql: sqlFile(import.meta.url, 'suppressed_outcomes', {
    hidden_counts: nestedCountsHidden({
      from: 'outcome_rows',
      group: ['contract_id', 'breakdown'],
      total: "breakdown = 'all'",
      tieBreak: 'breakdown_value',
      counts,
    }),
    columns: hiddenSelect(columns, hiding),
  }),
  uniqueKey: ['contract_id', 'breakdown', 'breakdown_value'],
  columns,
};
