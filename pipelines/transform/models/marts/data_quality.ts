import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { contractColumns, monthColumn } from './contract-columns.js';

export const dataQualityChecks = [
  'restated_milestone',
  'validation_warning',
  'outlier',
  'duplicate_participant',
  'aggregate_mismatch',
] as const;

export const dataQuality: Model = {
  name: 'data_quality',
  layer: 'mart',
  partition: 'global',
  description:
    'Data quality issues for contract managers to follow up, one row each: restated milestones, validation warnings on the newest accepted returns, monthly referrals that are outliers by the programme’s chosen check (int_outliers: by default against the contract’s own previous 6 months), participant ids in the newest returns of two or more contracts (possible double claiming, without naming the other contract: that is in double_claims), and aggregate returns that disagree with participant-level figures.',
  sql: sqlFile(import.meta.url, 'data_quality'),
  columns: [
    ...contractColumns,
    monthColumn(
      'The month concerned: of the return that restated the milestone or carried the warning; the outlying or mismatched month; for a duplicate participant, the period of the contract’s newest return',
    ),
    {
      name: 'check_name',
      type: 'VARCHAR',
      description:
        'Which check found it (named check_name because CHECK is a reserved word in SQL)',
      tests: ['not_null', { accepted_values: dataQualityChecks }],
    },
    {
      name: 'severity',
      type: 'VARCHAR',
      description:
        'warning (figures may be wrong or have changed: a restatement that moves a milestone to another month or takes it away, an outlier, a duplicate participant, an aggregate mismatch) or info (a date moved within its month, a validation warning)',
      tests: ['not_null', { accepted_values: ['info', 'warning'] }],
    },
    {
      name: 'participant_id',
      label: 'Participant',
      type: 'VARCHAR',
      description:
        'The participant, for restated milestones and duplicate participants; null otherwise',
    },
    {
      name: 'field',
      label: 'Field',
      type: 'VARCHAR',
      description:
        'The milestone, return column or measure concerned; null for a warning about the whole return',
    },
    {
      name: 'detail',
      label: 'What was found',
      type: 'VARCHAR',
      description: 'What was found, in plain words',
      tests: ['not_null'],
    },
    {
      name: 'value_before',
      label: 'Before',
      type: 'VARCHAR',
      description:
        'For a restatement, the earlier date; for an outlier, what the month was held against (int_outliers.value_before); for an aggregate mismatch, the aggregate return’s count; null otherwise',
    },
    {
      name: 'value_after',
      label: 'After',
      type: 'VARCHAR',
      description:
        'For a restatement, the later date (null when taken away); for an outlier, the month’s figure; for an aggregate mismatch, the participant-level actual; null otherwise',
    },
  ],
};
