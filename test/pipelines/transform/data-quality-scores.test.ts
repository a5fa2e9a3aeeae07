/**
 * data_quality_scores, the model SQL run in a real DuckDB over hand-built returns. A participant
 * return has 41 fields, an aggregate return 4. Expected fields: referral_source, claimant_group,
 * support_tier, work_status_at_referral. Worked by hand:
 *
 * Contract a1 (provider A), participant returns:
 *   2025-01 on time, r1, 4 rows (r0, superseded, is not counted):
 *     row  expected filled  coded filled  not known
 *     2    4                4             0
 *     3    2                4             3 (work status at referral, benefit, sex not stated)
 *     4    4                5             1 (work status at exit)
 *     5    2                3             0
 *     completeness 12 / (4 × 4) = 0.75; not known 4 / 16 = 0.25
 *     warnings: row 3 start_date twice (one value), row 4 benefit, one on the whole return (no
 *     value): 2 values of 4 × 41 = 164, validity 1 − 2/164 = 0.98780…
 *     coverage 1 / 1; score (1 + 0.75 + 0.98780 + (1 − 0.25)) / 4 = 0.87195… → 0.872
 *   2025-02 missing: coverage 1 / 2 = 0.5, no other part, no score
 *   2025-03 late, r3, 2 rows, all filled, none not known, no warnings (the aggregate return
 *   in force beside it, with a warning, is not scored: the participant return is):
 *     coverage 2 / 3 = 0.6667; score (0.66667 + 1 + 1 + 1) / 4 = 0.91667 → 0.9167
 *   2025-04 not yet due: no row
 * Contract g1 (provider B), aggregate return 2025-01, 3 rows, a warning on row 3's count:
 *   validity 1 − 1/12 = 0.91667; coverage 1; score (1 + 0.91667) / 2 = 0.95833 → 0.9583
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { stagedColumns } from '../../../pipelines/ingest/staged-schema.js';
import { dataQualityScores } from '../../../pipelines/transform/models/marts/data_quality_scores.js';
import { renderPage, type QueryRunner } from '../../../reports/page.js';
import { dataQualityScoresPage } from '../../../reports/pages/data-quality-scores/index.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

const participant = (receipt: string, row: number, values: Record<string, string | number>) => {
  const names = ['receipt_id', 'row_number', ...Object.keys(values)];
  const sql = [`'${receipt}'`, row, ...Object.values(values).map((v) => `'${v}'`)];
  return `insert into src_participant_versions (${names.join(', ')}) values (${sql.join(', ')})`;
};
const full = {
  referral_source: 'gp',
  claimant_group: 'new',
  support_tier: 2,
  work_status_at_referral: 'at_work',
  benefit: 'esa',
  primary_condition_group: 'mental_health',
  sex: 'female',
};

beforeAll(async () => {
  ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  await connection.run(`create table stg_contracts as
    select * from (values ('a1', 'P', 'A'), ('g1', 'P', 'B')) t(contract_id, programme_id, provider_id)`);
  await connection.run(`create table returns_status as
    select * from (values ('a1', '2025-01', 'accepted_on_time'), ('a1', '2025-02', 'missing'),
                          ('a1', '2025-03', 'accepted_late'), ('a1', '2025-04', 'not_yet_due'),
                          ('g1', '2025-01', 'accepted_on_time')) t(contract_id, period, status)`);
  await connection.run(`create table src_receipts as
    select receipt_id, contract_id, period, kind, status, state, row_count::integer as row_count
    from (values ('r0', 'a1', '2025-01', 'participant', 'accepted', 'superseded', 4),
                 ('r1', 'a1', '2025-01', 'participant', 'accepted', 'in_force', 4),
                 ('r3', 'a1', '2025-03', 'participant', 'accepted', 'in_force', 2),
                 ('ra3', 'a1', '2025-03', 'aggregate', 'accepted', 'in_force', 2),
                 ('rx', 'a1', '2025-02', 'participant', 'rejected', null, 5),
                 ('rg', 'g1', '2025-01', 'aggregate', 'accepted', 'in_force', 3))
      t(receipt_id, contract_id, period, kind, status, state, row_count)`);
  await connection.run(`create table src_receipt_warnings as
    select receipt_id, row_number::integer as row_number, column_name, rule
    from (values ('r1', 3, 'start_date', 'a'), ('r1', 3, 'start_date', 'b'), ('r1', 4, 'benefit', 'c'),
                 ('r1', null, null, 'd'), ('r0', 2, 'sex', 'e'), ('rg', 3, 'count', 'f'),
                 ('ra3', 2, 'count', 'g'))
      t(receipt_id, row_number, column_name, rule)`);
  const columns = stagedColumns('participant');
  await connection.run(
    `create table src_participant_versions (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
  );
  for (const insert of [
    participant('r1', 2, full),
    participant('r1', 3, {
      claimant_group: 'new',
      work_status_at_referral: 'not_known',
      benefit: 'not_known',
      primary_condition_group: 'cancer',
      sex: 'not_stated',
    }),
    participant('r1', 4, { ...full, sex: 'male', work_status_at_exit: 'not_known' }),
    participant('r1', 5, {
      referral_source: 'self',
      support_tier: 1,
      benefit: 'none',
      primary_condition_group: 'musculoskeletal',
      sex: 'male',
    }),
    participant('r0', 2, { benefit: 'not_known' }),
    participant('r3', 2, full),
    participant('r3', 3, full),
  ])
    await connection.run(insert);
  await connection.run(`create table data_quality_scores as ${dataQualityScores.sql}`);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

describe('the data-quality score', () => {
  it('gives each month its coverage, completeness, validity, not-known share and score, worked by hand', async () => {
    const rows = (
      await connection.runAndReadAll(
        `select contract_id, period, returns_due, returns_received, coverage, completeness, validity, not_known, score, rows_in_return
         from data_quality_scores order by contract_id, period`,
      )
    ).getRowObjectsJson();
    expect(rows).toEqual([
      {
        contract_id: 'a1',
        period: '2025-01',
        returns_due: 1,
        returns_received: 1,
        coverage: 1,
        completeness: 0.75,
        validity: 0.9878,
        not_known: 0.25,
        score: 0.872,
        rows_in_return: 4,
      },
      {
        contract_id: 'a1',
        period: '2025-02',
        returns_due: 2,
        returns_received: 1,
        coverage: 0.5,
        completeness: null,
        validity: null,
        not_known: null,
        score: null,
        rows_in_return: null,
      },
      {
        contract_id: 'a1',
        period: '2025-03',
        returns_due: 3,
        returns_received: 2,
        coverage: 0.6667,
        completeness: 1,
        validity: 1,
        not_known: 0,
        score: 0.9167,
        rows_in_return: 2,
      },
      {
        contract_id: 'g1',
        period: '2025-01',
        returns_due: 1,
        returns_received: 1,
        coverage: 1,
        completeness: null,
        validity: 0.9167,
        not_known: null,
        score: 0.9583,
        rows_in_return: 3,
      },
    ]);
  });

  it('has exactly the declared columns and types', async () => {
    const described = (
      await connection.runAndReadAll(`describe data_quality_scores`)
    ).getRowObjectsJson() as { column_name: string; column_type: string }[];
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual(
      dataQualityScores.columns.map((c) => [c.name, c.type]),
    );
  });
});

describe('the commissioners’ data quality page over the worked example', () => {
  it('names each provider and shows the score and its parts as percentages', async () => {
    const db: QueryRunner = {
      async query(sql, params) {
        const result = await connection.runAndReadAll(sql, params as Record<string, string>);
        return {
          columns: result.columnNames(),
          rows: result.getRowObjectsJson() as Record<string, string | number | boolean | null>[],
        };
      },
    };
    const page = (
      await renderPage(dataQualityScoresPage({ A: 'Acme', B: 'Bright' }), db, {
        params: { programme: 'P', title: 'Test' },
      })
    ).toString();
    expect(page).toContain('Acme');
    expect(page).toContain('Bright');
    expect(page).toContain('87.2%');
    expect(page).toContain('98.8%');
    expect(page).toContain('95.8%');
    expect(page).toContain('after the NHS Data Quality Maturity Index');
  });
});
