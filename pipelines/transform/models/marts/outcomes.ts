import { breakdownFieldNames } from '../../../returns/fields.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

/**
 * The breakdowns the outcomes mart groups by: the return's breakdown fields (from the field
 * list, never typed here) and the contract's area. 'all' is the total row.
 */
export const outcomeBreakdowns: readonly string[] = [...breakdownFieldNames, 'area'];

export const outcomes: Model = {
  name: 'outcomes',
  layer: 'mart',
  partition: 'contract',
  description:
    'Job entry and sustained rates by breakdown: contract × breakdown × value, per the newest return. Breakdown is all (value all), a breakdown field of the return, or area; blank values are grouped as not_recorded. Job entries are counted among starts and sustained jobs among job entries, so each rate is a share of its denominator; the job entry rate carries a 95% Wilson score interval.',
  sql: sqlFile(import.meta.url, 'outcomes'),
  uniqueKey: ['contract_id', 'breakdown', 'breakdown_value'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'breakdown',
      type: 'VARCHAR',
      description: 'all, a breakdown field of the return (for example sex, age_band), or area',
      tests: ['not_null', { accepted_values: ['all', ...outcomeBreakdowns] }],
    },
    {
      name: 'breakdown_value',
      type: 'VARCHAR',
      description:
        'The code (integers as text) of the breakdown field; all for the total; not_recorded when blank; the area name for area',
      tests: ['not_null'],
    },
    {
      name: 'referrals',
      type: 'INTEGER',
      description: 'Participants referred (every participant in the newest return)',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'starts',
      type: 'INTEGER',
      description: 'Participants with a start date: the job entry rate’s denominator',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'job_entries',
      type: 'INTEGER',
      description:
        'Participants with a start date and a job entry date: the job entry rate’s numerator',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sustained_jobs',
      type: 'INTEGER',
      description:
        'Job entries sustained for the contract’s sustained_weeks (13 or 26): the sustained rate’s numerator',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'job_entries_due_to_sustain',
      type: 'INTEGER',
      description:
        'Job entries (among starts) at least sustained_weeks before the end of the newest return’s month: the denominator of sustained_rate',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sustained_weeks',
      type: 'INTEGER',
      description:
        'The contract’s sustained_weeks (13 or 26): which sustained date sustained_jobs counts',
      tests: [{ accepted_values: ['13', '26'] }],
    },
    {
      name: 'job_entry_rate',
      type: 'DOUBLE',
      description: 'job_entries ÷ starts (null when there are no starts)',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'job_entry_rate_low',
      type: 'DOUBLE',
      description: 'Lower bound of the 95% Wilson score interval for job_entry_rate',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'job_entry_rate_high',
      type: 'DOUBLE',
      description: 'Upper bound of the 95% Wilson score interval for job_entry_rate',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'sustained_rate',
      type: 'DOUBLE',
      description:
        'sustained_jobs ÷ job_entries_due_to_sustain: only job entries old enough to have sustained count (null when none are)',
      tests: [{ min: 0 }, { max: 1 }],
    },
  ],
};
