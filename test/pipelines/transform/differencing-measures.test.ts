/**
 * The differencing checker over suppressed_measure_values (ADR 021, 024, 035): a small
 * vocational rehabilitation service with the demo programme's own measures, built through the
 * pipeline; the attacker reads every row a commissioner can (the term to date and each
 * programme year, by every breakdown) with every relation the measure definitions give, and
 * tries to work out each hidden count. First over a weak scheme that hides only the counts of
 * 1 to 4 (it must give cells away, by totals, breakdowns and years), then over the model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrGroupings, vrMeasures } from '../../../pipelines/demo/vr-measures.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { isoDate, fromIsoDate } from '../../../pipelines/calendar/days.js';
import { openCurated, type CuratedDb } from '../../../pipelines/transform/query.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant, type RowValues } from '../../fixtures/returns.js';
import { checkSuppression, journeyMeasuresOf, measuresOf } from './differencing/index.js';

/** 90 people over two programme years (June to May), with every field the measures read. */
function vrService(): RowValues[] {
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const first = fromIsoDate('2024-10-01');
  const last = fromIsoDate('2026-05-31');
  const rows: RowValues[] = [];
  for (let k = 0; k < 90; k++) {
    const referral = first + Math.floor(random() * 600);
    const toStart = pick([0, 0, 1, 3, 7, 9, 14, 20, 30]);
    const start = referral + toStart;
    const vigintile = random() < 0.25 ? pick([1, 2, 3]) : pick([6, 10, 15]);
    const exit = start + 7 * pick([2, 5, 9, 11, 13, 15, 18, 22, 30]);
    const carer = random() < 0.08;
    const from = pick(['at_work', 'off_sick', 'off_sick', 'unemployed', 'self_employed']);
    const discharged = exit <= last;
    rows.push(
      participant({
        participant_id: `VR-${String(k + 1).padStart(3, '0')}`,
        referral_date: isoDate(referral),
        first_contact_date: isoDate(referral + Math.min(toStart, pick([0, 1, 2, 4, 6]))),
        start_date: start <= last ? isoDate(start) : '',
        contact_count: String(1 + Math.floor(random() * 12)),
        support_tier: pick(['2', '2', '3']),
        primary_condition_group: pick(['cancer', 'neurological', 'gastrointestinal']),
        main_reason_for_referral: carer
          ? 'third_party_illness'
          : from === 'off_sick'
            ? 'back_to_work'
            : from === 'unemployed'
              ? 'employability_support'
              : pick(['remain_at_work', 'change_job']),
        participant_type: carer ? 'carer_third_party' : '',
        work_status_at_referral: carer ? '' : from,
        simd_decile: String(Math.ceil(vigintile / 2)),
        simd_vigintile: String(vigintile),
        sex: pick(['female', 'male', 'female', 'male', 'not_stated']),
        ...(discharged && start <= last
          ? {
              exit_date: isoDate(exit),
              exit_reason: 'completed',
              work_status_at_exit: carer
                ? ''
                : pick(['at_work', 'at_work', 'off_sick', 'unemployed', from]),
            }
          : {}),
      }),
    );
  }
  return rows;
}

let pipeline: PipelineFixture;
let db: CuratedDb;
const reference = (() => {
  const raw = testReference();
  return parseReferenceData({
    ...raw,
    programmes: raw.programmes.map((p) =>
      p.id === 'vrs'
        ? { ...p, year_start_month: 6, journey_measures: vrMeasures, groupings: vrGroupings }
        : p,
    ),
  });
})();
const options = {
  measures: measuresOf(reference),
  journeyMeasures: journeyMeasuresOf(reference),
};

beforeAll(async () => {
  pipeline = await pipelineWith(
    reference,
    [{ contractId: 'vrs-test', period: '2026-05', rows: vrService() }],
    '2026-06-26',
  );
  db = await openCurated(pipeline.store);
}, 120_000);
afterAll(() => db.close());
const query = async (sql: string) => (await db.query(sql)).rows;

describe('suppressed_measure_values under the differencing checker', () => {
  it('publishes the term to date and each programme year, with hidden counts to attack', async () => {
    const rows = await query(
      `select grain, period, count(*)::integer as n, count(*) filter (where participants is null)::integer as hidden
       from suppressed_measure_values where contract_id = 'vrs-test' group by all order by grain, period`,
    );
    expect(rows.map((r) => [r.grain, r.period])).toEqual([
      ['programme_year', '2024-06 to 2025-05'],
      ['programme_year', '2025-06 to 2026-05'],
      ['to_date', 'to date'],
    ]);
    console.log(
      rows
        .map((r) => `${String(r.period)}: ${String(r.hidden)} of ${String(r.n)} hidden`)
        .join('; '),
    );
    for (const r of rows) expect(Number(r.hidden)).toBeGreaterThan(0);
    // The suppression settled (a contract that does not is hidden whole): for everyone, to
    // date, every count of 5 or more is shown.
    const totals = await query(
      `select count(*) filter (where s.participants is null)::integer as hidden, count(*)::integer as n
       from suppressed_measure_values s join measure_values m
         using (contract_id, measure_id, cohort, grain, period, breakdown, breakdown_value, statistic, category, group_value)
       where s.contract_id = 'vrs-test' and s.grain = 'to_date' and s.breakdown = 'all' and s.statistic = 'count' and m.participants >= 5`,
    );
    expect(totals[0]!.n).toBeGreaterThan(5);
    expect(totals[0]!.hidden).toBe(0);
  });

  it('catches a scheme that hides only the counts of 1 to 4', async () => {
    await db.connection.run(`create or replace temp table weak_measure_values as
      select * replace (
        case when participants between 1 and 4 or denominator between 1 and 4 then null else participants end as participants,
        case when denominator between 1 and 4 then null else denominator end as denominator,
        case when participants between 1 and 4 or denominator between 1 and 4 then null else value end as value
      ) from measure_values
      where (cohort = 'event' and grain = 'programme_year') or grain = 'to_date'`);
    const r = await checkSuppression(query, {
      ...options,
      tables: { suppressed_measure_values: 'weak_measure_values' },
    });
    const how = (prefix: string) =>
      r.recovered.filter((x) => x.key.includes(prefix) || x.detail.includes(prefix)).length;
    expect(r.recovered.length).toBeGreaterThan(10);
    // By a breakdown's total less its other values, and by the term less the other year.
    expect(how('breakdown|')).toBeGreaterThan(0);
    expect(how('period|')).toBeGreaterThan(0);
  });

  it('lets no hidden count be worked out from totals, breakdowns, years or categories', async () => {
    const r = await checkSuppression(query, options);
    console.log(
      `differencing checker, measures: ${r.examined} hidden cells examined, ${r.recovered.length} recovered`,
    );
    expect(r.examined).toBeGreaterThan(200);
    expect(r.recovered).toEqual([]);
  });
});
