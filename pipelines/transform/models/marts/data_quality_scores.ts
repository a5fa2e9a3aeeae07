import { NOT_KNOWN_CODES } from '../../../returns/fields.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { contractColumns, monthColumn } from './contract-columns.js';
import { SMALLEST_SHOWN } from '../suppressed/rule.js';
import { expectedFieldNames, notKnownFieldNames } from './int_return_quality.js';

const share = (name: string, label: string, description: string) =>
  ({
    name,
    label,
    format: 'percent',
    type: 'DOUBLE',
    description,
    tests: [{ min: 0 }, { max: 1 }],
  }) as const;

const withheld = `null with no return in force, or when a participant return has fewer than ${SMALLEST_SHOWN} rows`;

export const dataQualityScores: Model = {
  name: 'data_quality_scores',
  layer: 'mart',
  // Shares of a return's values and counts of returns: no participant's value, no count of
  // people; shares of a return of one to four people are withheld (ADR 051).
  audience: 'published',
  partition: 'contract',
  description:
    'A data-quality score per contract and month after NHS England’s DQMI: coverage (returns received of returns due, to date), completeness (expected optional fields filled), validity (values with no warning) and the share of "not known" values, each from 0 to 1, and the score, their mean with the not-known share turned round (docs/methods/data-quality-score.md). Made from the counts taken at ingest (int_return_quality) and the returns due as at the build date.',
  sql: sqlFile(import.meta.url, 'data_quality_scores', {
    smallest_shown: String(SMALLEST_SHOWN),
  }),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    ...contractColumns,
    monthColumn('Month of the return; every month whose deadline has passed or whose return came'),
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
      `Of the optional fields expected of every participant (${expectedFieldNames.join(', ')}), the share filled in this month’s return; null for an aggregate return, ${withheld}`,
    ),
    share(
      'validity',
      'Validity',
      `The share of values in this month’s return with no warning on them (rows × fields); ${withheld}`,
    ),
    share(
      'not_known',
      'Not known',
      `Of the filled values of ${notKnownFieldNames.join(', ')}, the share that are ${NOT_KNOWN_CODES.join(' or ')} (lower is better); null for an aggregate return, ${withheld}`,
    ),
    share(
      'score',
      'Score',
      `The mean of coverage, completeness, validity and 1 − not known (of those that apply: an aggregate return has coverage and validity only); ${withheld}`,
    ),
    {
      name: 'return_kind',
      label: 'Return',
      type: 'VARCHAR',
      description:
        'The kind of the return scored: participant or aggregate; null with none in force',
      tests: [{ accepted_values: ['participant', 'aggregate'] }],
    },
    {
      name: 'withheld',
      type: 'BOOLEAN',
      description: `Whether the shares and score are withheld because the participant return has fewer than ${SMALLEST_SHOWN} rows`,
      tests: ['not_null'],
    },
  ],
};
