/** Staging models: rename, cast, clean and reshape the sources; no business logic. */
import { milestoneColumnNames, participantColumns } from '../../field-columns.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const sql = (name: string) => sqlFile(import.meta.url, name);

export const stgContracts: Model = {
  name: 'stg_contracts',
  layer: 'staging',
  partition: 'contract',
  description: 'One row per contract: programme, provider, area, RAG thresholds and payment model.',
  sql: sql('stg_contracts'),
  uniqueKey: ['contract_id'],
  columns: [
    {
      name: 'contract_id',
      type: 'VARCHAR',
      description: 'Contract id',
      tests: ['not_null', 'unique'],
    },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'programme_name', type: 'VARCHAR', description: 'Programme name' },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'provider_name', type: 'VARCHAR', description: 'Prime provider name' },
    { name: 'area_code', type: 'VARCHAR', description: 'Area code' },
    { name: 'area_name', type: 'VARCHAR', description: 'Area name' },
    { name: 'portfolio', type: 'VARCHAR', description: 'Contract manager portfolio' },
    { name: 'start_period', type: 'VARCHAR', description: 'First month of the term' },
    { name: 'end_period', type: 'VARCHAR', description: 'Last month of the term' },
    { name: 'has_cmp', type: 'BOOLEAN', description: 'Whether the programme includes a CMP' },
    { name: 'rag_green_from', type: 'DOUBLE', description: 'Green from this share of profile' },
    { name: 'rag_amber_from', type: 'DOUBLE', description: 'Amber from this share of profile' },
    { name: 'service_fee_per_start', type: 'DOUBLE', description: 'Service fee per start, £' },
    { name: 'job_outcome_payment', type: 'DOUBLE', description: 'Payment per job entry, £' },
    { name: 'sustained_payment', type: 'DOUBLE', description: 'Payment per sustained job, £' },
    {
      name: 'sustained_weeks',
      type: 'INTEGER',
      description: '13 or 26',
      tests: [{ accepted_values: ['13', '26'] }],
    },
  ],
};

export const stgParticipants: Model = {
  name: 'stg_participants',
  layer: 'staging',
  partition: 'contract',
  description: 'Every participant as the newest accepted return of their contract reports them.',
  sql: sql('stg_participants'),
  uniqueKey: ['contract_id', 'participant_id'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    {
      name: 'as_at_period',
      type: 'VARCHAR',
      description: 'The period of the return these rows come from',
      tests: ['not_null'],
    },
    ...participantColumns,
  ],
};

export const stgMilestones: Model = {
  name: 'stg_milestones',
  layer: 'staging',
  partition: 'contract',
  description: 'One row per participant and milestone reached, with the month it falls in.',
  sql: sql('stg_milestones'),
  uniqueKey: ['contract_id', 'participant_id', 'milestone'],
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
    { name: 'milestone_date', type: 'DATE', description: 'Date reached', tests: ['not_null'] },
    {
      name: 'period',
      type: 'VARCHAR',
      description: 'Month reached (YYYY-MM)',
      tests: ['not_null'],
    },
  ],
};

export const stgContractMonths: Model = {
  name: 'stg_contract_months',
  layer: 'staging',
  partition: 'contract',
  description:
    'The months each contract has reported on, from the start of its term to its newest return.',
  sql: sql('stg_contract_months'),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'period', type: 'VARCHAR', description: 'Month (YYYY-MM)', tests: ['not_null'] },
  ],
};

export const stagingModels: Model[] = [
  stgContracts,
  stgParticipants,
  stgMilestones,
  stgContractMonths,
];
