import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

export const intParticipantIds: Model = {
  name: 'int_participant_ids',
  layer: 'mart',
  partition: 'contract',
  description:
    'Intermediate (read by double_claims): each contract’s participant ids in its newest return, with a hash of each, so the check across contracts reads these small per-contract summaries rather than every contract’s staged returns.',
  sql: sqlFile(import.meta.url, 'int_participant_ids'),
  uniqueKey: ['contract_id', 'participant_id'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    {
      name: 'participant_hash',
      type: 'BIGINT',
      description: 'A 63-bit hash of the participant id (equal ids, equal hashes)',
      tests: ['not_null'],
    },
    {
      name: 'participant_id',
      type: 'VARCHAR',
      description: 'Pseudonymous participant reference',
      tests: ['not_null'],
    },
    {
      name: 'as_at_period',
      type: 'VARCHAR',
      description: 'The month of the contract’s newest return',
      tests: ['not_null'],
    },
  ],
};
