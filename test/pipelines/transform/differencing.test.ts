/**
 * The differencing checker (test/pipelines/transform/differencing/): it reads everything a
 * commissioner can, writes down every relation between the figures (month and cumulative,
 * totals and parts, breakdowns and their total, the same figure in two tables, derived
 * figures) and works out every hidden cell it can, by exact elimination and by bounds. First
 * on hand-worked cases, then over ADR 008's suppression (it must catch that scheme's leaks),
 * then over the marts built from hand-made small services and from the whole demo.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { loadDemo } from '../../../pipelines/demo/load.js';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { openCurated, type CuratedDb } from '../../../pipelines/transform/query.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant, type RowValues } from '../../fixtures/returns.js';
import {
  adr008,
  attack,
  buildAdr008Suppression,
  checkSuppression,
  measuresOf,
  publication,
  type AttackResult,
  type Cell,
} from './differencing/index.js';
import {
  attackKnowingTheRule,
  type HiddenBlock,
  type Publish,
} from './differencing/knowing-the-rule.js';
import { renderSql } from '../../../pipelines/transform/build.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { recordEvidence, type OutcomeKind } from '../../../pipelines/claims/evidence.js';
import { intPerformanceBlocks } from '../../../pipelines/transform/models/suppressed/int_performance_blocks.js';
import {
  suppressedPerformance,
  suppressedPerformanceQuarterly,
  suppressedPerformanceYearly,
} from '../../../pipelines/transform/models/suppressed/suppressed_performance.js';

const hidden = (key: string, truth: number, label?: [number, number]): Cell => ({
  key,
  truth,
  shown: null,
  published: true,
  ...(label ? { low: label[0], high: label[1] } : {}),
});
const shown = (key: string, value: number): Cell => ({
  key,
  truth: value,
  shown: value,
  published: true,
});
const keys = (r: AttackResult) => r.recovered.map((x) => `${x.key} ${x.how}`).sort();

describe('the solver, on hand-worked tables', () => {
  it('recovers a hidden month from the cumulatives either side of it', () => {
    // cumulative 6, then a hidden month, then cumulative 7: the month is 1.
    const r = attack(
      [shown('c1', 6), hidden('a2', 1), shown('c2', 7)],
      [
        {
          why: 'c2 = c1 + a2',
          terms: [
            ['c2', 1],
            ['c1', -1],
            ['a2', -1],
          ],
        },
      ],
    );
    expect(r).toEqual({
      examined: 1,
      recovered: [{ key: 'a2', truth: 1, how: 'linear', detail: 'c2 = c1 + a2' }],
    });
  });

  it('recovers a cell only by eliminating across several relations', () => {
    // A 2 × 2 table with its margins: rows 5 = a + b, 9 = c + d; columns 6 = a + c, 8 = b + d.
    // With a, b and c hidden, d = 4 shown: c = 9 − 4 = 5, a = 6 − 5 = 1, b = 5 − 1 = 4.
    // With all four hidden, nothing can be worked out (a + b + c + d adds nothing new).
    const margins = [
      {
        why: 'row 1',
        terms: [
          ['a', 1],
          ['b', 1],
          ['r1', -1],
        ] as [string, number][],
      },
      {
        why: 'row 2',
        terms: [
          ['c', 1],
          ['d', 1],
          ['r2', -1],
        ] as [string, number][],
      },
      {
        why: 'column 1',
        terms: [
          ['a', 1],
          ['c', 1],
          ['k1', -1],
        ] as [string, number][],
      },
      {
        why: 'column 2',
        terms: [
          ['b', 1],
          ['d', 1],
          ['k2', -1],
        ] as [string, number][],
      },
    ];
    const totals = [shown('r1', 5), shown('r2', 9), shown('k1', 6), shown('k2', 8)];
    expect(
      keys(
        attack([hidden('a', 1), hidden('b', 4), hidden('c', 5), shown('d', 4), ...totals], margins),
      ),
    ).toEqual(['a linear', 'b linear', 'c linear']);
    expect(
      attack([hidden('a', 1), hidden('b', 4), hidden('c', 5), hidden('d', 4), ...totals], margins)
        .recovered,
    ).toEqual([]);
  });

  it('pins cells by their bounds: two “<5” cells that come to 8 are both 4', () => {
    const sum = [
      {
        why: 'a + b = 8',
        terms: [
          ['a', 1],
          ['b', 1],
          ['t', -1],
        ] as [string, number][],
      },
    ];
    expect(
      keys(attack([hidden('a', 4, [1, 4]), hidden('b', 4, [1, 4]), shown('t', 8)], sum)),
    ).toEqual(['a bounds', 'b bounds']);
    // Unlabelled, 8 could be 0 + 8 … 8 + 0.
    expect(attack([hidden('a', 4), hidden('b', 4), shown('t', 8)], sum).recovered).toEqual([]);
    // A part of a shown 0 is 0.
    expect(keys(attack([hidden('a', 0), shown('t', 0)], [], [{ part: 'a', whole: 't' }]))).toEqual([
      'a bounds',
    ]);
  });

  it('refuses a relation that does not hold in the true figures', () => {
    expect(() =>
      attack(
        [shown('a', 1), shown('b', 2)],
        [
          {
            why: 'a = b',
            terms: [
              ['a', 1],
              ['b', -1],
            ],
          },
        ],
      ),
    ).toThrow('relation "a = b" does not hold in the true figures');
  });
});

describe('ADR 008’s suppression (the weak scheme), over hand-built performance', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  async function weak(actuals: readonly number[]): Promise<AttackResult> {
    let cumulative = 0;
    const rows = actuals.map((a, i) => {
      cumulative += a;
      return `('c1', 'plp', 'acme', 'starts', 'Starts', 1, '2023-0${i + 4}', ${a}, ${cumulative})`;
    });
    await connection.run(`create or replace table performance as
      select contract_id, programme_id, provider_id, measure_id, measure_label, measure_order::integer as measure_order,
             period, actual::integer as actual, null::integer as profile, null::integer as variance,
             null::double as pct_of_profile, cumulative_actual::integer as cumulative_actual,
             null::integer as cumulative_profile, null::double as cumulative_pct_of_profile, null::varchar as rag
      from (values ${rows.join(', ')}) as t(contract_id, programme_id, provider_id, measure_id, measure_label,
        measure_order, period, actual, cumulative_actual)`);
    // No outcomes or payments: the leaks below come from the performance table alone.
    await connection.run(`create or replace table outcomes as select * from (select
      ''::varchar as contract_id, ''::varchar as programme_id, ''::varchar as provider_id, ''::varchar as breakdown,
      ''::varchar as breakdown_value, 0::integer as referrals, 0::integer as starts, 0::integer as job_entries,
      0::integer as sustained_jobs, 0::integer as job_entries_due_to_sustain, 26::integer as sustained_weeks,
      null::double as job_entry_rate, null::double as job_entry_rate_low, null::double as job_entry_rate_high,
      null::double as sustained_rate) where false`);
    await connection.run(`create or replace table payments as select * from (select
      ''::varchar as contract_id, ''::varchar as programme_id, ''::varchar as provider_id, ''::varchar as period,
      0::integer as cumulative_starts, 0::integer as cumulative_job_entries, 0::integer as cumulative_sustained_jobs,
      0::double as cumulative_total_due, 0::double as cost_per_job_entry, 0::double as cost_per_sustained_job,
      0::double as service_fee_per_start, 0::double as job_outcome_payment, 0::double as sustained_payment,
      26::integer as sustained_weeks) where false`);
    await buildAdr008Suppression(connection);
    return checkSuppression(
      async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson(),
      {
        measures: [{ programme_id: 'plp', measure_id: 'starts', milestone: 'start_date' }],
        ...adr008,
      },
    );
  }

  it('gives away a cumulative of 3: the next cumulative less the next month', async () => {
    // Starts 0, 1, 2, 6, 12; cumulatives 0, 1, 3, 9, 21. May and June are "<5", so May's
    // cumulative is "[c]" and June's (3) "<5"; but July's cumulative 9 and July's 6 are shown.
    const r = await weak([0, 1, 2, 6, 12]);
    expect(keys(r)).toEqual(['performance|c1|starts|2023-06|cumulative linear']);
    expect(r.recovered[0]!.truth).toBe(3);
  });

  it('gives away two “<5” months that come to 8: both are 4', async () => {
    // Starts 5, 4, 4, 9: April's cumulative 5 and June's 13 are shown, so May + June = 8, and
    // with them May's hidden cumulative, 9.
    const r = await weak([5, 4, 4, 9]);
    expect(keys(r)).toEqual([
      'performance|c1|starts|2023-05|actual bounds',
      'performance|c1|starts|2023-05|cumulative bounds',
      'performance|c1|starts|2023-06|actual bounds',
    ]);
    expect(
      Object.fromEntries(r.recovered.map((x) => [x.key.split('|').slice(3).join(' '), x.truth])),
    ).toEqual({
      '2023-05 actual': 4,
      '2023-05 cumulative': 9,
      '2023-06 actual': 4,
    });
  });
});

describe('an attacker who knows the rule', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    ({ instance, connection } = await openDuckDb({ memoryLimit: '1GB', threads: 2 }));
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const month = (i: number) => {
    const n = 2023 * 12 + 3 + i; // from 2023-04
    return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  };

  /** ADR 021's rule, the real model SQL, over many series at once: each series one contract. */
  const publish: Publish = async (series) => {
    const rows = series.flatMap((s, c) => {
      let cumulative = 0;
      return s.map((a, i) => `('k${c}', '${month(i)}', ${a}, ${(cumulative += a)})`);
    });
    await connection.run(`create or replace table performance as
      select contract_id, 'p' as programme_id, 'acme' as provider_id, 'm' as measure_id, 'M' as measure_label,
             1 as measure_order, period, actual::integer as actual, null::integer as profile,
             null::integer as variance, null::double as pct_of_profile, cumulative_actual::integer as cumulative_actual,
             null::integer as cumulative_profile, null::double as cumulative_pct_of_profile, null::varchar as rag
      from (values ${rows.join(', ')}) as t(contract_id, period, actual, cumulative_actual)`);
    const tables = [
      suppressedPerformance,
      suppressedPerformanceQuarterly,
      suppressedPerformanceYearly,
    ];
    for (const model of [intPerformanceBlocks, ...tables])
      await connection.run(`create or replace table ${model.name} as ${renderSql(model)}`);
    const read = await connection.runAndReadAll(
      tables
        .map(
          (
            t,
          ) => `select contract_id, '${t.name} ' || period || ' ' || actual_display || ' ' || cumulative_actual_display
                    || ' ' || combined_from || '..' || combined_to || ' ' || combined_actual_display as line
                  from ${t.name}`,
        )
        .join(' union all ') + ' order by contract_id, line',
    );
    const text = new Map<string, string>();
    for (const [contract, line] of read.getRows() as [string, string][])
      text.set(contract, `${text.get(contract) ?? ''}${line}\n`);
    return series.map((_, c) => text.get(`k${c}`)!);
  };

  /** The blocks of hidden months ADR 021 publishes for a series, with their shown totals. */
  async function hiddenBlocks(series: readonly number[]): Promise<HiddenBlock[]> {
    await publish([series]);
    const rows = (
      await connection.runAndReadAll(
        `select distinct combined_from, combined_to, combined_actual from suppressed_performance
         where actual is null and combined_actual is not null order by 1`,
      )
    ).getRowObjectsJson();
    const index = (period: unknown) => series.findIndex((_, i) => month(i) === period);
    return rows.map((r) => ({
      from: index(r.combined_from),
      to: index(r.combined_to),
      total: Number(r.combined_actual),
    }));
  }

  it('catches a rule that chooses whom to join from the figures', async () => {
    // A weak rule: a month of 1 to 4 joins the month before it (the first, the one after), and a
    // joined pair shows only its total. 7, 5, 1, 8 publishes 7 | [c] [c] = 6 | 8. Knowing the
    // rule: had the 1 come first, it would have joined the 7; a 0 and a 6 would both be shown;
    // so the pair can only be 5 and 1.
    const weak: Publish = async (series) =>
      series.map((s) => {
        const group = s.map((_, i) => i);
        s.forEach((v, i) => {
          if (v >= 1 && v <= 4) group[i] = i === 0 ? 1 : group[i - 1]!;
        });
        return s
          .map((v, i) =>
            group.filter((g) => g === group[i]).length === 1
              ? String(v)
              : `[c] of ${s.filter((_, j) => group[j] === group[i]).reduce((a, b) => a + b, 0)}`,
          )
          .join(' | ');
      });
    const r = await attackKnowingTheRule([7, 5, 1, 8], [{ from: 1, to: 2, total: 6 }], weak);
    expect(r.recovered).toEqual([
      { from: 1, to: 1, value: 5 },
      { from: 2, to: 2, value: 1 },
    ]);
  });

  it('works out nothing inside ADR 021’s blocks, for the hand-worked series and for random small ones', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const small = (n: number) =>
      Array.from({ length: n }, () => [0, 0, 1, 2, 3, 4, 5, 6, 8][Math.floor(random() * 9)]!);
    const cases: number[][] = [
      [8, 3, 9, 7, 6, 8],
      [0, 1, 0, 6, 7, 5, 5, 6, 7, 8, 9, 5],
      [6, 7, 8, 9, 2],
      [6, 1, 3, 2, 2, 5, 8, 3, 6],
      ...Array.from({ length: 30 }, () => small(6 + Math.floor(random() * 10))),
    ];
    let examined = 0;
    for (const series of cases) {
      const r = await attackKnowingTheRule(series, await hiddenBlocks(series), publish);
      expect(r.recovered, JSON.stringify(series)).toEqual([]);
      examined += r.examined;
    }
    expect(examined).toBeGreaterThan(30);
  });
});

