/**
 * The data-quality score (ADR 041, ADR 051), through real ingest and real builds: the quality
 * summaries written beside each staged version, and the data_quality_scores mart made from them
 * and the returns due. The contracts' terms start in January 2025; the builds are as at
 * 2 April 2025, when January's and February's deadlines have passed and March's has not.
 * A participant return has 42 fields, an aggregate return 4. Expected fields: referral_source,
 * claimant_group, support_tier, work_status_at_referral. Coded fields with a "not known" code:
 * benefit, primary_condition_group, sex, work_status_at_referral, work_status_at_exit,
 * work_status_at_follow_up. Worked by hand:
 *
 * plp-test, January: version 1 (5 rows as the fixture gives them) superseded by version 2:
 *   row  participant                    expected filled  coded filled  not known  warned
 *   2    P1 + source, group, tier       4                4             0          -
 *   3    P2 sex not_stated, wsr not_known 1              4             2          -
 *   4    P3 sex "Female" (read as female) 1              4             0          sex
 *   5    P4 contact after start         1                4             0          first_contact_date
 *   6    P5 benefit not_known           1                4             1          -
 *   completeness 8 / (5 × 4) = 0.4; not known 3 / 20 = 0.15;
 *   validity 1 − 2 / (5 × 42) = 0.990476…; coverage 1 / 1;
 *   score (1 + 0.4 + 0.990476 + 0.85) / 4 = 0.810119… → 0.8101
 * plp-test, February: missing: coverage 1 / 2 = 0.5, no other part, no score
 * plp-test, March: sent on 1 April, before its deadline, 3 rows: due (a return came), coverage 2 / 3 = 0.6667; fewer than
 *   5 participants, so its shares and score are withheld
 * agg-test, January: aggregate, 3 rows, "Sex" read as sex on row 4:
 *   validity 1 − 1 / (3 × 4) = 0.91667; coverage 1; score (1 + 0.91667) / 2 = 0.9583
 * agg-test, February, and vrs-test, January and February: missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeStagingDb } from '../../../pipelines/ingest/stage.js';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { qualitySummaryKey } from '../../../pipelines/ingest/quality.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { buildCurated } from '../../../pipelines/transform/build.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import type { TransformInputs } from '../../../pipelines/transform/sources.js';
import { inputsFromStore } from '../../../pipelines/transform/store-inputs.js';
import { renderPage, type QueryRunner } from '../../../reports/page.js';
import { dataQualityScoresPage } from '../../../reports/pages/data-quality-scores/index.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant, participants } from '../../fixtures/returns.js';

const asOf = '2025-04-02';

function reference(): ReferenceData {
  const r = testReference();
  return { ...r, contracts: r.contracts.map((c) => ({ ...c, start_period: '2025-01' })) };
}

const january = [
  participant({
    participant_id: 'P-000001',
    referral_source: 'gp',
    claimant_group: 'new',
    support_tier: '2',
  }),
  participant({
    participant_id: 'P-000002',
    sex: 'not_stated',
    work_status_at_referral: 'not_known',
  }),
  participant({ participant_id: 'P-000003', sex: 'Female' }),
  participant({ participant_id: 'P-000004', first_contact_date: '2025-01-25' }),
  participant({ participant_id: 'P-000005', benefit: 'not_known' }),
];

const aggregate = [
  { measure: 'referrals', count: '7' },
  { measure: 'starts', count: '3' },
  { measure: 'referrals', breakdown: 'Sex', breakdown_value: 'female', count: '4' },
];

let p: PipelineFixture;
beforeAll(async () => {
  p = await pipelineWith(
    reference(),
    [
      { contractId: 'plp-test', period: '2025-01', rows: participants(5) },
      {
        contractId: 'plp-test',
        period: '2025-01',
        rows: january,
        submittedAt: '2025-02-06T10:00:00.000Z',
      },
      { contractId: 'agg-test', period: '2025-01', rows: aggregate, aggregate: true },
      {
        contractId: 'plp-test',
        period: '2025-03',
        rows: participants(3),
        submittedAt: '2025-04-01T09:00:00.000Z',
      },
    ],
    asOf,
  );
}, 120_000);
afterAll(closeStagingDb);

const scoreColumns = `contract_id, period, returns_due, returns_received, coverage, completeness,
  validity, not_known, score, return_kind, withheld`;

async function scores(): Promise<unknown[]> {
  return (
    await p.query(`select ${scoreColumns} from data_quality_scores order by contract_id, period`)
  ).map((r) => ({ ...r }));
}

/** A month with no return in force: its coverage, and no other part or score. */
function missingMonth(
  contract_id: string,
  period: string,
  due: { returns_due: number; returns_received: number; coverage: number },
) {
  return {
    contract_id,
    period,
    ...due,
    completeness: null,
    validity: null,
    not_known: null,
    score: null,
    return_kind: null,
    withheld: false,
  };
}

