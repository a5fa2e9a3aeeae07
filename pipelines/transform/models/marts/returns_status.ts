import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const returnStatuses = [
  'accepted_on_time',
  'accepted_late',
  'held',
  'withdrawn',
  'rejected',
  'missing',
  'not_yet_due',
] as const;

export const returnsStatus: Model = {
  name: 'returns_status',
  layer: 'mart',
  partition: 'contract',
  description:
    'Every return a contract owes as at the build date (contract × month of its term that has ended), with its deadline (the nth working day of the next month, skipping weekends and England and Wales bank holidays), what was received and accepted, and whether it came on time, late, was rejected, is missing or is not yet due. Upload times are judged by their date in England.',
  sql: sqlFile(import.meta.url, 'returns_status'),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    {
      name: 'contract_id',
      label: 'Contract',
      type: 'VARCHAR',
      description: 'Contract id',
      tests: ['not_null'],
    },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    {
      name: 'provider_id',
      type: 'VARCHAR',
      description: 'Prime provider id (who sends the return)',
      tests: ['not_null'],
    },
    {
      name: 'period',
      label: 'Month',
      format: 'period',
      type: 'VARCHAR',
      description: 'The month the return is for (YYYY-MM)',
      tests: ['not_null'],
    },
    {
      name: 'deadline',
      label: 'Deadline',
      format: 'date',
      type: 'DATE',
      description: 'The last day to send it on time',
      tests: ['not_null'],
    },
    {
      name: 'received',
      type: 'BOOLEAN',
      description: 'Whether any file has been uploaded for the month, accepted or not',
      tests: ['not_null'],
    },
    {
      name: 'first_submitted_at',
      type: 'TIMESTAMP',
      description: 'When the first file for the month was uploaded (UTC); null when none',
    },
    {
      name: 'first_accepted_at',
      type: 'TIMESTAMP',
      description:
        'When the first accepted return for the month was uploaded (UTC); null when none',
    },
    {
      name: 'submissions',
      type: 'INTEGER',
      description: 'Files uploaded for the month, accepted or rejected',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'accepted_versions',
      type: 'INTEGER',
      description:
        'Accepted versions for the month put in force and not withdrawn (1, or more after resubmissions)',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'latest_version',
      type: 'INTEGER',
      description: 'The newest accepted version number; null when nothing was accepted',
      tests: [{ min: 1 }],
    },
    {
      name: 'version_in_force',
      type: 'INTEGER',
      description:
        'The version whose rows count (ADR 023); null when none is (nothing accepted, held, or withdrawn)',
      tests: [{ min: 1 }],
    },
    {
      name: 'in_force_restores_version',
      type: 'INTEGER',
      description:
        'When the version in force restores an earlier one (its bytes sent again), that version; else null',
      tests: [{ min: 1 }],
    },
    {
      name: 'status',
      type: 'VARCHAR',
      description:
        'accepted_on_time (first accepted return on or before the deadline day), accepted_late, held (accepted but held for the provider to confirm, none in force), withdrawn (every version in force withdrawn), rejected (received, nothing accepted), missing (nothing received, deadline passed) or not_yet_due (nothing received, deadline not passed)',
      tests: ['not_null', { accepted_values: returnStatuses }],
    },
    {
      name: 'on_time',
      type: 'BOOLEAN',
      description:
        'Whether the first accepted return came on or before the deadline day; false when nothing is accepted and the deadline has passed; null while there is still time',
    },
    {
      name: 'days_late',
      label: 'Days late',
      format: 'number',
      type: 'INTEGER',
      description:
        'Calendar days after the deadline: for a late return, from the deadline to the day of its first accepted upload; for a missing or rejected one past its deadline, from the deadline to the as-at date (overdue so far). Null when on time or not yet due',
      tests: [{ min: 1 }],
    },
    {
      name: 'review_status',
      type: 'VARCHAR',
      description:
        'Reserved for the contract manager’s review of the accepted return (queried when sent back with a query); always null until contract managers can record it',
      tests: [{ accepted_values: ['queried'] }],
    },
  ],
};
