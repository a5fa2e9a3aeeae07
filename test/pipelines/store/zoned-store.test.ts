/**
 * The zoned store (ADR 015): two stores seen as one. It keeps the same contract as every store,
 * over two local folders and over two buckets on s3rver, and puts each zone where it belongs.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { S3Store } from '../../../pipelines/store/s3-store.js';
import { ZonedStore } from '../../../pipelines/store/zoned-store.js';
import { describeObjectStore } from './contract.js';
import { bucket, credentials, startS3rver, type RunningS3rver } from './s3rver-server.js';

async function localPair() {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-zoned-'));
  const raw = new LocalStore(join(dir, 'raw-bucket'));
  const working = new LocalStore(join(dir, 'working-bucket'));
  return { dir, raw, working, store: new ZonedStore({ raw, working }) };
}

describeObjectStore('ZonedStore over two local folders', async () => {
  const { dir, store } = await localPair();
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

let server: RunningS3rver;
let cacheRoot: string;
let prefixes = 0;
const opened: S3Store[] = [];

beforeAll(async () => {
  server = await startS3rver();
  cacheRoot = await mkdtemp(join(tmpdir(), 'outturn-zoned-cache-'));
});

afterAll(async () => {
  for (const s of opened) s.destroy();
  await server.stop();
  await rm(cacheRoot, { recursive: true, force: true });
});

function s3(prefix: string): S3Store {
  const store = new S3Store({
    bucket,
    prefix,
    region: 'eu-west-2',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials,
    cacheDir: join(cacheRoot, prefix),
  });
  opened.push(store);
  return store;
}

describeObjectStore('ZonedStore over two S3 prefixes on s3rver', async () => {
  prefixes += 1;
  return {
    store: new ZonedStore({
      raw: s3(`zoned-${prefixes}-raw/`),
      working: s3(`zoned-${prefixes}-working/`),
    }),
    cleanup: async () => undefined,
  };
});

describe('ZonedStore puts each zone in its own store', () => {
  it('raw/ and incoming/ go to the raw store, everything else to the working store; list("") merges', async () => {
    const { dir, raw, working, store } = await localPair();
    try {
      await store.put('raw/abc', 'bytes');
      await store.put('incoming/u1/file', 'upload');
      await store.put('submissions/plp/2025-01/r.json', '{}');
      await store.put('uploads/u1.json', '{}');
      await store.put('rawish/x', 'not raw: the zone is raw/, not every key starting "raw"');
      expect(await raw.list('')).toEqual(['incoming/u1/file', 'raw/abc']);
      expect(await working.list('')).toEqual([
        'rawish/x',
        'submissions/plp/2025-01/r.json',
        'uploads/u1.json',
      ]);
      expect(await store.list('')).toEqual([
        'incoming/u1/file',
        'raw/abc',
        'rawish/x',
        'submissions/plp/2025-01/r.json',
        'uploads/u1.json',
      ]);
      expect(await store.list('raw')).toEqual(['raw/abc', 'rawish/x']);
      expect(await store.list('in')).toEqual(['incoming/u1/file']);
      expect(await store.list('u')).toEqual(['uploads/u1.json']);
      expect(await readdir(join(dir, 'raw-bucket'))).toEqual(
        expect.arrayContaining(['raw', 'incoming']),
      );
      expect(await store.get('incoming/u1/file')).toEqual(new TextEncoder().encode('upload'));
      expect(store.description).toContain('raw-bucket');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
