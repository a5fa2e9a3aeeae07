import { describe, expect, it } from 'vitest';
import { stagedColumns, stagedTypeOf } from '../../../pipelines/ingest/staged-schema.js';
import { aggregateFields, participantFields } from '../../../pipelines/returns/fields.js';

const typeFor = {
  date: 'DATE',
  integer: 'INTEGER',
  number: 'DOUBLE',
  code: 'VARCHAR',
  id: 'VARCHAR',
} as const;
const versionColumns = [
  ['contract_id', 'VARCHAR'],
  ['period', 'VARCHAR'],
  ['version', 'INTEGER'],
  ['receipt_id', 'VARCHAR'],
  ['submitted_at', 'TIMESTAMP'],
  ['row_number', 'INTEGER'],
];

describe('the staged schema', () => {
  it('is the version columns, then every field of the kind with the type for its field type', () => {
    for (const [kind, fields] of [
      ['participant', participantFields],
      ['aggregate', aggregateFields],
    ] as const) {
      const columns = stagedColumns(kind);
      expect(columns.map((c) => [c.name, c.type])).toEqual([
        ...versionColumns,
        ...fields.map((f) => [f.name, typeFor[f.type]]),
      ]);
      for (const f of fields)
        expect(columns.find((c) => c.name === f.name)?.description).toBe(f.description);
      expect(columns.every((c) => c.description.length > 0)).toBe(true);
    }
  });

  it('stages dates as DATE and counts as INTEGER', () => {
    expect(stagedTypeOf).toEqual(typeFor);
    const byName = new Map(stagedColumns('participant').map((c) => [c.name, c.type]));
    expect(byName.get('referral_date')).toBe('DATE');
    expect(byName.get('contact_count')).toBe('INTEGER');
    expect(byName.get('baseline_score')).toBe('DOUBLE');
    expect(byName.get('participant_id')).toBe('VARCHAR');
  });
});
