/**
 * A delivery partner's engine (ADR 042): privilege, not parsing, for the partner role. Every
 * hostile technique and a fuzz of spellings run against the engine a partner's page reads, with
 * no checker in front. Canaries: a participant reference of the contract's other participants in
 * the staged Parquet and the raw upload, another contract's id, a system file. The engine must
 * answer none of them, hold only measure_values, and of it only the partner's cell; the positive
 * control shows it does hold the partner's own figures.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { partnerScope } from '../../../pipelines/access/index.js';
import { LocalEngine } from '../../../pipelines/analytics/local.js';
import { openRestricted, type RestrictedScope } from '../../../pipelines/analytics/restricted.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participants } from '../../fixtures/returns.js';
import { webReference } from './fixture.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { fuzzedQueries, hostileQueries, type HostileQuery } from './hostile/queries.js';

/** A participant the prime supports itself: in the staged Parquet and the raw upload only. */
const STAGED_CANARY = 'CANARY-PRIME-ONLY-5d1e';
const SYSTEM_CANARY = 'root:x:0:0';
const forbidden = [STAGED_CANARY, SYSTEM_CANARY, 'vrs-south', 'vrs-test', 'agg-test'];

let pipeline: PipelineFixture;
let scope: RestrictedScope;
let queries: HostileQuery[];

beforeAll(async () => {
  // plp with one programme-defined measure, so that measure_values has figures to hold.
  const base = webReference();
  const reference = parseReferenceData({
    ...base,
    programmes: base.programmes.map((p) =>
      p.id === 'plp'
        ? {
            ...p,
            journey_measures: [
              {
                id: 'referrals',
                label: 'Referrals',
                kind: 'count_of_milestone',
                milestone: 'referral_date',
              },
            ],
          }
        : p,
    ),
  });
  pipeline = await pipelineWith(reference, [
    {
      contractId: 'plp-test',
      period: '2025-01',
      // Two of six with the partner; the canary is one of the prime's own.
      rows: participants(6, (i) =>
        i < 2
          ? { delivery_partner: 'nhs-north' }
          : i === 2
            ? { participant_id: STAGED_CANARY }
            : {},
      ),
    },
    { contractId: 'vrs-south', period: '2025-01', rows: participants(3) },
  ]);
  const user = pipeline.reference.users.find((u) => u.id === 'partner-north')!;
  scope = partnerScope(user, pipeline.reference)!;
  const outDir = await mkdtemp(join(tmpdir(), 'outturn-hostile-partner-out-'));
  const paths = { dataDir: pipeline.dir, outDir };
  queries = [...hostileQueries(paths), ...fuzzedQueries(paths, 200)];
}, 180_000);

describe('as partner-north', () => {
  it('the partner engine answers no hostile query with anything the partner may not see', async () => {
    const engine = new LocalEngine(() => openRestricted(pipeline.store, scope));
    let answered = 0;
    for (const q of queries) {
      const outcome = await engine.run(q.sql, [], 1000).then(
        (r) => ({ ran: true, text: JSON.stringify(r) }),
        (e: unknown) => ({ ran: false, text: (e as Error).message }),
      );
      if (outcome.ran) answered++;
      expect(
        forbidden.filter((v) => outcome.text.includes(v)),
        `${q.technique}: ${q.sql}`,
      ).toEqual([]);
      // A file, a true mart by path, a statement: nothing outside the engine answers with rows.
      if (q.target !== 'published-table')
        expect(outcome.ran && !outcome.text.includes('"rows":[]'), `${q.technique}: ${q.sql}`).toBe(
          false,
        );
    }
    console.log(`partner hostile queries tried: ${queries.length}, answered: ${answered}`);
  }, 300_000);

  it('holds only measure_values, and of it only the partner’s cell of its contract', async () => {
    const db = await openRestricted(pipeline.store, scope);
    try {
      const tables = await db.query(
        "select table_name from information_schema.tables where table_schema = 'main' order by 1",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['measure_values']);
      const cells = await db.query(
        'select distinct contract_id, breakdown, breakdown_value from measure_values',
      );
      expect(cells.rows).toEqual([
        { contract_id: 'plp-test', breakdown: 'delivery_partner', breakdown_value: 'nhs-north' },
      ]);
      // The positive control: the partner's two participants are there, counted.
      const referred = await db.query(
        "select max(participants)::integer as n from measure_values where grain = 'to_date' and cohort = 'event' and measure_id = 'referrals'",
      );
      expect(referred.rows[0]!.n).toBe(2);
    } finally {
      db.close();
    }
  });

  it('the same hostile queries on the full engine do find the canaries (the check can fail)', async () => {
    const full = new LocalEngine(pipeline.store);
    const seen = new Set<string>();
    for (const q of queries.filter((x) => /^(read_parquet|read_text) on /.test(x.technique))) {
      const text = await full.run(q.sql, [], 1000).then(
        (r) => JSON.stringify(r),
        (e: unknown) => (e as Error).message,
      );
      for (const v of [STAGED_CANARY, SYSTEM_CANARY]) if (text.includes(v)) seen.add(v);
    }
    expect([...seen].sort()).toEqual([STAGED_CANARY, SYSTEM_CANARY].sort());
  }, 300_000);
});
