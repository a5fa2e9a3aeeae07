import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

/** The pairs found, named: the last step of both forms of the model. */
const namedPairs = sqlFile(import.meta.url, 'double_claims.named-pairs');

export const doubleClaims: Model = {
  name: 'double_claims',
  layer: 'mart',
  partition: 'global',
  description:
    'Participant ids in the newest returns of two or more contracts (possible double claiming): one row per contract and other contract, naming the other contract and its provider. For the contract managers of both contracts and admins only; providers see in data_quality that a participant is also under another contract, never which.',
  sql: sqlFile(import.meta.url, 'double_claims', { named_pairs: namedPairs }),
  incrementalSql: sqlFile(import.meta.url, 'double_claims.incremental', {
    named_pairs: namedPairs,
  }),
  uniqueKey: ['contract_id', 'participant_id', 'other_contract_id'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'participant_id',
      label: 'Participant',
      type: 'VARCHAR',
      description: 'The participant id found under both contracts',
      tests: ['not_null'],
    },
    {
      name: 'period',
      label: 'In this contract’s return for',
      format: 'period',
      type: 'VARCHAR',
      description: 'The month of the contract’s newest return',
      tests: ['not_null'],
    },
    {
      name: 'other_contract_id',
      label: 'Also under contract',
      type: 'VARCHAR',
      description: 'The other contract whose newest return has the same participant id',
      tests: ['not_null'],
    },
    {
      name: 'other_provider_id',
      type: 'VARCHAR',
      description: 'The other contract’s prime provider',
      tests: ['not_null'],
    },
    {
      name: 'other_provider_name',
      label: 'Provider',
      type: 'VARCHAR',
      description: 'The other contract’s prime provider, by name',
      tests: ['not_null'],
    },
    {
      name: 'other_period',
      label: 'In that contract’s return for',
      format: 'period',
      type: 'VARCHAR',
      description: 'The month of the other contract’s newest return',
      tests: ['not_null'],
    },
  ],
};
