/**
 * Claims verification (ADR 040, docs/methods/claims-verification.md): the outcomes paid by
 * result, each month's reproducible sample of them with the evidence recorded, and the error
 * rate extrapolated to the payments.
 */
import { wilsonSql } from '../../../measures/compile.js';
import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const keyColumns: Column[] = [
  {
    name: 'contract_id',
    label: 'Contract',
    type: 'VARCHAR',
    description: 'Contract id',
    tests: ['not_null'],
  },
  { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
  { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
  {
    name: 'period',
    label: 'Month claimed',
    format: 'period',
    type: 'VARCHAR',
    description: 'The month the outcome was claimed (and paid) in, YYYY-MM',
    tests: ['not_null'],
  },
  {
    name: 'outcome_kind',
    type: 'VARCHAR',
    description: 'job_entry or sustained_job',
    tests: ['not_null', { accepted_values: ['job_entry', 'sustained_job'] }],
  },
];

export const intClaimedOutcomes: Model = {
  name: 'int_claimed_outcomes',
  layer: 'mart',
  partition: 'contract',
  description:
    'Intermediate (read by payments and claims_sample): every outcome paid by result, a job entry in the month of its date and a sustained job in the month it reached the contract’s 13 or 26 weeks, within the months the contract has reported on, with the payment for it.',
  sql: sqlFile(import.meta.url, 'int_claimed_outcomes'),
  uniqueKey: ['contract_id', 'outcome_kind', 'participant_id'],
  columns: [
    ...keyColumns,
    {
      name: 'participant_id',
      type: 'VARCHAR',
      description: 'Pseudonymous participant reference',
      tests: ['not_null'],
    },
    {
      name: 'payment',
      type: 'DOUBLE',
      description: 'The contract’s payment for this kind of outcome, £',
      tests: ['not_null', { min: 0 }],
    },
  ],
};

export const claimsSample: Model = {
  name: 'claims_sample',
  layer: 'mart',
  partition: 'contract',
  description:
    'Each month’s reproducible sample of claimed outcomes per contract and outcome kind (ordered by the MD5 of contract, month, outcome kind and participant id; the first ceil(share × claimed) taken, at least min or all, at most max, by the programme’s claims_sample rule), with the newest evidence the provider recorded for each claim (ADR 040).',
  sql: sqlFile(import.meta.url, 'claims_sample'),
  uniqueKey: ['contract_id', 'period', 'outcome_kind', 'participant_id'],
  columns: [
    ...keyColumns,
    {
      name: 'participant_id',
      label: 'Participant',
      type: 'VARCHAR',
      description: 'Pseudonymous participant reference of the claim sampled',
      tests: ['not_null'],
    },
    {
      name: 'sample_rank',
      label: 'Claim',
      format: 'number',
      type: 'INTEGER',
      description: 'Its place in the sample (1 first)',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'claimed',
      type: 'INTEGER',
      description: 'Outcomes of this kind claimed by the contract in the month',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'sample_size',
      type: 'INTEGER',
      description: 'Claims sampled from them, by the programme’s rule',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'evidence',
      type: 'VARCHAR',
      description: 'held or not_held, as the provider last recorded; null until recorded',
      tests: [{ accepted_values: ['held', 'not_held'] }],
    },
    {
      name: 'note',
      label: 'Note',
      type: 'VARCHAR',
      description: 'The provider’s note with its answer',
    },
    { name: 'recorded_by', type: 'VARCHAR', description: 'Who recorded the answer' },
    { name: 'recorded_at', type: 'TIMESTAMP', description: 'When the answer was recorded' },
  ],
};

const wilson = wilsonSql('not_held', 'sampled');

export const claimsVerification: Model = {
  name: 'claims_verification',
  layer: 'mart',
  partition: 'contract',
  description:
    'Claims verification per contract, month and outcome kind (ADR 040): outcomes paid, the sample and the answers recorded, the error rate (not held ÷ sampled) with its 95% Wilson interval, and the adjustment: the error rate extrapolated to every outcome paid (error rate × outcomes paid × payment per outcome, £). Rate and adjustment are null until every sampled claim has an answer.',
  sql: sqlFile(import.meta.url, 'claims_verification', {
    wilson_low: wilson.low,
    wilson_high: wilson.high,
  }),
  uniqueKey: ['contract_id', 'period', 'outcome_kind'],
  columns: [
    ...keyColumns,
    {
      name: 'outcomes_paid',
      label: 'Outcomes paid',
      format: 'number',
      type: 'INTEGER',
      description: 'Outcomes of this kind paid in the month (every claim)',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'payment_per_outcome',
      label: 'Payment each',
      format: 'money',
      type: 'DOUBLE',
      description: 'The contract’s payment per outcome of this kind, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'paid',
      label: 'Paid',
      format: 'money',
      type: 'DOUBLE',
      description: 'outcomes_paid × payment_per_outcome, £',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'sampled',
      label: 'Claims sampled',
      format: 'number',
      type: 'INTEGER',
      description: 'Claims in the month’s sample',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'recorded',
      label: 'Answers recorded',
      format: 'number',
      type: 'INTEGER',
      description: 'Sampled claims the provider has answered for',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'not_held',
      label: 'Evidence not held',
      format: 'number',
      type: 'INTEGER',
      description: 'Sampled claims whose evidence is not held',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'complete',
      type: 'BOOLEAN',
      description: 'Whether every sampled claim has an answer',
      tests: ['not_null'],
    },
    {
      name: 'error_rate',
      label: 'Error rate',
      format: 'percent',
      type: 'DOUBLE',
      description: 'not_held ÷ sampled; null until complete',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'error_rate_low',
      label: 'Lower 95% limit',
      format: 'percent',
      type: 'DOUBLE',
      description: 'Lower bound of the 95% Wilson score interval of the error rate',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'error_rate_high',
      label: 'Upper 95% limit',
      format: 'percent',
      type: 'DOUBLE',
      description: 'Upper bound of the 95% Wilson score interval of the error rate',
      tests: [{ min: 0 }, { max: 1 }],
    },
    {
      name: 'outcomes_unevidenced',
      label: 'Outcomes without evidence (estimated)',
      format: 'number',
      type: 'DOUBLE',
      description: 'error_rate × outcomes_paid: the outcomes paid estimated to lack evidence',
      tests: [{ min: 0 }],
    },
    {
      name: 'adjustment',
      label: 'Adjustment',
      format: 'money',
      type: 'DOUBLE',
      description:
        'error_rate × outcomes_paid × payment_per_outcome, £: taken off the payments due; null until complete',
      tests: [{ min: 0 }],
    },
    {
      name: 'adjusted_paid',
      label: 'Paid after adjustment',
      format: 'money',
      type: 'DOUBLE',
      description: 'paid − adjustment, £; null until complete',
      tests: [{ min: 0 }],
    },
  ],
};

export const claimsModels: Model[] = [intClaimedOutcomes, claimsSample, claimsVerification];
