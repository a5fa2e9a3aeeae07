import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { participantFields } from '../../../pipelines/returns/fields.js';
import { buildCurated } from '../../../pipelines/transform/build.js';
import { outcomeModels } from '../../../pipelines/transform/models/marts/outcome-models.js';
import { outcomeBreakdowns } from '../../../pipelines/transform/models/marts/outcomes.js';
import { stagingModels } from '../../../pipelines/transform/models/staging/index.js';
import { inputsFromStore } from '../../../pipelines/transform/store-inputs.js';
import { testReference } from '../../fixtures/reference.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participant, type RowValues } from '../../fixtures/returns.js';

/**
 * Property: for any set of participants, every breakdown's groups add up to the contract's
 * 'all' row, for referrals, starts, job entries and sustained jobs — so no participant is lost
 * or counted twice by a breakdown, blanks included.
 *
 * One pipeline for the whole property; each run sends a resubmission of the plp-test return for
 * 2026-06 (participant ids carry the run number, so every upload's bytes differ and it becomes
 * the newest version, the truth), then rebuilds and checks. To keep dozens of builds fast, each
 * builds only the staging models and the outcome marts (the full registry is built by
 * outcomes.test.ts).
 */
const RUNS = 30;

const codesOf = (name: string): string[] => {
  const f = participantFields.find((x) => x.name === name);
  if (!f || f.type !== 'code') throw new Error(`${name} is not a code field`);
  return f.codes.map((c) => c.code);
};
const integersOf = (name: string): string[] => {
  const f = participantFields.find((x) => x.name === name);
  if (!f || f.type !== 'integer') throw new Error(`${name} is not an integer field`);
  return Array.from({ length: f.max - f.min + 1 }, (_, i) => String(f.min + i));
};

const required = (name: string) => fc.constantFrom(...codesOf(name));
const optional = (values: string[]) => fc.constantFrom('', ...values);

const person = fc.record({
  referral_source: optional(codesOf('referral_source')),
  engagement: required('engagement'),
  benefit: required('benefit'),
  claimant_group: optional(codesOf('claimant_group')),
  primary_condition_group: required('primary_condition_group'),
  sex: required('sex'),
  age_band: required('age_band'),
  deprivation_decile: optional(integersOf('deprivation_decile')),
  support_tier: optional(integersOf('support_tier')),
  work_status_at_referral: required('work_status_at_referral'),
  started: fc.boolean(),
  job: fc.boolean(),
  sustained13: fc.boolean(),
  sustained26: fc.boolean(),
});
type Person = typeof person extends fc.Arbitrary<infer T> ? T : never;

function row(p: Person, id: string): RowValues {
  const { started, job, sustained13, sustained26, ...fields } = p;
  return participant({
    ...fields,
    participant_id: id,
    first_contact_date: started ? '2025-01-08' : '',
    start_date: started ? '2025-01-20' : '',
    // Job entry 2025-02-03; 13 weeks = 91 days later 2025-05-05; 26 weeks = 182 days later 2025-08-04.
    job_entry_date: job ? '2025-02-03' : '',
    sustained_13_weeks_date: job && sustained13 ? '2025-05-05' : '',
    sustained_26_weeks_date: job && sustained26 ? '2025-08-04' : '',
  });
}

let pipeline: PipelineFixture;
const buildOutcomes = async () =>
  buildCurated({
    store: pipeline.store,
    inputs: await inputsFromStore(pipeline.store),
    asOf: '2026-07-31',
    scope: 'full',
    models: [...stagingModels, ...outcomeModels],
  });

beforeAll(async () => {
  pipeline = await pipelineWith(testReference(), [], '2026-07-31');
});

describe('outcomes breakdowns', () => {
  it('add up to the all row for every breakdown', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 12 }), async (people) => {
        run += 1;
        const rows = people.map((p, i) => row(p, `R${run}-P${i + 1}`));
        await pipeline.ingest([
          {
            contractId: 'plp-test',
            period: '2026-06',
            rows,
            submittedAt: `2026-07-05T10:${String(run % 60).padStart(2, '0')}:00.000Z`,
            // Each run replaces the whole caseload on purpose: put it in force, not held.
            confirmRemoval: true,
          },
        ]);
        await buildOutcomes();

        const all = await pipeline.query(
          `select referrals, starts, job_entries, sustained_jobs from outcomes where contract_id = 'plp-test' and breakdown = 'all'`,
        );
        // The all row is the whole return: everyone referred, and the generator's own counts.
        expect(all).toEqual([
          {
            referrals: people.length,
            starts: people.filter((p) => p.started).length,
            job_entries: people.filter((p) => p.started && p.job).length,
            sustained_jobs: people.filter((p) => p.started && p.job && p.sustained26).length,
          },
        ]);

        const sums = await pipeline.query(
          `select breakdown, sum(referrals)::integer as referrals, sum(starts)::integer as starts,
                  sum(job_entries)::integer as job_entries, sum(sustained_jobs)::integer as sustained_jobs
           from outcomes where contract_id = 'plp-test' and breakdown <> 'all' group by breakdown order by breakdown`,
        );
        expect(sums.map((s) => s.breakdown)).toEqual([...outcomeBreakdowns].sort());
        for (const s of sums)
          expect({ ...s, breakdown: 'all' }).toEqual({ breakdown: 'all', ...all[0] });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
