import { workStatusCodes } from '../../../returns/fields.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const workStatuses = workStatusCodes.map((c) => c.code);

export const outcomeTransitions: Model = {
  name: 'outcome_transitions',
  layer: 'mart',
  partition: 'contract',
  description:
    'Work-status transitions per the newest return: contract × stage (exit or follow_up) × status at referral × status at that stage, counting participants who have reached the stage (its date given) with a status recorded there, and their share of everyone from the same status at referral who reached it.',
  sql: sqlFile(import.meta.url, 'outcome_transitions'),
  uniqueKey: ['contract_id', 'stage', 'from_status', 'to_status'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'stage',
      type: 'VARCHAR',
      description:
        'exit (status at exit) or follow_up (status at the follow-up about six months after exit)',
      tests: ['not_null', { accepted_values: ['exit', 'follow_up'] }],
    },
    {
      name: 'from_status',
      type: 'VARCHAR',
      description: 'Work status at referral',
      tests: ['not_null', { accepted_values: workStatuses }],
    },
    {
      name: 'to_status',
      type: 'VARCHAR',
      description: 'Work status at the stage',
      tests: ['not_null', { accepted_values: workStatuses }],
    },
    {
      name: 'participants',
      type: 'INTEGER',
      description:
        'Participants who moved from from_status to to_status by the stage: the share’s numerator',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'from_status_participants',
      type: 'INTEGER',
      description:
        'Participants with from_status at referral who reached the stage with a status recorded: the share’s denominator',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'share',
      type: 'DOUBLE',
      description: 'participants ÷ from_status_participants',
      tests: ['not_null', { min: 0 }, { max: 1 }],
    },
  ],
};