const worked = [
  {
    contract_id: 'agg-test',
    period: '2025-01',
    returns_due: 1,
    returns_received: 1,
    coverage: 1,
    completeness: null,
    validity: 0.9167,
    not_known: null,
    score: 0.9583,
    return_kind: 'aggregate',
    withheld: false,
  },
  missingMonth('agg-test', '2025-02', { returns_due: 2, returns_received: 1, coverage: 0.5 }),
  {
    contract_id: 'plp-test',
    period: '2025-01',
    returns_due: 1,
    returns_received: 1,
    coverage: 1,
    completeness: 0.4,
    validity: 0.9905,
    not_known: 0.15,
    score: 0.8101,
    return_kind: 'participant',
    withheld: false,
  },
  missingMonth('plp-test', '2025-02', { returns_due: 2, returns_received: 1, coverage: 0.5 }),
  {
    contract_id: 'plp-test',
    period: '2025-03',
    returns_due: 3,
    returns_received: 2,
    coverage: 0.6667,
    completeness: null,
    validity: null,
    not_known: null,
    score: null,
    return_kind: 'participant',
    withheld: true,
  },
  missingMonth('vrs-test', '2025-01', { returns_due: 1, returns_received: 0, coverage: 0 }),
  missingMonth('vrs-test', '2025-02', { returns_due: 2, returns_received: 0, coverage: 0 }),
];

/** The build's inputs, noting in `read` the staged version of each quality summary it reads. */
function watching(inputs: TransformInputs, read: string[]): TransformInputs {
  return {
    ...inputs,
    qualitySummaryFile: (r) => (read.push(r.staged_key!), inputs.qualitySummaryFile(r)),
  };
}

