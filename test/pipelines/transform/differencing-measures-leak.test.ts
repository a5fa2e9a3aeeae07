/**
 * The leaks the differencing checker found in the demo's vrs-kmb-kirkmoor (ADR 044, 046),
 * reproduced small: vocational rehabilitation services with the demo programme's measures and
 * its breakdowns (referral source, the work statuses at exit and follow-up, which fix a rate's
 * numerator or a transitions row), built through the pipeline and attacked as in
 * differencing-measures.test.ts.
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

/** People over two programme years, with a referral source and a follow-up (the demo's breakdowns). */
function vrService(n: number, seedOf: number): RowValues[] {
  let seed = seedOf;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const first = fromIsoDate('2024-10-01');
  const last = fromIsoDate('2026-05-31');
  const rows: RowValues[] = [];
  for (let k = 0; k < n; k++) {
    const referral = first + Math.floor(random() * (last - first - 60));
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
        referral_source: pick(['gp', 'gp', 'hospital', 'employer', 'self', 'other']),
        ...(discharged && start <= last
          ? {
              exit_date: isoDate(exit),
              exit_reason: 'completed',
              work_status_at_exit: carer
                ? ''
                : pick(['at_work', 'at_work', 'off_sick', 'unemployed', from]),
              ...(exit + 90 <= last && !carer
                ? {
                    follow_up_date: isoDate(exit + 90),
                    work_status_at_follow_up: pick(['at_work', 'off_sick', 'unemployed']),
                  }
                : {}),
            }
          : {}),
      }),
    );
  }
  return rows;
}

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

/** A service of `n` people from `seed` through the pipeline, and the checker over it. */
function attacked(n: number, seed: number) {
  let pipeline: PipelineFixture;
  let db: CuratedDb;
  beforeAll(async () => {
    pipeline = await pipelineWith(
      reference,
      [{ contractId: 'vrs-test', period: '2026-05', rows: vrService(n, seed) }],
      '2026-06-26',
    );
    db = await openCurated(pipeline.store);
  }, 120_000);
  afterAll(() => db.close());
  return async () => {
    const r = await checkSuppression(async (sql) => (await db.query(sql)).rows, options);
    console.log(
      `${n} people (seed ${seed}): ${r.examined} hidden cells examined, ${r.recovered.length} recovered`,
    );
    for (const x of r.recovered.slice(0, 3))
      console.log(`  ${x.key} = ${x.truth} (${x.how}: ${x.detail.slice(0, 200)})`);
    expect(r.examined).toBeGreaterThan(200);
    return r.recovered;
  };
}

describe('a rate whose numerator is all of its denominator under a breakdown', () => {
  // Under work_status_at_exit = at_work, everyone at work when referred and discharged stayed in
  // work: job retention's numerator is its denominator. Hidden beside a shown denominator, each
  // year's numerator was pinned by "numerator <= denominator" and the term's total (28 cells
  // recovered before ADR 046).
  const check = attacked(250, 13);
  it('hides the denominator with a numerator equal to it', async () => {
    expect(await check()).toEqual([]);
  });
});

describe('a transitions table by sex, statuses and years', () => {
  // The leak of ADR 046, kinds 2 and 3: the cells hidden across a transitions table's rows,
  // columns, breakdown values and years left some isolable (26 recovered, 58 before the rule
  // of kind 1), though every sum had two hidden; a column with one row is its margin, one
  // unknown counted as two. Closed by the build's own attack on what it publishes (ADR 050).
  const check = attacked(350, 29);
  it('lets no transitions cell be worked out', async () => {
    expect(await check()).toEqual([]);
  });
});
