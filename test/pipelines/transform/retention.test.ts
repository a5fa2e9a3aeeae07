/**
 * Clearing old builds from the curated zone, on real builds (real DuckDB, real Parquet) in a
 * local store: five builds two hours apart, the later ones incremental for one contract, so the
 * newest build's manifest still names another contract's files in the first build's folder.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCurated, type BuildResult } from '../../../pipelines/transform/build.js';
import { manifestKey, readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { buildTime, pruneBuilds } from '../../../pipelines/transform/retention.js';
import { inputsFromStore } from '../../../pipelines/transform/store-inputs.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participants } from '../../fixtures/returns.js';

const HOUR = 60 * 60 * 1000;
const T0 = new Date('2026-11-26T06:00:00.000Z');
const ids = ['a', 'b', 'c', 'd', 'e'].map(
  (s, i) => `${new Date(T0.getTime() + i * 2 * HOUR).toISOString().replace(/[-:.]/g, '')}-${s}aaa`,
);

let pipeline: PipelineFixture;
let builds: BuildResult[];

/** Five builds: the first in full, the rest for plp-test only. */
async function fiveBuilds(p: PipelineFixture): Promise<BuildResult[]> {
  const inputs = await inputsFromStore(p.store);
  const out: BuildResult[] = [];
  for (const [i, buildId] of ids.entries())
    out.push(
      await buildCurated({
        store: p.store,
        inputs,
        asOf: '2026-11-26',
        scope: i === 0 ? 'full' : { contracts: ['plp-test'] },
        buildId,
        now: buildTime(buildId)!,
      }),
    );
  return out;
}

// A build's files: the internal marts beside its manifest, the published ones under their own prefix.
const keysOf = async (p: PipelineFixture, id: string) => [
  ...(await p.store.list(`curated/builds/${id}/`)),
  ...(await p.store.list(`curated/published/builds/${id}/`)),
];
const allBuildKeys = async (p: PipelineFixture) => [
  ...(await p.store.list('curated/builds/')),
  ...(await p.store.list('curated/published/builds/')),
];
const filesOf = (b: BuildResult) =>
  Object.values(b.manifest.models).flatMap((m) => Object.values(m.files));

beforeAll(async () => {
  pipeline = await pipelineWith(testReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    { contractId: 'vrs-test', period: '2025-01', rows: participants(3) },
  ]);
  builds = await fiveBuilds(pipeline);
}, 120_000);