/** Participants of a small service, from a fixed seed: about `perMonth` referrals a month. */
function smallService(first: string, months: number, perMonth: number): RowValues[] {
  let seed = 20240901;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const [y, m] = first.split('-').map(Number) as [number, number];
  const day = (monthIndex: number, d: number) => {
    const n = y * 12 + m - 1 + monthIndex;
    return new Date(Date.UTC(Math.floor(n / 12), n % 12, d));
  };
  const last = day(months, 0);
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  const rows: RowValues[] = [];
  const sexes = ['female', 'male', 'male', 'female', 'not_stated', 'female', 'male', 'other'];
  const ages = ['16_24', '25_34', '35_49', '35_49', '50_59', '25_34', '60_64', '35_49'];
  for (let i = 0; i < months; i++) {
    const n = Math.max(0, Math.round(perMonth + (random() - 0.5) * perMonth * 1.6));
    for (let k = 0; k < n; k++) {
      const referred = day(i, 1 + Math.floor(random() * 27));
      const start = new Date(referred.getTime() + (7 + Math.floor(random() * 30)) * 86400000);
      const started = random() < 0.7 && start <= last;
      const job = new Date(start.getTime() + (30 + Math.floor(random() * 90)) * 86400000);
      const entered = started && random() < 0.25 && job <= last;
      rows.push(
        participant({
          participant_id: `S-${String(rows.length + 1).padStart(5, '0')}`,
          referral_date: iso(referred),
          first_contact_date: '',
          start_date: started ? iso(start) : '',
          job_entry_date: entered ? iso(job) : '',
          sex: sexes[Math.floor(random() * sexes.length)]!,
          age_band: ages[Math.floor(random() * ages.length)]!,
        }),
      );
    }
  }
  return rows;
}

