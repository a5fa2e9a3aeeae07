import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const standards: Model = {
  name: 'standards',
  layer: 'mart',
  partition: 'contract',
  description:
    'Each programme standard per contract and month: numerator, denominator, rate, the bound it must meet (min_rate or max_rate) and whether it was met, for the month and contract-to-date. Standards and the milestones they read come from the programme definition.',
  sql: sqlFile(import.meta.url, 'standards'),
  uniqueKey: ['contract_id', 'standard_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'standard_id',
      type: 'VARCHAR',
      description: 'Standard id (from the programme definition)',
      tests: ['not_null'],
    },
    { name: 'standard_label', label: 'Standard', type: 'VARCHAR', description: 'Standard name' },
    {
      name: 'kind',
      type: 'VARCHAR',
      description: 'within_days, max_share or min_share',
      tests: ['not_null', { accepted_values: ['within_days', 'max_share', 'min_share'] }],
    },
    {
      name: 'days',
      type: 'INTEGER',
      description: 'For within_days: the most days allowed from the `from` to the `to` milestone',
    },
    {
      name: 'period',
      label: 'Month',
      format: 'period',
      type: 'VARCHAR',
      description: 'Month (YYYY-MM)',
      tests: ['not_null'],
    },
    {
      name: 'numerator',
      label: 'Met the standard',
      format: 'number',
      type: 'INTEGER',
      description:
        'within_days: participants counted in the denominator whose `to` came within `days` of `from`; max_share: participants with any numerator milestone dated in the month; min_share: participants counted in the denominator who have reached the numerator milestone',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'denominator',
      label: 'Counted',
      format: 'number',
      type: 'INTEGER',
      description:
        'within_days: participants whose `to` milestone falls in the month (with a `from` date); max_share and min_share: participants whose denominator milestone falls in the month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'rate',
      label: 'Rate',
      format: 'percent',
      type: 'DOUBLE',
      description: 'numerator ÷ denominator (null when the denominator is 0)',
      tests: [{ min: 0 }],
    },
    {
      name: 'min_rate',
      type: 'DOUBLE',
      description: 'The rate must be at least this (within_days, min_share); null for max_share',
    },
    {
      name: 'max_rate',
      type: 'DOUBLE',
      description: 'The rate must be at most this (max_share); null otherwise',
    },
    {
      name: 'met',
      label: 'Standard met',
      type: 'BOOLEAN',
      description: 'Whether the month’s rate meets its bound; null when the denominator is 0',
    },
    {
      name: 'cumulative_numerator',
      label: 'Met the standard to date',
      format: 'number',
      type: 'INTEGER',
      description:
        'Numerator from the start of the contract to this month (for max_share, each participant once, from the month of their first numerator milestone)',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_denominator',
      label: 'Counted to date',
      format: 'number',
      type: 'INTEGER',
      description: 'Denominator from the start of the contract to this month',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'cumulative_rate',
      label: 'Rate to date',
      format: 'percent',
      type: 'DOUBLE',
      description: 'cumulative_numerator ÷ cumulative_denominator (null when it is 0)',
      tests: [{ min: 0 }],
    },
    {
      name: 'cumulative_met',
      label: 'Standard met to date',
      type: 'BOOLEAN',
      description:
        'Whether the contract-to-date rate meets its bound; null when the cumulative denominator is 0',
    },
  ],
};
