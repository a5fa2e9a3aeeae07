import { milestoneColumnNames } from '../../field-columns.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const intRestatements: Model = {
  name: 'int_restatements',
  layer: 'mart',
  partition: 'contract',
  description:
    'Intermediate (read by data_quality): every milestone date that an accepted return changed or took away, compared with the accepted return just before it (returns in order of period, then version, so a resubmission is compared with the version it replaced and the next month with the newest version of the month before). A milestone given for the first time is not a restatement. Read from the change records made at ingest.',
  sql: sqlFile(import.meta.url, 'int_restatements'),
  uniqueKey: ['contract_id', 'participant_id', 'milestone', 'period_after', 'version_after'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    {
      name: 'participant_id',
      type: 'VARCHAR',
      description: 'Pseudonymous participant reference',
      tests: ['not_null'],
    },
    {
      name: 'milestone',
      type: 'VARCHAR',
      description: 'Milestone date field',
      tests: ['not_null', { accepted_values: milestoneColumnNames }],
    },
    {
      name: 'period_before',
      type: 'VARCHAR',
      description: 'Period of the earlier return',
      tests: ['not_null'],
    },
    {
      name: 'version_before',
      type: 'INTEGER',
      description: 'Version of the earlier return',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'value_before',
      type: 'DATE',
      description: 'The date in the earlier return',
      tests: ['not_null'],
    },
    {
      name: 'period_after',
      type: 'VARCHAR',
      description: 'Period of the return that restated it',
      tests: ['not_null'],
    },
    {
      name: 'version_after',
      type: 'INTEGER',
      description: 'Version of the return that restated it',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'value_after',
      type: 'DATE',
      description: 'The date in the later return; null when it was taken away',
    },
    {
      name: 'resubmission',
      type: 'BOOLEAN',
      description:
        'Whether the change came with a resubmission for the same period (period_before = period_after)',
      tests: ['not_null'],
    },
    {
      name: 'change',
      type: 'VARCHAR',
      description:
        'changed (a different date), cleared (the date left blank) or participant_removed (the participant is not in the later return)',
      tests: ['not_null', { accepted_values: ['changed', 'cleared', 'participant_removed'] }],
    },
  ],
};