describe('small services, built through the pipeline', () => {
  let pipeline: PipelineFixture;
  let db: CuratedDb;
  const measures = measuresOf(testReference());
  beforeAll(async () => {
    // plp-test (term from 2024-10): two years of about eight referrals a month, to 2026-09.
    pipeline = await pipelineWith(
      testReference(),
      [{ contractId: 'plp-test', period: '2026-09', rows: smallService('2024-10', 24, 8) }],
      '2026-10-30',
    );
    db = await openCurated(pipeline.store);
  }, 120_000);
  afterAll(() => db.close());
  const query = async (sql: string) => (await db.query(sql)).rows;

  it('lets no hidden cell be worked out', async () => {
    const r = await checkSuppression(query, { measures, knowsBreakdownRule: true });
    expect(r.examined).toBeGreaterThan(20);
    expect(r.recovered).toEqual([]);
  });

  it('reads the fair comparison too, tied to the contracts’ outcomes', async () => {
    const { cells, relations } = await publication(query, { measures, knowsBreakdownRule: true });
    expect(
      cells
        .filter((c) => c.key.startsWith('fair|'))
        .map((c) => c.key)
        .sort(),
    ).toEqual(['fair|plp|acme|observed', 'fair|plp|acme|starts']);
    expect(relations.filter((x) => x.why.startsWith('fair|')).length).toBe(2);
  });

  it('is a service ADR 008’s suppression gave away cells of', async () => {
    await buildAdr008Suppression(db.connection);
    const r = await checkSuppression(query, { measures, ...adr008 });
    expect(r.recovered.length).toBeGreaterThan(0);
  });

  it('shows every month that is hidden in a period whose total is shown', async () => {
    const rows = await query(
      `select measure_id, period, actual_display, combined_actual_display from suppressed_performance
       where contract_id = 'plp-test' and actual is null`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.combined_actual_display, JSON.stringify(r)).toMatch(/^\d+$/);
  });
});

