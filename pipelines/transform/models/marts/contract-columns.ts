/**
 * The columns that open a contract-month mart: which contract, programme and prime provider a
 * row is of, and its month. Declared once so that every mart reading them describes them alike
 * (docs/marts.md is generated from these).
 */
import type { Column } from '../../model.js';

/** contract_id, programme_id and provider_id, never null. */
export const contractColumns: readonly Column[] = [
  { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
  { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
  { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
];

/**
 * `period`, the month (YYYY-MM), shown on pages as "Month"; the description says which month.
 *
 * @example
 * columns: [...contractColumns, monthColumn('Month of the return'), ...]
 */
export function monthColumn(description = 'Month (YYYY-MM)'): Column {
  return {
    name: 'period',
    label: 'Month',
    format: 'period',
    type: 'VARCHAR',
    description,
    tests: ['not_null'],
  };
}
