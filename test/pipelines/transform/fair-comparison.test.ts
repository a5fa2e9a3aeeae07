/**
 * Fair comparison (fair_comparison and suppressed_fair_comparison), the model SQL run in a real
 * DuckDB over a hand-built case_mix_strata, checked against a worked example done by hand.
 *
 * Programme P, two providers, three strata (age band × condition × benefit × engagement):
 *
 *   stratum                               A starts/jobs   B starts/jobs   programme     rate used
 *   S1 25_34 mental_health esa voluntary      20 / 8          20 / 4        40 / 12      0.3   (stratum)
 *   S2 50_59 musculoskeletal esa mandatory    10 / 1          30 / 5        40 / 6       0.15  (stratum)
 *   S3 35_49 cancer none voluntary             5 / 3           –             5 / 3       1/3   (collapsed)
 *
 * S3 has 5 starts (< 20); cancer × voluntary also 5; voluntary alone is S1 + S3 = 45 starts,
 * 15 jobs, so S3 takes 15/45 = 1/3. The programme's overall rate is 21/85 = 0.247059.
 *
 *   E_A = 20×0.3 + 10×0.15 + 5×(1/3) = 6 + 1.5 + 1.666667 = 9.166667;  O_A = 12;  O/E = 1.309091
 *   E_B = 20×0.3 + 30×0.15           = 6 + 4.5            = 10.5;      O_B = 9;   O/E = 0.857143
 *
 * Byar's 95% interval, z = 1.959964:
 *   A lower = 12 (1 − 1/108 − z/(3√12))³ / E_A = 6.193510 / 9.166667 = 0.675656
 *   A upper = 13 (1 − 1/117 + z/(3√13))³ / E_A = 20.962858 / 9.166667 = 2.286857
 *   B lower =  9 (1 − 1/81 − z/9)³ / 10.5     = 4.106885 / 10.5     = 0.391132
 *   B upper = 10 (1 − 1/90 + z/(3√10))³ / 10.5 = 17.085781 / 10.5    = 1.627217
 *
 * Harder to help: strata whose rate is below 0.247059, so S2 only.
 *   Start rate: A 10/25 = 0.4, programme 40/65 = 0.615385;
 *     z = (0.4 − 0.615385) / √(0.615385 × 0.384615 / 25) = −0.215385 / 0.097301 = −2.2136 → flagged
 *   Job entry rate: A 1/10 = 0.1, programme 6/40 = 0.15;
 *     z = −0.05 / √(0.15 × 0.85 / 10) = −0.4428 → not flagged
 *   Days to first contact: A mean 300/10 = 30, sd 10 (sum of squares 9900); programme 750/40 = 18.75;
 *     z = 11.25 / (10/√10) = 3.5576 → flagged
 *   Contacts: A mean 40/10 = 4, sd 2 (sum of squares 196); programme 190/40 = 4.75;
 *     z = −0.75 / (2/√10) = −1.1859 → not flagged
 *
 * Programme Q has provider C with 3 observed job entries: hidden for commissioners; D is shown.
 * Programme R's provider E has 6 job entries, but its contract's starts are hidden in
 * suppressed_outcomes (to protect another count), so E's are hidden here too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { fairComparison } from '../../../pipelines/transform/models/marts/fair_comparison.js';
import { suppressedFairComparison } from '../../../pipelines/transform/models/suppressed/suppressed_fair_comparison.js';
import { renderPage, type QueryRunner } from '../../../reports/page.js';
import { fairComparisonPage } from '../../../reports/pages/fair-comparison/index.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

type Stratum = [
  contract: string,
  programme: string,
  provider: string,
  stratum: string,
  referrals: number,
  starts: number,
  jobs: number,
  firstContacts?: [n: number, sum: number, sumsq: number],
  contacts?: [n: number, sum: number, sumsq: number],
];

const S1 = `'25_34', 'mental_health', 'esa', 'voluntary'`;
const S2 = `'50_59', 'musculoskeletal', 'esa', 'mandatory'`;
const S3 = `'35_49', 'cancer', 'none', 'voluntary'`;

const strata: Stratum[] = [
  ['a1', 'P', 'A', S1, 20, 20, 8],
  ['a1', 'P', 'A', S2, 25, 10, 1, [10, 300, 9900], [10, 40, 196]],
  ['a1', 'P', 'A', S3, 5, 5, 3],
  ['b1', 'P', 'B', S1, 20, 20, 4],
  ['b1', 'P', 'B', S2, 40, 30, 5, [30, 450, 7475], [30, 150, 866]],
  ['c1', 'Q', 'C', S1, 10, 10, 3],
  ['d1', 'Q', 'D', S1, 30, 30, 9],
  ['e1', 'R', 'E', S1, 10, 10, 6],
];

/** suppressed_outcomes' totals as the model reads them: null where hidden. */
const outcomes = `('P', 'A', 35, 12), ('P', 'B', 50, 9), ('Q', 'C', 10, null), ('Q', 'D', 30, 9), ('R', 'E', null, 6)`;