/**
 * Answers every claims sample in the store's marts (ADR 040), as a provider would, and rebuilds:
 * one claim in eight (by its place in the sample) has no evidence, so the demo's
 * suppressed_claims_verification has rows, some with small counts to hide.
 */
async function answerEverySample(store: LocalStore, asOf: string): Promise<number> {
  const db = await openCurated(store);
  const samples = new Map<
    string,
    { contract: string; period: string; kind: string; ids: string[] }
  >();
  try {
    for (const r of (
      await db.query(
        'select contract_id, period, outcome_kind, participant_id from claims_sample order by contract_id, period, outcome_kind, sample_rank',
      )
    ).rows) {
      const id = `${String(r.contract_id)}|${String(r.period)}|${String(r.outcome_kind)}`;
      if (!samples.has(id))
        samples.set(id, {
          contract: String(r.contract_id),
          period: String(r.period),
          kind: String(r.outcome_kind),
          ids: [],
        });
      samples.get(id)!.ids.push(String(r.participant_id));
    }
  } finally {
    db.close();
  }
  const at = new Date(`${asOf}T00:00:00.000Z`);
  for (const s of samples.values())
    await recordEvidence(
      store,
      {
        contractId: s.contract,
        period: s.period,
        outcomeKind: s.kind as OutcomeKind,
        sample: s.ids,
        answers: Object.fromEntries(
          s.ids.map((id, i) => [
            id,
            i % 8 === 3
              ? { evidence: 'not_held', note: 'Employer did not confirm the start' }
              : { evidence: 'held', note: '' },
          ]),
        ),
      },
      'differencing-test',
      at,
    );
  await rebuild(store, { asOf, now: at });
  return samples.size;
}

