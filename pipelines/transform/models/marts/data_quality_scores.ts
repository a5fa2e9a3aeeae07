import {
  aggregateFields,
  NOT_KNOWN_CODES,
  participantFields,
  type Field,
} from '../../../returns/fields.js';
import { sqlString } from '../../../duckdb/open.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const fields: readonly Field[] = participantFields;
/** Optional fields expected of every participant: their blanks count against completeness. */
export const expectedFieldNames = fields.filter((f) => f.expected).map((f) => f.name);
/** Coded fields with a "not known" code: the default share is read from these. */
export const notKnownFieldNames = fields
  .filter((f) => f.type === 'code' && f.codes.some((c) => NOT_KNOWN_CODES.includes(c.code)))
  .map((f) => f.name);

const sum = (terms: readonly string[]) => terms.join(' + ') || '0';
const notKnownList = NOT_KNOWN_CODES.map(sqlString).join(', ');

const share = (name: string, label: string, description: string) =>
  ({
    name,
    label,
    format: 'percent',
    type: 'DOUBLE',
    description,
    tests: [{ min: 0 }, { max: 1 }],
  }) as const;

export const dataQualityScores: Model = {
  name: 'data_quality_scores',
  layer: 'mart',
  // Shares of a return's values and counts of returns: no participant's value, no count of people.
  audience: 'published',
  partition: 'contract',
  description:
    'A data-quality score per contract and month after NHS England’s DQMI: coverage (returns received of returns due, to date), completeness (expected optional fields filled), validity (values with no warning) and the share of "not known" values, each from 0 to 1, and the score, their mean with the not-known share turned round (docs/methods/data-quality-score.md).',
  sql: sqlFile(import.meta.url, 'data_quality_scores', {
    expected_fields: String(expectedFieldNames.length),
    expected_filled: sum(expectedFieldNames.map((f) => `(${f} is not null)::integer`)),
    coded_filled: sum(notKnownFieldNames.map((f) => `(${f} is not null)::integer`)),
    coded_not_known: sum(
      notKnownFieldNames.map((f) => `coalesce(${f} in (${notKnownList}), false)::integer`),
    ),
    participant_fields: String(participantFields.length),
    aggregate_fields: String(aggregateFields.length),
  }),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'period',
      label: 'Month',
      format: 'period',
      type: 'VARCHAR',
      description:
        'Month of the return; every month whose deadline has passed or whose return came',
      tests: ['not_null'],
    },
    {
      name: 'returns_due',
      label: 'Returns due',
      format: 'number',
      type: 'INTEGER',
      description: 'Returns due from the start of the term to this month',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'returns_received',
      label: 'Returns received',
      format: 'number',
      type: 'INTEGER',
      description: 'Of those, returns with a version accepted and in force',
      tests: ['not_null', { min: 0 }],
    },
    share('coverage', 'Coverage', 'Returns received of returns due, to this month'),
    share(
      'completeness',
      'Completeness',
      `Of the optional fields expected of every participant (${expectedFieldNames.join(', ')}), the share filled in this month’s return; null with no participant return in force`,
    ),
    share(
      'validity',
      'Validity',
      'The share of values in this month’s return with no warning on them (rows × fields); null with no return in force',
    ),
    share(
      'not_known',
      'Not known',
      `Of the filled values of ${notKnownFieldNames.join(', ')}, the share that are ${NOT_KNOWN_CODES.join(' or ')} (lower is better); null with no participant return in force`,
    ),
    share(
      'score',
      'Score',
      'The mean of coverage, completeness, validity and 1 − not known (of those that apply: an aggregate return has coverage and validity only); null with no return in force',
    ),
    {
      name: 'rows_in_return',
      label: 'Rows',
      format: 'number',
      type: 'INTEGER',
      description: 'Rows in the month’s return in force; null with none',
      tests: [{ min: 0 }],
    },
  ],
};