beforeAll(async () => {
  ({ instance, connection } = await openDuckDb({ memoryLimit: '256MB', threads: 1 }));
  const values = strata.map(
    ([c, p, v, s, r, st, j, fc = [0, 0, 0], ct = [0, 0, 0]]) =>
      `('${c}', '${p}', '${v}', ${s}, ${r}, ${st}, ${j}, ${fc.join(', ')}, ${ct.join(', ')})`,
  );
  await connection.run(`create table case_mix_strata as
    select contract_id, programme_id, provider_id, age_band, primary_condition_group, benefit, engagement,
           referrals::integer as referrals, starts::integer as starts, job_entries::integer as job_entries,
           first_contacts::integer as first_contacts, days_to_first_contact_sum::double as days_to_first_contact_sum,
           days_to_first_contact_sumsq::double as days_to_first_contact_sumsq,
           contacts_recorded::integer as contacts_recorded, contacts_sum::double as contacts_sum,
           contacts_sumsq::double as contacts_sumsq
    from (values ${values.join(', ')}) t(contract_id, programme_id, provider_id, age_band, primary_condition_group,
          benefit, engagement, referrals, starts, job_entries, first_contacts, days_to_first_contact_sum,
          days_to_first_contact_sumsq, contacts_recorded, contacts_sum, contacts_sumsq)`);
  await connection.run(`create table suppressed_outcomes as
    select programme_id, provider_id, 'all' as breakdown, starts::integer as starts, job_entries::integer as job_entries
    from (values ${outcomes}) t(programme_id, provider_id, starts, job_entries)`);
  await connection.run(`create table fair_comparison as ${fairComparison.sql}`);
  await connection.run(
    `create table suppressed_fair_comparison as ${suppressedFairComparison.sql}`,
  );
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const rows = async (table: string) =>
  (
    await connection.runAndReadAll(`select * from ${table} order by programme_id, provider_id`)
  ).getRowObjectsJson() as Record<string, unknown>[];

describe('fair comparison: the worked example', () => {
  it('has the columns and types the model declares', async () => {
    for (const model of [fairComparison, suppressedFairComparison]) {
      const described = (
        await connection.runAndReadAll(`describe ${model.name}`)
      ).getRowObjectsJson() as { column_name: string; column_type: string }[];
      expect(described.map((d) => [d.column_name, d.column_type])).toEqual(
        model.columns.map((c) => [c.name, c.type]),
      );
    }
  });

  it('gives E, O/E and its Byar interval as worked by hand', async () => {
    const [a, b] = await rows('fair_comparison');
    expect(a).toMatchObject({ provider_id: 'A', observed: 12, starts: 35, collapsed_strata: 1 });
    expect(Number(a!.expected)).toBeCloseTo(9.166667, 5);
    expect(Number(a!.oe_ratio)).toBeCloseTo(1.309091, 5);
    expect(Number(a!.oe_low)).toBeCloseTo(0.675656, 5);
    expect(Number(a!.oe_high)).toBeCloseTo(2.286857, 5);
    expect(b).toMatchObject({ provider_id: 'B', observed: 9, starts: 50, collapsed_strata: 0 });
    expect(Number(b!.expected)).toBeCloseTo(10.5, 6);
    expect(Number(b!.oe_ratio)).toBeCloseTo(0.857143, 5);
    expect(Number(b!.oe_low)).toBeCloseTo(0.391132, 5);
    expect(Number(b!.oe_high)).toBeCloseTo(1.627217, 5);
  });

  it('flags the harder-to-help gaps beyond chance, and only those', async () => {
    const [a] = await rows('fair_comparison');
    expect(a).toMatchObject({
      hard_referrals: 25,
      hard_starts: 10,
      start_rate_flag: true,
      job_entry_rate_flag: false,
      first_contact_flag: true,
      contacts_flag: false,
    });
    expect(Number(a!.hard_start_rate)).toBeCloseTo(0.4, 6);
    expect(Number(a!.programme_hard_start_rate)).toBeCloseTo(40 / 65, 6);
    expect(Number(a!.hard_days_to_first_contact)).toBeCloseTo(30, 6);
    expect(Number(a!.programme_hard_days_to_first_contact)).toBeCloseTo(18.75, 6);
    expect(Number(a!.hard_contacts)).toBeCloseTo(4, 6);
    expect(Number(a!.programme_hard_contacts)).toBeCloseTo(4.75, 6);
  });

  it('hides O, E and O/E for commissioners where 1 to 4 job entries were observed', async () => {
    const shown = await rows('suppressed_fair_comparison');
    const c = shown.find((r) => r.provider_id === 'C')!;
    expect(c).toMatchObject({
      observed: null,
      observed_display: '[c]',
      starts: null,
      starts_display: '[c]',
      expected: null,
      oe_ratio: null,
      oe_low: null,
      oe_high: null,
    });
    const d = shown.find((r) => r.provider_id === 'D')!;
    expect(d).toMatchObject({ observed: 9, observed_display: '9' });
    expect(Number(d.oe_ratio)).toBeCloseTo(9 / 9, 6);
    const e = shown.find((r) => r.provider_id === 'E')!;
    expect(e).toMatchObject({ observed: null, observed_display: '[c]', oe_ratio: null });
    const a = shown.find((r) => r.provider_id === 'A')!;
    expect(a).toMatchObject({ observed: 12, start_rate_flag: true });
  });
});

describe('the fair comparison page over the worked example', () => {
  it('shows the ratios, the interval, the flags and "[c]", with plain words on the adjustment', async () => {
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
      await renderPage(fairComparisonPage({ A: 'Acme', B: 'Bright', C: 'Cedar' }), db, {
        params: { scope: 'P:A,P:B,Q:C', title: 'Test' },
      })
    ).toString();
    expect(page).toContain('Acme');
    expect(page).toContain('1.31');
    expect(page).toContain('0.68 to 2.29');
    expect(page).toContain('does not allow for anything the return does not record');
    expect(page).toContain('[c]');
    expect(page).not.toContain('>D<');
  });
});
