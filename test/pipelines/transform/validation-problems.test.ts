/**
 * validation_problems, the model SQL run in a real DuckDB over hand-built receipts, warnings and
 * contracts. Worked by hand, programme P, month 2025-01:
 *
 *   receipt  contract  provider  state       warnings
 *   r1       a1        A         in_force    6 × invalid_date on start_date, 1 × not_known on benefit
 *   r2       b1        B         in_force    2 × invalid_date on start_date
 *   r0       a1        A         superseded  9 × invalid_date on start_date   (not counted)
 *
 *   invalid_date / start_date: rows 6 + 2 = 8, returns 2, providers 2  → rank 1, shown
 *   not_known / benefit:       rows 1 (hidden, "[c]"), returns 1, providers 1 → rank 2; its
 *                              returns and providers are hidden too (4 returns would say 4 rows)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { validationProblems } from '../../../pipelines/transform/models/marts/validation_problems.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  await connection.run(`create table stg_contracts as
    select * from (values ('a1', 'P', 'A'), ('b1', 'P', 'B')) t(contract_id, programme_id, provider_id)`);
  await connection.run(`create table src_receipts as
    select receipt_id, contract_id, period, status, state, version::integer as version
    from (values ('r1', 'a1', '2025-01', 'accepted', 'in_force', 2),
                 ('r0', 'a1', '2025-01', 'accepted', 'superseded', 1),
                 ('r2', 'b1', '2025-01', 'accepted', 'in_force', 1)) t(receipt_id, contract_id, period, status, state, version)`);
  const w = (receipt: string, contract: string, rule: string, column: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `('${receipt}', '${contract}', '2025-01', '${rule}', ${i + 2}, '${column}', 'secret value ${i}')`,
    );
  const rows = [
    ...w('r1', 'a1', 'invalid_date', 'start_date', 6),
    ...w('r1', 'a1', 'not_known', 'benefit', 1),
    ...w('r2', 'b1', 'invalid_date', 'start_date', 2),
    ...w('r0', 'a1', 'invalid_date', 'start_date', 9),
  ];
  await connection.run(`create table src_receipt_warnings as
    select receipt_id, contract_id, period, rule, row_number::integer as row_number, column_name, message
    from (values ${rows.join(', ')}) t(receipt_id, contract_id, period, rule, row_number, column_name, message)`);
  await connection.run(`create table validation_problems as ${validationProblems.sql}`);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

describe('the most common validation problems', () => {
  it('counts rows, returns and providers per rule and column, ranked, hiding 1 to 4 rows, no cell values', async () => {
    const rows = (
      await connection.runAndReadAll(`select * from validation_problems order by rank`)
    ).getRowObjectsJson();
    expect(rows).toEqual([
      {
        programme_id: 'P',
        period: '2025-01',
        rule: 'invalid_date',
        column_name: 'start_date',
        rows_affected: 8,
        rows_affected_display: '8',
        returns_affected: 2,
        providers_affected: 2,
        rank: 1,
      },
      {
        programme_id: 'P',
        period: '2025-01',
        rule: 'not_known',
        column_name: 'benefit',
        rows_affected: null,
        rows_affected_display: '[c]',
        returns_affected: null,
        providers_affected: null,
        rank: 2,
      },
    ]);
    const described = (
      await connection.runAndReadAll(`describe validation_problems`)
    ).getRowObjectsJson() as { column_name: string; column_type: string }[];
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual(
      validationProblems.columns.map((c) => [c.name, c.type]),
    );
  });
});
