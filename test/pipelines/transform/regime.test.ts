import { beforeAll, describe, expect, it } from 'vitest';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { testReference } from '../../fixtures/reference.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { regimeProfiles, regimeReturns } from '../../fixtures/regime-example.js';

/**
 * The performance regime, worked by hand (ADR 039): the example in test/fixtures/regime-example.ts.
 * Referrals are profiled at 2 a month; the other measures have no profile, so only referrals
 * are judged.
 */
function reference(intervention?: object) {
  const r = testReference();
  return parseReferenceData({
    ...r,
    programmes: r.programmes.map((p) =>
      p.id === 'plp' && intervention ? { ...p, intervention } : p,
    ),
    profiles: regimeProfiles,
  });
}

let pipeline: PipelineFixture;
beforeAll(async () => {
  pipeline = await pipelineWith(reference(), regimeReturns);
});

describe('regime_performance', () => {
  it('has the month, rolling 3 and 12 months and to date of each profiled measure', async () => {
    const got = await pipeline.query(
      `select period, in_month_actual, in_month_profile, rolling_3_actual, rolling_3_profile, rolling_3_months,
              rolling_12_actual, rolling_12_profile, cumulative_actual, cumulative_profile, round(rolling_3_pct, 4) as r3
       from regime_performance where contract_id = 'plp-test' and measure_id = 'referrals' order by period`,
    );
    expect(got.map((r) => [r.in_month_actual, r.rolling_3_actual, r.rolling_3_profile])).toEqual([
      [2, 2, 2],
      [2, 4, 4],
      [1, 5, 6],
      [0, 3, 6],
      [1, 2, 6],
      [2, 3, 6],
      [3, 6, 6],
      [2, 7, 6],
      [2, 7, 6],
    ]);
    expect(got.map((r) => r.rolling_3_months)).toEqual([1, 2, 3, 3, 3, 3, 3, 3, 3]);
    expect(got.map((r) => r.r3)).toEqual([1, 1, 0.8333, 0.5, 0.3333, 0.5, 1, 1.1667, 1.1667]);
    expect(got.map((r) => `${r.rolling_12_actual}/${r.rolling_12_profile}`)).toEqual([
      '2/2',
      '4/4',
      '5/6',
      '5/8',
      '6/10',
      '8/12',
      '11/14',
      '13/16',
      '15/18',
    ]);
    expect(got.every((r) => r.rolling_12_actual === r.cumulative_actual)).toBe(true);
  });

  it('leaves out measures that are not profiled', async () => {
    const [row] = await pipeline.query(
      `select count(*)::integer as n from regime_performance where measure_id not in ('referrals', 'starts', 'job_entries')`,
    );
    expect(row!.n).toBe(0);
  });
});

describe('intervention_levels', () => {
  it('moves up one level after 2 months below and down one after 3 at or above', async () => {
    const got = await pipeline.query(
      `select period, status, level, change, level_label from intervention_levels where contract_id = 'plp-test' order by period`,
    );
    expect(got.map((r) => r.status)).toEqual([
      'at_or_above',
      'at_or_above',
      'below',
      'below',
      'below',
      'below',
      'at_or_above',
      'at_or_above',
      'at_or_above',
    ]);
    expect(got.map((r) => r.level)).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 1]);
    expect(got.map((r) => r.change)).toEqual([
      null,
      null,
      null,
      'up',
      null,
      'up',
      null,
      null,
      'down',
    ]);
    expect(got[5]!.level_label).toBe('Level 2: performance improvement plan');
  });

  it('follows the programme’s own rule: in-month below 75%, up after 1, down after 1, two levels', async () => {
    const own = await pipelineWith(
      reference({
        levels: [{ label: 'None' }, { label: 'Watch' }],
        window: 'in_month',
        below: 0.75,
        up_after: 1,
        down_after: 1,
      }),
      regimeReturns,
    );
    const got = await own.query(
      `select level, level_label from intervention_levels where contract_id = 'plp-test' order by period`,
    );
    // In month: 1, 1, 0.5, 0, 0.5, 1, 1.5, 1, 1 of profile; below 0.75 in Dec, Jan and Feb.
    expect(got.map((r) => r.level)).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(got[2]!.level_label).toBe('Watch');
  });

  it('refuses a rule naming a measure that is not profiled', () => {
    const r = testReference();
    expect(() =>
      parseReferenceData({
        ...r,
        programmes: r.programmes.map((p) =>
          p.id === 'vrs'
            ? {
                ...p,
                intervention: {
                  levels: [{ label: 'None' }, { label: 'Watch' }],
                  measures: ['starts'],
                  below: 0.9,
                  up_after: 2,
                  down_after: 3,
                },
              }
            : p,
        ),
      }),
    ).toThrow(/"starts" is not a profiled measure of vrs/);
  });
});
