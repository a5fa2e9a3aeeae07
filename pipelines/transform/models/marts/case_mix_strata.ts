import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const count = (name: string, description: string): Column => ({
  name,
  type: 'INTEGER',
  description,
  tests: ['not_null', { min: 0 }],
});
const sum = (name: string, description: string): Column => ({
  name,
  type: 'DOUBLE',
  description,
  tests: ['not_null'],
});

export const caseMixStrata: Model = {
  name: 'case_mix_strata',
  layer: 'mart',
  partition: 'contract',
  description:
    'Each contract’s participants by case-mix stratum (age band × primary condition group × benefit at referral × engagement; a blank is not_recorded): referrals, starts, job entries, and the counts, sums and sums of squares of days to first contact and of contacts. What fair_comparison builds expected outcomes from. True counts: never published.',
  sql: sqlFile(import.meta.url, 'case_mix_strata'),
  uniqueKey: ['contract_id', 'age_band', 'primary_condition_group', 'benefit', 'engagement'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'age_band', type: 'VARCHAR', description: 'Age band at referral', tests: ['not_null'] },
    {
      name: 'primary_condition_group',
      type: 'VARCHAR',
      description: 'Primary condition group',
      tests: ['not_null'],
    },
    { name: 'benefit', type: 'VARCHAR', description: 'Benefit at referral', tests: ['not_null'] },
    { name: 'engagement', type: 'VARCHAR', description: 'Engagement', tests: ['not_null'] },
    count('referrals', 'Participants referred'),
    count('starts', 'Of those, participants with a start date'),
    count('job_entries', 'Of the starts, participants with a job entry'),
    count('first_contacts', 'Participants with a first contact date'),
    sum('days_to_first_contact_sum', 'Sum of days from referral to first contact'),
    sum('days_to_first_contact_sumsq', 'Sum of squared days from referral to first contact'),
    count('contacts_recorded', 'Starts with a contact count'),
    sum('contacts_sum', 'Sum of contacts of the starts'),
    sum('contacts_sumsq', 'Sum of squared contacts of the starts'),
  ],
};
