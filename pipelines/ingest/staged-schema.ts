/**
 * The columns of a staged Parquet file, generated from the field list in `returns/fields.ts`
 * (never typed twice): six columns saying which return version a row came from, then every
 * field of the return's kind in template order. Transforms and the Glue table definitions
 * read this list too.
 */
import { fieldsFor, type Field, type FieldType, type ReturnKind } from '../returns/fields.js';

export type StagedType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'DATE' | 'TIMESTAMP';

export interface StagedColumn {
  readonly name: string;
  readonly type: StagedType;
  readonly description: string;
  /** The return field this column holds; null for the columns about the version. */
  readonly field: Field | null;
}

/** The DuckDB type a field of each type is staged as. */
export const stagedTypeOf = {
  date: 'DATE',
  integer: 'INTEGER',
  number: 'DOUBLE',
  code: 'VARCHAR',
  id: 'VARCHAR',
} as const satisfies Record<FieldType, StagedType>;

/** The columns every staged file starts with, naming the return version each row came from. */
export const versionColumns: readonly StagedColumn[] = [
  {
    name: 'contract_id',
    type: 'VARCHAR',
    description: 'The contract the return is for.',
    field: null,
  },
  {
    name: 'period',
    type: 'VARCHAR',
    description: 'The month the return is for, YYYY-MM.',
    field: null,
  },
  {
    name: 'version',
    type: 'INTEGER',
    description:
      'Which accepted version of the return for this contract and month: 1, then 2 for a resubmission, and so on.',
    field: null,
  },
  {
    name: 'receipt_id',
    type: 'VARCHAR',
    description: 'The receipt of the upload the row came from.',
    field: null,
  },
  {
    name: 'submitted_at',
    type: 'TIMESTAMP',
    description: 'When the return was submitted (UTC).',
    field: null,
  },
  {
    name: 'row_number',
    type: 'INTEGER',
    description: 'The spreadsheet row the data came from (the heading is row 1).',
    field: null,
  },
];

const cache = new Map<ReturnKind, readonly StagedColumn[]>();

/** Every column of a staged file of this kind, in order. */
export function stagedColumns(kind: ReturnKind): readonly StagedColumn[] {
  let columns = cache.get(kind);
  if (!columns) {
    columns = [
      ...versionColumns,
      ...fieldsFor(kind).map((f): StagedColumn => ({
        name: f.name,
        type: stagedTypeOf[f.type],
        description: f.description,
        field: f,
      })),
    ];
    cache.set(kind, columns);
  }
  return columns;
}
