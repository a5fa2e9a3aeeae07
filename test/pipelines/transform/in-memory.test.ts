/**
 * The web app's marts copied into memory (openCurated `inMemory`), on a real build in a local
 * store: the first handle answers at once over the Parquet files; once the copy is done every
 * mart's view reads its table in memory, staging stays on its files, and the answers are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { openCurated, type CuratedDb } from '../../../pipelines/transform/query.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participants } from '../../fixtures/returns.js';

let pipeline: PipelineFixture;

beforeAll(async () => {
  pipeline = await pipelineWith(testReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    { contractId: 'vrs-test', period: '2025-01', rows: participants(3) },
  ]);
  await pipeline.build();
});
afterAll(() => rm(pipeline.dir, { recursive: true, force: true }));

const copied = (db: CuratedDb) =>
  db.query(`select table_name from duckdb_tables() where schema_name = 'in_memory' order by 1`);

describe('marts copied into memory', () => {
  it('answers the same before and after the copy, marts in memory and staging on its files', async () => {
    const sql = `select contract_id, measure_id, period, cumulative_actual from performance order by all`;
    const before = await pipeline.query(sql);
    // The copy waits for the handle that asked it: the first page runs alone over the files.
    const first = await openCurated(pipeline.store, { inMemory: true });
    try {
      expect((await first.query(sql)).rows).toEqual(before);
      expect((await copied(first)).rows).toEqual([]);
    } finally {
      first.close();
    }
    const db = await openCurated(pipeline.store, { inMemory: true });
    try {
      const marts = Object.entries(db.manifest.models)
        .filter(([, m]) => m.layer !== 'staging' && Object.keys(m.files).length)
        .map(([name]) => name)
        .sort();
      // Wait for the copy (it runs beside the later queries), however long the machine takes.
      for (let i = 0; i < 400 && (await copied(db)).rows.length < marts.length; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect((await copied(db)).rows.map((r) => r.table_name)).toEqual(marts);
      const views = await db.query(
        `select view_name, sql from duckdb_views() where schema_name = 'main' and not internal`,
      );
      const of = (name: string) => String(views.rows.find((v) => v.view_name === name)?.sql);
      expect(of('performance')).toContain('in_memory');
      const staging = Object.entries(db.manifest.models).find(([, m]) => m.layer === 'staging');
      if (staging) expect(of(staging[0])).toContain('read_parquet');
      expect((await db.query(sql)).rows).toEqual(before);
    } finally {
      db.close();
    }
  });
});
