/**
 * Pages whose queries read every part at once (docs/decisions/043): the measures pages read a
 * contract's every breakdown and grain in one query.
 * Over real marts, each part the page shows is the rows a query for that part alone gives, in
 * the same order, through the kept results and without them; and a second part costs no query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { openCurated, type CuratedDb } from '../../../pipelines/transform/query.js';
import { rememberResults } from '../../../pipelines/transform/result-cache.js';
import { runQueries } from '../../../reports/page.js';
import { contractMeasures } from '../../../reports/pages/measures/index.js';
import { participants } from '../../fixtures/returns.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { webReference } from '../../functions/web/fixture.js';

let pipeline: PipelineFixture;
let db: CuratedDb;

beforeAll(async () => {
  const mixed = (i: number) => ({ sex: i % 3 === 0 ? 'male' : 'female' });
  // The VR programme counts its referrals as a measure of its own (ADR 024).
  const base = webReference();
  const reference = parseReferenceData({
    ...base,
    programmes: base.programmes.map((p) =>
      p.id !== 'vrs'
        ? p
        : {
            ...p,
            journey_measures: [
              {
                id: 'referred',
                label: 'Referred',
                kind: 'count_of_milestone',
                milestone: 'referral_date',
              },
            ],
          },
    ),
  });
  pipeline = await pipelineWith(reference, [
    { contractId: 'plp-test', period: '2025-03', rows: participants(14, mixed) },
    { contractId: 'vrs-test', period: '2025-03', rows: participants(11, mixed) },
    {
      contractId: 'vrs-south',
      period: '2025-03',
      rows: participants(9, (i) => ({
        ...mixed(i),
        participant_id: `P-${String(500 + i).padStart(6, '0')}`,
      })),
    },
  ]);
  db = await openCurated(pipeline.store);
}, 240_000);

afterAll(async () => {
  db?.close();
  if (pipeline) await rm(pipeline.dir, { recursive: true, force: true });
});

/** The figures as the page's query read them before: one breakdown, grain and cohort. */
const figuresAlone = `select contract_id, measure_label, statistic, category, breakdown_value, period,
         numerator, denominator,
         case when unit = 'share' then printf('%.1f%%', 100 * value) when statistic = 'count' or statistic = 'sum' then printf('%d', value::bigint) else printf('%.1f', value) end as figure
  from measure_values
  where contract_id in ('vrs-test', 'vrs-south') and cohort = $cohort and breakdown = $breakdown and grain = $grain
    and group_value = 'all'
  order by contract_id, measure_id, period, breakdown_value, statistic, category`;

describe('the measures pages by part', () => {
  const asked = [
    { breakdown: 'all', grain: 'to_date', cohort: 'event' },
    { breakdown: 'all', grain: 'month', cohort: 'referral' },
    { breakdown: 'sex', grain: 'quarter', cohort: 'event' },
    { breakdown: 'no_such_breakdown', grain: 'quarter', cohort: 'event' },
  ];

  it('shows for each breakdown, grain and cohort the rows a query for it alone gives', async () => {
    const counted: string[] = [];
    // Every query that reaches DuckDB is counted, on this handle or on one forked from it (the
    // whole result is read on a connection of its own).
    const counting = (inner: CuratedDb): CuratedDb => ({
      ...inner,
      query: (sql, params) => {
        counted.push(sql);
        return inner.query(sql, params);
      },
      fork: async () => counting(await inner.fork!()),
    });
    const kept = rememberResults(counting(db), `test-${process.pid}-${Date.now()}`);
    let some = 0;
    for (const filters of asked) {
      const params = { contracts: 'vrs-south, vrs-test,vrs-test', title: 'T', ...filters };
      const expected = (await db.query(figuresAlone, filters)).rows;
      const viaKept = await runQueries(contractMeasures, kept, { params });
      const plain = await runQueries(contractMeasures, db, { params });
      expect(viaKept.figures.rows).toEqual(expected);
      expect(plain.figures.rows).toEqual(expected);
      some += expected.length;
    }
    expect(some).toBeGreaterThan(0);
    // Two contracts × two cohorts × two queries, whatever the breakdowns and grains: each read
    // whole once, and its first part alone while the whole was not yet kept.
    expect(counted).toHaveLength(16);
  });
});