describe('the whole demo', () => {
  let db: CuratedDb;
  let measures: ReturnType<typeof measuresOf>;
  let samples: number;
  beforeAll(async () => {
    const store = new LocalStore(await mkdtemp(join(tmpdir(), 'outturn-differencing-')));
    await loadDemo(store, { asOf: '2026-04-30' });
    samples = await answerEverySample(store, '2026-04-30');
    measures = measuresOf((await loadReference(store))!);
    db = await openCurated(store);
  }, 600_000);
  afterAll(() => db.close());
  const query = async (sql: string) => (await db.query(sql)).rows;

  it('lets no hidden cell of the suppressed tables be worked out', async () => {
    const r = await checkSuppression(query, { measures, knowsBreakdownRule: true });
    const claims = r.recovered.filter((x) => x.key.startsWith('claims|'));
    console.log(
      `differencing checker, demo: ${r.examined} hidden cells examined, ${r.recovered.length} recovered (${claims.length} of claims verification)`,
    );
    expect(r.examined).toBeGreaterThan(1000);
    expect(r.recovered).toEqual([]);
  });

  it('reads claims verification, every sample answered, with hidden counts for the check above', async () => {
    expect(samples).toBeGreaterThan(0);
    const { cells } = await publication(query, { measures, knowsBreakdownRule: true });
    const claims = cells.filter((c) => c.key.startsWith('claims|'));
    const rows = await query('select count(*)::integer as n from suppressed_claims_verification');
    // Four cells a row (outcomes paid, sampled, held, not held), some of them hidden.
    expect(claims.length).toBe(4 * Number(rows[0]!.n));
    const hiddenClaims = claims.filter((c) => c.shown === null);
    console.log(
      `claims verification, demo: ${claims.length} cells, ${hiddenClaims.length} hidden, over ${samples} samples answered`,
    );
    // Each hidden count is examined by the test above, which recovers none of them.
    expect(hiddenClaims.length).toBeGreaterThan(0);
  });

  it('recovers hundreds of cells ADR 008’s suppression hid in the same marts', async () => {
    await buildAdr008Suppression(db.connection);
    const r = await checkSuppression(query, { measures, ...adr008 });
    const by = (how: string, table: string) =>
      r.recovered.filter((x) => x.how === how && x.key.startsWith(`${table}|`)).length;
    console.log(
      `ADR 008 suppression, demo: ${r.examined} hidden cells examined, ${r.recovered.length} recovered (performance: ${by('linear', 'performance')} by differences, ${by('bounds', 'performance')} by bounds; outcomes: ${by('linear', 'outcomes') + by('bounds', 'outcomes')})`,
    );
    expect(by('linear', 'performance')).toBeGreaterThan(0);
    expect(by('bounds', 'performance')).toBeGreaterThan(0);
    expect(by('bounds', 'outcomes')).toBeGreaterThan(0);
  });

  it('shows the small VR contracts’ referrals for every quarter, and most months', async () => {
    const share = async (table: string) =>
      (
        await query(
          `select count(*) filter (where actual is not null) as shown, count(*) as cells from ${table}
           where contract_id like 'vrs-%' and measure_id = 'referrals'`,
        )
      )[0]!;
    const months = await share('suppressed_performance');
    const old = await share('adr008_suppressed_performance');
    const quarters = await share('suppressed_performance_quarterly');
    console.log(
      `VR referrals, monthly cells shown: ${String(old.shown)} of ${String(old.cells)} under ADR 008, ${String(months.shown)} of ${String(months.cells)} now; quarterly cells shown: ${String(quarters.shown)} of ${String(quarters.cells)}`,
    );
    expect(quarters.shown).toBe(quarters.cells);
    expect(Number(months.shown)).toBeGreaterThan(Number(months.cells) / 2);
  });
});
