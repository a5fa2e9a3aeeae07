import { hasNotKnownCode } from '../../../ingest/quality.js';
import { NOT_KNOWN_CODES, participantFields, type Field } from '../../../returns/fields.js';
import { sqlString } from '../../../duckdb/open.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const fields: readonly Field[] = participantFields;
/** Optional fields expected of every participant: their blanks count against completeness. */
export const expectedFieldNames = fields.filter((f) => f.expected).map((f) => f.name);
/** Coded fields with a "not known" code: the default share is read from these. */
export const notKnownFieldNames = fields.filter(hasNotKnownCode).map((f) => f.name);

const count = (name: string, description: string) =>
  ({ name, type: 'INTEGER', description, tests: ['not_null', { min: 0 }] }) as const;

export const intReturnQuality: Model = {
  name: 'int_return_quality',
  layer: 'mart',
  partition: 'contract',
  description:
    'Intermediate (read by data_quality_scores): the counts each month’s return in force is scored on, summed from the quality summaries made at ingest (ADR 051), never from participant rows. A month with both kinds is scored on its participant return.',
  sql: sqlFile(import.meta.url, 'int_return_quality', {
    expected_fields: expectedFieldNames.map(sqlString).join(', '),
  }),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'period', type: 'VARCHAR', description: 'Month of the return', tests: ['not_null'] },
    {
      name: 'kind',
      type: 'VARCHAR',
      description: 'participant or aggregate',
      tests: ['not_null', { accepted_values: ['participant', 'aggregate'] }],
    },
    count('rows_in_return', 'Rows in the return'),
    count('fields', 'Fields of a return of its kind, each counted in the summary'),
    count(
      'expected_fields',
      `Of those, the optional fields expected of every participant (${expectedFieldNames.join(', ')})`,
    ),
    count('expected_filled', 'Values of the expected fields filled in, over every row'),
    count(
      'coded_filled',
      `Filled values of the coded fields that have a "not known" code (${notKnownFieldNames.join(', ')})`,
    ),
    count('coded_not_known', `Of those, values that are ${NOT_KNOWN_CODES.join(' or ')}`),
    count(
      'warned_values',
      'Values (a row and a field) with a warning on them; a warning on the whole file or a whole row names no value',
    ),
  ],
};
