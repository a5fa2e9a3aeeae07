import { wilsonSql } from '../../../measures/compile.js';
import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { hiddenSelect, SMALL, suppressedCount, type Hiding } from './rule.js';

const hiding: Hiding = {
  counts: {
    outcomes_paid: 'paid_hidden',
    sampled: 'sampled_hidden',
    not_held: 'not_held_hidden',
  },
  derived: {
    paid: ['outcomes_paid'],
    error_rate: ['sampled', 'not_held'],
    error_rate_low: ['sampled', 'not_held'],
    error_rate_high: ['sampled', 'not_held'],
    adjustment: ['outcomes_paid', 'sampled', 'not_held'],
  },
};

const columns: Column[] = [
  { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
  { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
  { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
  {
    name: 'outcome_kind',
    type: 'VARCHAR',
    description: 'job_entry or sustained_job',
    tests: ['not_null', { accepted_values: ['job_entry', 'sustained_job'] }],
  },
  {
    name: 'period',
    label: 'Checked to the end of',
    format: 'period',
    type: 'VARCHAR',
    description:
      'The newest month pooled: every month to it with claims has its sample fully answered (a month still open, and every month after it, is left out until it is answered)',
    tests: ['not_null'],
  },
  ...suppressedCount(
    'outcomes_paid',
    'Outcomes paid in the months checked (hidden also where suppressed_performance hides the same cumulative)',
    'Outcomes paid',
  ),
  {
    name: 'paid',
    label: 'Paid',
    format: 'money',
    type: 'DOUBLE',
    description: 'Paid for them, £; null when the outcomes paid are hidden',
  },
  ...suppressedCount(
    'sampled',
    'Claims sampled in those months (hidden with the outcomes paid where the cumulative is hidden: a small month’s sample is all its claims)',
    'Claims sampled',
  ),
  ...suppressedCount(
    'not_held',
    'Claims sampled whose evidence is not held (hidden also when those with evidence are 1 to 4)',
    'Evidence not held',
  ),
  {
    name: 'error_rate',
    label: 'Error rate',
    format: 'percent',
    type: 'DOUBLE',
    description: 'not_held ÷ sampled over the months checked; null when either is hidden',
  },
  {
    name: 'error_rate_low',
    label: 'Lower 95% limit',
    format: 'percent',
    type: 'DOUBLE',
    description: 'Lower bound of its 95% Wilson interval; null when hidden',
  },
  {
    name: 'error_rate_high',
    label: 'Upper 95% limit',
    format: 'percent',
    type: 'DOUBLE',
    description: 'Upper bound of its 95% Wilson interval; null when hidden',
  },
  {
    name: 'adjustment',
    label: 'Adjustment',
    format: 'money',
    type: 'DOUBLE',
    description:
      'The monthly adjustments summed (each month’s error rate × outcomes paid × payment), £; null when any count behind it is hidden',
  },
  {
    name: 'suppressed',
    type: 'BOOLEAN',
    description: 'Whether any figure of the row is hidden',
    tests: ['not_null'],
  },
];

const wilson = wilsonSql('not_held', 'sampled');

export const suppressedClaimsVerification: Model = {
  name: 'suppressed_claims_verification',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Commissioner-facing claims verification per contract and outcome kind over the months whose sample is fully answered, up to the first still open: outcomes paid (hidden also where suppressed_performance hides the cumulative they equal), claims sampled and those without evidence (each hidden when 1 to 4; those without evidence also when those with it are 1 to 4), the error rate with its 95% Wilson interval and the adjustments summed, hidden with any count behind them (ADR 040, ADR 021).',
  sql: sqlFile(import.meta.url, 'suppressed_claims_verification', {
    small: SMALL,
    columns: hiddenSelect(columns, hiding),
    wilson_low: wilson.low,
    wilson_high: wilson.high,
  }),
  uniqueKey: ['contract_id', 'outcome_kind'],
  columns,
};