describe('pruneBuilds', () => {
  it('reads the time a build started from its id', () => {
    expect(buildTime(ids[1]!)).toEqual(new Date(T0.getTime() + 2 * HOUR));
    expect(buildTime('not-a-build')).toBeNull();
  });

  it('the incremental builds reuse the first build’s files for the contract they did not touch', () => {
    const newest = builds[4]!;
    expect(newest.manifest.scope).toEqual(['plp-test']);
    expect(filesOf(newest).some((k) => k.startsWith(`curated/builds/${ids[0]}/`))).toBe(true);
    expect(filesOf(newest).some((k) => k.startsWith(`curated/builds/${ids[4]}/`))).toBe(true);
  });

  it('keeps the build in force, the newest `keep` others and every file they name; deletes the rest', async () => {
    const current = (await readCurrentManifest(pipeline.store))!;
    expect(current.build_id).toBe(ids[4]);
    const before = await Promise.all(ids.map((id) => keysOf(pipeline, id)));
    const everything = await allBuildKeys(pipeline);
    expect(everything.some((k) => k.startsWith('curated/published/builds/'))).toBe(true);
    const { kept, deleted } = await pruneBuilds(pipeline.store, current, { keep: 1 });

    // e (in force) and d (the newest other) whole; a only for the vrs-test files e and d name.
    expect(kept).toEqual([ids[0], ids[3], ids[4]]);
    expect(await keysOf(pipeline, ids[4]!)).toEqual(before[4]);
    expect(await keysOf(pipeline, ids[3]!)).toEqual(before[3]);
    expect(await keysOf(pipeline, ids[1]!)).toEqual([]);
    expect(await keysOf(pipeline, ids[2]!)).toEqual([]);
    const firstLeft = await keysOf(pipeline, ids[0]!);
    expect(firstLeft.length).toBeGreaterThan(0);
    expect(firstLeft.length).toBeLessThan(before[0]!.length);
    expect(firstLeft).not.toContain(manifestKey(ids[0]!));
    expect(
      firstLeft.every((k) => filesOf(builds[4]!).includes(k) || filesOf(builds[3]!).includes(k)),
    ).toBe(true);
    // What was deleted is exactly what is gone: b and c, most of a, and the fixture's own first
    // build (made when the returns were loaded, hours before a by its id).
    const left = await allBuildKeys(pipeline);
    expect([...deleted].sort()).toEqual(everything.filter((k) => !left.includes(k)).sort());
    expect(left.sort()).toEqual([...firstLeft, ...before[3]!, ...before[4]!].sort());

    // Every file the build in force names is still there, and the marts answer.
    for (const key of filesOf(builds[4]!)) expect(await pipeline.store.exists(key), key).toBe(true);
    const db = await openCurated(pipeline.store);
    const { rows } = await db.query(
      'SELECT contract_id, count(*) AS n FROM performance GROUP BY contract_id ORDER BY contract_id',
    );
    expect(rows.map((r) => r.contract_id)).toEqual(['plp-test', 'vrs-test']);

    // Run again: nothing more to do.
    expect((await pruneBuilds(pipeline.store, current, { keep: 1 })).deleted).toEqual([]);
  });

  it('deletes what a failed build left once it is old, and leaves a build still being written', async () => {
    const current = (await readCurrentManifest(pipeline.store))!;
    const failed = `${new Date(T0.getTime() - 5 * HOUR).toISOString().replace(/[-:.]/g, '')}-fail`;
    const writing = `${new Date(T0.getTime() + 8 * HOUR + 10 * 60 * 1000).toISOString().replace(/[-:.]/g, '')}-busy`;
    await pipeline.store.put(`curated/builds/${failed}/performance/plp-test.parquet`, 'partial');
    await pipeline.store.put(`curated/builds/${writing}/performance/plp-test.parquet`, 'partial');
    const { deleted } = await pruneBuilds(pipeline.store, current, { keep: 1 });
    expect(deleted).toEqual([`curated/builds/${failed}/performance/plp-test.parquet`]);
    expect(
      await pipeline.store.exists(`curated/builds/${writing}/performance/plp-test.parquet`),
    ).toBe(true);
  });

  it('keeps every build within the grace period, however many', async () => {
    const p = await pipelineWith(testReference(), [
      { contractId: 'plp-test', period: '2025-01', rows: participants(2) },
    ]);
    const made = await fiveBuilds(p);
    const counts = await Promise.all(ids.map((id) => keysOf(p, id).then((k) => k.length)));
    const { deleted } = await pruneBuilds(p.store, made[4]!.manifest, {
      keep: 0,
      graceMs: 15 * HOUR,
    });
    expect(deleted).toEqual([]);
    expect(await Promise.all(ids.map((id) => keysOf(p, id).then((k) => k.length)))).toEqual(counts);
    // (15 hours: back to the fixture’s own build, stamped at midnight of its as-of day.)
    // With no grace and keep 0, only what the build in force names is left: its marts' files,
    // its manifest and the receipts index it was built from (ADR 033).
    await pruneBuilds(p.store, made[4]!.manifest, { keep: 0, graceMs: 0 });
    expect((await allBuildKeys(p)).sort()).toEqual(
      [...filesOf(made[4]!), manifestKey(ids[4]!), made[4]!.manifest.receipts_index!].sort(),
    );
  }, 120_000);

  it('refuses a keep that is not a whole number', async () => {
    const current = (await readCurrentManifest(pipeline.store))!;
    await expect(pruneBuilds(pipeline.store, current, { keep: -1 })).rejects.toThrow(/keep/);
  });
});
