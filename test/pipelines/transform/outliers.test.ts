/**
 * int_outliers, each check the programme may choose, run in a real DuckDB over one hand-built
 * series of monthly referrals, the same for four programmes (one contract each):
 *
 *   2025-01 … 2025-08: 10, 12, 11, 13, 12, 14, 20, 16
 *
 * July against January to June (10, 12, 11, 13, 12, 14):
 *   mean 72 / 6 = 12; squared deviations 4 + 0 + 1 + 1 + 0 + 4 = 10; sample sd √(10 / 5) = 1.414
 *   own_history: |20 − 12| = 8 > 3 × 1.414 = 4.24 (20 is not above 2 × 12)        → outlier
 *   z_score:     8 / 1.414 = 5.66 > 3                                               → outlier
 *   modified_z:  median 12; absolute deviations 2, 0, 1, 1, 0, 2 → median 1;
 *                0.6745 × 8 / 1 = 5.40 > 3.5                                        → outlier
 * August against February to July (12, 11, 13, 12, 14, 20):
 *   mean 82 / 6 = 13.67; sd √(53.33 / 5) = 3.27; z = 2.33 / 3.27 = 0.71              → not
 *   median 12.5; absolute deviations 0.5, 1.5, 0.5, 0.5, 1.5, 7.5 → median 1;
 *   modified z = 0.6745 × 3.5 / 1 = 2.36                                           → not
 * Earlier months have fewer than 6 months behind them, so only min_max judges them.
 *   min_max (min 11, max 15): January 10 is below 11; July 20 and August 16 are above 15.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { intOutliers } from '../../../pipelines/transform/models/marts/int_outliers.js';
import { programmeSchema } from '../../../pipelines/reference/schema.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

const series = [10, 12, 11, 13, 12, 14, 20, 16];
const programmes = ['own_history', 'z_score', 'modified_z', 'min_max'];

beforeAll(async () => {
  ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  const rows = programmes.flatMap((p) =>
    series.map((n, i) => `('c-${p}', '${p}', 'referrals', 'Referrals', '2025-0${i + 1}', ${n})`),
  );
  await connection.run(`create table performance as
    select contract_id, programme_id, measure_id, measure_label, period, actual::integer as actual
    from (values ${rows.join(', ')}) t(contract_id, programme_id, measure_id, measure_label, period, actual)`);
  await connection.run(`create table src_measures as
    select programme_id, 'referrals' as measure_id, 'referral_date' as milestone
    from (values ${programmes.map((p) => `('${p}')`).join(', ')}) t(programme_id)`);
  await connection.run(`create table src_programmes as
    select programme_id, outlier_method, outlier_threshold::double as outlier_threshold,
           outlier_min::integer as outlier_min, outlier_max::integer as outlier_max
    from (values ('own_history', 'own_history', null, null, null),
                 ('z_score', 'z_score', 3, null, null),
                 ('modified_z', 'modified_z', 3.5, null, null),
                 ('min_max', 'min_max', null, 11, 15))
      t(programme_id, outlier_method, outlier_threshold, outlier_min, outlier_max)`);
  await connection.run(`create table int_outliers as ${intOutliers.sql}`);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const found = async () =>
  (
    await connection.runAndReadAll(
      `select method, period, value_before, value_after, detail from int_outliers order by method, period`,
    )
  ).getRowObjectsJson();

describe('outliers by the programme’s chosen check, worked by hand', () => {
  it('finds July by its own history, by z-score and by modified z-score, and January, July and August by minimum and maximum', async () => {
    expect(await found()).toEqual([
      {
        method: 'min_max',
        period: '2025-01',
        value_before: '11',
        value_after: '10',
        detail: 'Referrals in 2025-01: 10, below the programme’s minimum of 11 a month',
      },
      {
        method: 'min_max',
        period: '2025-07',
        value_before: '15',
        value_after: '20',
        detail: 'Referrals in 2025-07: 20, above the programme’s maximum of 15 a month',
      },
      {
        method: 'min_max',
        period: '2025-08',
        value_before: '15',
        value_after: '16',
        detail: 'Referrals in 2025-08: 16, above the programme’s maximum of 15 a month',
      },
      {
        method: 'modified_z',
        period: '2025-07',
        value_before: '12.0',
        value_after: '20',
        detail:
          'Referrals in 2025-07: 20, against a median of 12.0 a month over the previous 6 months (median absolute deviation 1.0): a modified z-score of 5.4, above 3.5',
      },
      {
        method: 'own_history',
        period: '2025-07',
        value_before: '12.0',
        value_after: '20',
        detail:
          'Referrals in 2025-07: 20, against a mean of 12.0 a month over the previous 6 months (standard deviation 1.4): more than 3 standard deviations from the mean',
      },
      {
        method: 'z_score',
        period: '2025-07',
        value_before: '12.0',
        value_after: '20',
        detail:
          'Referrals in 2025-07: 20, against a mean of 12.0 a month over the previous 6 months (standard deviation 1.4): a z-score of 5.66, above 3.0',
      },
    ]);
  });

  it('is chosen in the programme’s reference data, with the usual thresholds by default', () => {
    const base = {
      id: 'p',
      name: 'P',
      return_kind: 'participant',
      has_cmp: false,
      measures: [
        { id: 'referrals', label: 'Referrals', milestone: 'referral_date', profiled: true },
      ],
      standards: [],
      rag: { green_from: 1, amber_from: 0.9 },
    };
    const parse = (outlier_check: unknown) => programmeSchema.safeParse({ ...base, outlier_check });
    expect(parse({ method: 'z_score' }).data?.outlier_check).toEqual({
      method: 'z_score',
      threshold: 3,
    });
    expect(parse({ method: 'modified_z' }).data?.outlier_check).toEqual({
      method: 'modified_z',
      threshold: 3.5,
    });
    expect(parse(undefined).success).toBe(true);
    expect(parse({ method: 'min_max', min: 20, max: 10 }).error?.issues[0]?.message).toBe(
      'min must not be above max',
    );
    expect(parse({ method: 'grubbs' }).success).toBe(false);
  });
});
