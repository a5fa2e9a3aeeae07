/** Athena's symlink manifests: the current build's Parquet files as s3:// URIs, one per line. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  symlinkKey,
  symlinkManifests,
  writeSymlinkManifests,
} from '../../../pipelines/analytics/athena-manifests.js';
import { S3Store } from '../../../pipelines/store/s3-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { getText } from '../../../pipelines/store/object-store.js';
import type { BuildManifest } from '../../../pipelines/transform/curated.js';

const model = (files: Record<string, string>) => ({
  layer: 'mart',
  partition: 'contract' as const,
  description: '',
  columns: [],
  files,
  rows: 1,
});
const manifest: BuildManifest = {
  build_id: 'b2',
  built_at: '2026-11-26T12:00:00.000Z',
  as_of: '2026-11-26',
  scope: 'full',
  previous_build: null,
  models: {
    performance: model({
      'vrs-a': 'curated/builds/b2/performance/vrs-a.parquet',
      'plp-a': 'curated/builds/b1/performance/plp-a.parquet',
    }),
    suppressed_costs: model({ all: 'curated/builds/b2/suppressed_costs/all.parquet' }),
    empty: model({}),
  },
};

describe('symlinkManifests', () => {
  it('lists each model’s files as s3:// URIs in the working bucket, sorted, a newline after each', () => {
    const files = symlinkManifests(manifest, (key) => `s3://outturn-working/${key}`);
    expect([...files.keys()]).toEqual(['empty', 'performance', 'suppressed_costs']);
    // Files kept from an earlier build (an incremental build reuses them) are listed as they are.
    expect(files.get('performance')).toBe(
      's3://outturn-working/curated/builds/b1/performance/plp-a.parquet\ns3://outturn-working/curated/builds/b2/performance/vrs-a.parquet\n',
    );
    expect(files.get('empty')).toBe('');
  });

  it('names each file by the S3 store’s own address for it: bucket, prefix (one slash) and key', () => {
    for (const prefix of ['prod', 'prod/']) {
      const store = new S3Store({ bucket: 'b-b', prefix, region: 'eu-west-2', cacheDir: tmpdir() });
      expect(symlinkManifests(manifest, (key) => store.uri(key)).get('suppressed_costs')).toBe(
        's3://b-b/prod/curated/builds/b2/suppressed_costs/all.parquet\n',
      );
    }
  });
});

describe('writeSymlinkManifests', () => {
  it('writes curated/athena/<model>/symlink.txt for each model, and empties those of models gone (never deleting)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outturn-athena-'));
    try {
      // A local directory standing in for the bucket, given the bucket's addresses.
      const store = Object.assign(new LocalStore(dir), {
        uri: (key: string) => `s3://outturn-working/${key}`,
      });
      expect(await writeSymlinkManifests(new LocalStore(dir), manifest)).toEqual([]); // no address, no Athena: nothing written
      await store.put(symlinkKey('retired_model'), 's3://old\n');
      // Where a published model's symlink was before it had its own prefix (ADR 020).
      await store.put('curated/athena/suppressed_costs/symlink.txt', 's3://old\n');
      await store.put('curated/athena/notes.txt', 'not a manifest: left alone');
      const written = await writeSymlinkManifests(store, manifest);
      expect(written).toEqual([
        'curated/athena/retired_model/symlink.txt',
        'curated/athena/suppressed_costs/symlink.txt',
        'curated/athena/empty/symlink.txt',
        'curated/athena/performance/symlink.txt',
        'curated/published/athena/suppressed_costs/symlink.txt',
      ]);
      expect(symlinkKey('suppressed_costs')).toBe(
        'curated/published/athena/suppressed_costs/symlink.txt',
      );
      expect(await store.list('curated/athena/')).toEqual([
        'curated/athena/empty/symlink.txt',
        'curated/athena/notes.txt',
        'curated/athena/performance/symlink.txt',
        'curated/athena/retired_model/symlink.txt',
        'curated/athena/suppressed_costs/symlink.txt',
      ]);
      expect(await getText(store, 'curated/athena/suppressed_costs/symlink.txt')).toBe('');
      expect(await getText(store, symlinkKey('retired_model'))).toBe('');
      expect(await getText(store, symlinkKey('suppressed_costs'))).toBe(
        's3://outturn-working/curated/builds/b2/suppressed_costs/all.parquet\n',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