describe('quality summaries', () => {
  it('are written at ingest beside each staged version, one row per field, counts only', async () => {
    expect(await p.store.list('staged/quality/')).toEqual([
      'staged/quality/aggregate/agg-test/2025-01/v1.parquet',
      'staged/quality/participant/plp-test/2025-01/v1.parquet',
      'staged/quality/participant/plp-test/2025-01/v2.parquet',
      'staged/quality/participant/plp-test/2025-03/v1.parquet',
    ]);
    const key = qualitySummaryKey({
      contract_id: 'plp-test',
      period: '2025-01',
      version: 2,
      kind: 'participant',
      staged_key: 'staged/participant/plp-test/2025-01/v2.parquet',
    });
    const { instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 });
    try {
      const path = await p.store.localFile(key);
      const rows = (
        await connection.runAndReadAll(
          `select field, rows, filled, not_known, warned from read_parquet('${path}')
           where field in ('participant_id', 'referral_source', 'support_tier', 'sex', 'benefit',
                           'work_status_at_referral', 'first_contact_date', 'job_entry_date')
           order by field`,
        )
      ).getRowObjectsJson();
      expect(rows).toEqual([
        { field: 'benefit', rows: 5, filled: 5, not_known: 1, warned: 0 },
        { field: 'first_contact_date', rows: 5, filled: 5, not_known: null, warned: 1 },
        { field: 'job_entry_date', rows: 5, filled: 0, not_known: null, warned: 0 },
        { field: 'participant_id', rows: 5, filled: 5, not_known: null, warned: 0 },
        { field: 'referral_source', rows: 5, filled: 1, not_known: null, warned: 0 },
        { field: 'sex', rows: 5, filled: 5, not_known: 1, warned: 1 },
        { field: 'support_tier', rows: 5, filled: 1, not_known: null, warned: 0 },
        { field: 'work_status_at_referral', rows: 5, filled: 5, not_known: 1, warned: 0 },
      ]);
      const fields = (
        await connection.runAndReadAll(
          `select count(*)::integer as n, count(distinct field)::integer as distinct_fields from read_parquet('${path}')`,
        )
      ).getRowObjectsJson();
      expect(fields).toEqual([{ n: 42, distinct_fields: 42 }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('the data-quality score', () => {
  it('gives each month its coverage, completeness, validity, not-known share and score, worked by hand', async () => {
    expect(await scores()).toEqual(worked);
  });

  it('is made by the build from the staged file and the receipt when a summary is missing (a store staged before summaries)', async () => {
    const keys = await p.store.list('staged/quality/');
    for (const key of keys) await p.store.delete(key);
    await p.build();
    expect(await scores()).toEqual(worked);
    // Made for the versions in force, the ones the score reads (January's first is superseded).
    expect(await p.store.list('staged/quality/')).toEqual(
      keys.filter((k) => k !== 'staged/quality/participant/plp-test/2025-01/v1.parquet'),
    );
  });

  it('an incremental build reads the summaries of the contract it rebuilds only, and a new day reads none and stays incremental', async () => {
    await p.ingest([
      {
        contractId: 'vrs-test',
        period: '2025-02',
        rows: participants(6, (i) => (i === 0 ? { sex: 'not_stated' } : {})),
        submittedAt: '2025-03-03T10:00:00.000Z',
      },
    ]);
    const inputs = await inputsFromStore(p.store);
    const read: string[] = [];
    await buildCurated({
      store: p.store,
      inputs: watching(inputs, read),
      asOf,
      scope: { contracts: ['vrs-test'] },
    });
    expect(read).toEqual(['staged/participant/vrs-test/2025-02/v1.parquet']);
    const february = (await scores()).filter(
      (r) => (r as { contract_id: string }).contract_id === 'vrs-test',
    );
    // 6 rows × 4 expected fields, 1 filled each (work status at referral): 0.25; coded 6 × 4,
    // one not stated: 1/24; no warnings; coverage 1/2: (0.5 + 0.25 + 1 + 23/24) / 4 = 0.67708…
    expect(february).toEqual([
      worked.at(-2),
      {
        ...worked.at(-1)!,
        returns_received: 1,
        coverage: 0.5,
        completeness: 0.25,
        validity: 1,
        not_known: 0.0417,
        score: 0.6771,
        return_kind: 'participant',
      },
    ]);
    // As at a new day, March's deadline has passed: nothing is read but receipts and files.
    read.length = 0;
    await buildCurated({
      store: p.store,
      inputs: watching(await inputsFromStore(p.store), read),
      asOf: '2025-05-01',
      scope: { contracts: [] },
    });
    expect(read).toEqual([]);
    expect((await readCurrentManifest(p.store))!.scope).toEqual([]);
    const vrs = (await scores()).filter(
      (r) => (r as { contract_id: string }).contract_id === 'vrs-test',
    );
    expect(vrs.map((r) => (r as { period: string }).period)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    const dayAfter = await scores();
    await rebuild(p.store, { asOf: '2025-05-01' });
    expect(await scores()).toEqual(dayAfter);
  });
});

describe('the commissioners’ data quality page over the worked example', () => {
  it('names each provider and shows the score and its parts as percentages', async () => {
    const db = await openCurated(p.store);
    try {
      const runner: QueryRunner = { query: (sql, params) => db.query(sql, params) };
      const page = (
        await renderPage(
          dataQualityScoresPage({ acme: 'Acme Employment', 'nhs-north': 'North NHS Trust' }),
          runner,
          { params: { programme: 'plp', title: 'Provider-led Pathways' } },
        )
      ).toString();
      expect(page).toContain('Acme Employment');
      // January: score, coverage, completeness; the percentages as pages round them.
      expect(page).toMatch(
        /January 2025<\/td><td[^>]*>81%<\/td><td[^>]*>100%<\/td><td[^>]*>40%<\/td>/,
      );
      // March, under five participants: coverage only.
      expect(page).toMatch(/March 2025<\/td><td[^>]*><span aria-hidden="true">–<\/span>/);
      expect(page).toContain('after the NHS Data Quality Maturity Index');
      expect(page).toContain('fewer than 5');
      expect(page).not.toContain('North NHS Trust'); // vrs-test is another programme
    } finally {
      db.close();
    }
  });
});
