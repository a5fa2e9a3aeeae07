import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const providerTimeliness: Model = {
  name: 'provider_timeliness',
  layer: 'mart',
  // Counts of returns, not of people: nothing to suppress, so commissioners see it as it is.
  audience: 'published',
  partition: 'global',
  description:
    'Reporting rate and timeliness per provider and programme, over every return whose deadline has passed by the as-at date: how many were due, received, accepted, on time, late, rejected and missing, with each rate beside its numerator and denominator.',
  sql: sqlFile(import.meta.url, 'provider_timeliness'),
  uniqueKey: ['provider_id', 'programme_id'],
  columns: [
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'provider_name', label: 'Provider', type: 'VARCHAR', description: 'Provider name' },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'programme_name', type: 'VARCHAR', description: 'Programme name' },
    {
      name: 'contracts',
      label: 'Contracts',
      format: 'number',
      type: 'INTEGER',
      description: 'Contracts the provider holds in the programme',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'expected_returns',
      label: 'Returns due',
      format: 'number',
      type: 'INTEGER',
      description:
        'Returns whose deadline has passed by the as-at date: the denominator of both rates',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'received_returns',
      label: 'Received',
      format: 'number',
      type: 'INTEGER',
      description:
        'Of those, returns with any upload (accepted or rejected): the reporting rate’s numerator',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'accepted_returns',
      type: 'INTEGER',
      description: 'Of those, returns with an accepted version (at any time)',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'on_time_returns',
      label: 'Accepted on time',
      format: 'number',
      type: 'INTEGER',
      description:
        'Of those, returns first accepted on or before the deadline day: the timeliness rate’s numerator',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'late_returns',
      label: 'Accepted late',
      format: 'number',
      type: 'INTEGER',
      description: 'Of those, returns first accepted after the deadline',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'rejected_returns',
      type: 'INTEGER',
      description: 'Of those, returns received but with nothing accepted',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'missing_returns',
      label: 'Missing',
      format: 'number',
      type: 'INTEGER',
      description: 'Of those, returns with nothing received',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'reporting_rate',
      label: 'Reporting rate',
      format: 'percent',
      type: 'DOUBLE',
      description: 'received_returns ÷ expected_returns (null when nothing is due yet)',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'timeliness_rate',
      label: 'Timeliness rate',
      format: 'percent',
      type: 'DOUBLE',
      description: 'on_time_returns ÷ expected_returns (null when nothing is due yet)',
      tests: [{ min: 0 }, { max: 1 }],
    },
  ],
};
