import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const funnel: Model = {
  name: 'funnel',
  layer: 'mart',
  partition: 'contract',
  description:
    'The delivery funnel per contract and referral cohort (the month of referral): referrals → starts → CMP referrals → CMP starts → CMP completions → job entries → sustained jobs, counting the cohort’s participants who have reached each stage by the newest return, with each conversion rate beside its numerator and denominator.',
  sql: sqlFile(import.meta.url, 'funnel'),
  uniqueKey: ['contract_id', 'cohort_period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'cohort_period',
      label: 'Referred in',
      format: 'period',
      type: 'VARCHAR',
      description: 'Referral cohort: the month (YYYY-MM) the participants were referred in',
      tests: ['not_null'],
    },
    {
      name: 'sustained_weeks',
      type: 'INTEGER',
      description: 'The weeks a job must last to count as sustained under the contract (13 or 26)',
      tests: ['not_null', { accepted_values: ['13', '26'] }],
    },
    {
      name: 'referrals',
      label: 'Referrals',
      format: 'number',
      type: 'INTEGER',
      description: 'Participants referred in the cohort month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'starts',
      label: 'Starts',
      format: 'number',
      type: 'INTEGER',
      description: 'Of the cohort, participants with a start date',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cmp_referrals',
      type: 'INTEGER',
      description:
        'Of the cohort, participants referred to the CMP; null when the programme has no CMP',
      tests: [{ min: 0 }],
    },
    {
      name: 'cmp_starts',
      type: 'INTEGER',
      description:
        'Of the cohort, participants who started the CMP; null when the programme has no CMP',
      tests: [{ min: 0 }],
    },
    {
      name: 'cmp_completions',
      type: 'INTEGER',
      description:
        'Of the cohort, participants who completed the CMP; null when the programme has no CMP',
      tests: [{ min: 0 }],
    },
    {
      name: 'job_entries',
      label: 'Job entries',
      format: 'number',
      type: 'INTEGER',
      description: 'Of the cohort, participants with a job entry date',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sustained_jobs',
      label: 'Sustained jobs',
      format: 'number',
      type: 'INTEGER',
      description:
        'Of the cohort, participants whose job was sustained for the contract’s sustained_weeks (13 or 26 weeks date given)',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'job_entries_due_to_sustain',
      label: 'Job entries old enough to sustain',
      format: 'number',
      type: 'INTEGER',
      description:
        'Of the cohort, job entries at least sustained_weeks before the end of the newest return’s month: the denominator of sustain_rate',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'start_rate',
      label: 'Start rate',
      format: 'percent',
      type: 'DOUBLE',
      description: 'starts ÷ referrals (null when there are no referrals)',
      tests: [{ min: 0 }],
    },
    {
      name: 'cmp_completion_rate',
      type: 'DOUBLE',
      description: 'cmp_completions ÷ cmp_starts (null when there are no CMP starts or no CMP)',
      tests: [{ min: 0 }],
    },
    {
      name: 'job_entry_rate',
      label: 'Job entry rate',
      format: 'percent',
      type: 'DOUBLE',
      description: 'job_entries ÷ starts (null when there are no starts)',
      tests: [{ min: 0 }],
    },
    {
      name: 'sustain_rate',
      label: 'Sustain rate',
      format: 'percent',
      type: 'DOUBLE',
      description:
        'sustained_jobs ÷ job_entries_due_to_sustain (null when no job entry is old enough)',
      tests: [{ min: 0 }],
    },
  ],
};
