/**
 * The S3 store against a real S3-protocol server (s3rver on loopback), not a mock: the same
 * contract as the local store, then what only S3 has — pages, prefixes, the download cache.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getText } from '../../../pipelines/store/object-store.js';
import { openStore } from '../../../pipelines/store/open-store.js';
import { S3Store, type S3StoreOptions } from '../../../pipelines/store/s3-store.js';
import { describeObjectStore } from './contract.js';
import { bucket, credentials, startS3rver, type RunningS3rver } from './s3rver-server.js';

let server: RunningS3rver;
let cacheRoot: string;
let stores: S3Store[] = [];
let prefixes = 0;

beforeAll(async () => {
  server = await startS3rver();
  cacheRoot = await mkdtemp(join(tmpdir(), 'outturn-s3-cache-'));
});

afterAll(async () => {
  await server.stop();
  await rm(cacheRoot, { recursive: true, force: true });
});

afterEach(() => {
  for (const store of stores) store.destroy();
  stores = [];
});

/** A store of its own in the shared bucket: a fresh prefix and cache folder unless told otherwise. */
function s3Store(options: Partial<S3StoreOptions> = {}): S3Store {
  prefixes += 1;
  const store = new S3Store({
    bucket,
    prefix: `test-${prefixes}/`,
    region: 'eu-west-2',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials,
    cacheDir: join(cacheRoot, `cache-${prefixes}`),
    ...options,
  });
  loopbackOnly(store.client);
  stores.push(store);
  return store;
}

/** Refuses any request not bound for 127.0.0.1, so nothing in these tests can reach AWS. */
function loopbackOnly(client: S3Client): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const { hostname } = (args as { request: { hostname?: string } }).request;
      if (hostname !== '127.0.0.1')
        throw new Error(`A test tried to reach ${hostname}; these tests stay on 127.0.0.1`);
      return next(args);
    },
    { step: 'finalizeRequest' },
  );
}

/** Counts the requests a store's client sends, by command, to show what went over the wire. */
function countRequests(store: S3Store): Map<string, number> {
  const counts = new Map<string, number>();
  store.client.middlewareStack.add(
    (next, context) => (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize' },
  );
  return counts;
}

describeObjectStore('S3Store on s3rver', async () => ({
  store: s3Store(),
  cleanup: async () => undefined,
}));

describe('S3Store on s3rver', () => {
  let raw: S3Client;

  beforeEach(() => {
    raw = new S3Client({
      region: 'eu-west-2',
      endpoint: server.bareEndpoint,
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    loopbackOnly(raw);
  });

  afterEach(() => raw.destroy());

  it('follows every page of a listing', async () => {
    const store = s3Store({ pageSize: 7 });
    // Fixed-width names in two folders: s3rver walks its folders in an order of its own, and
    // resumes a listing after the last key it sent, so names that are prefixes of one another
    // (`x`, `x-1`, `x/a`) could be skipped across pages by s3rver, though never by S3.
    const keys = Array.from(
      { length: 40 },
      (_, i) => `staged/${i < 20 ? 'plp-a' : 'plp-b'}/v${String(i).padStart(3, '0')}.parquet`,
    );
    await Promise.all(keys.map((key) => store.put(key, key)));
    const requests = countRequests(store);
    expect(await store.list('staged/')).toEqual(keys);
    expect(requests.get('ListObjectsV2Command')).toBe(6);
    expect(await store.list('staged/plp-b/')).toEqual(keys.slice(20));
  });

  it('keeps stores with different prefixes in one bucket apart', async () => {
    const a = s3Store({ prefix: 'tenant-a' });
    const b = s3Store({ prefix: 'tenant-b/' });
    const whole = s3Store({ prefix: '' });
    await a.put('raw/ab12.csv', 'from a');
    await b.put('raw/ab12.csv', 'from b');
    await b.put('raw/cd34.csv', 'only b');
    expect(a.description).toBe(`s3://${bucket}/tenant-a/`);
    expect(await getText(a, 'raw/ab12.csv')).toBe('from a');
    expect(await getText(b, 'raw/ab12.csv')).toBe('from b');
    expect(await a.list('')).toEqual(['raw/ab12.csv']);
    expect(await b.list('raw/')).toEqual(['raw/ab12.csv', 'raw/cd34.csv']);
    expect(await a.exists('raw/cd34.csv')).toBe(false);
    expect(await a.putIfAbsent('raw/cd34.csv', 'a too')).toBe(true);
    await a.delete('raw/ab12.csv');
    expect(await getText(b, 'raw/ab12.csv')).toBe('from b');
    expect(await whole.list('tenant-')).toEqual([
      'tenant-a/raw/cd34.csv',
      'tenant-b/raw/ab12.csv',
      'tenant-b/raw/cd34.csv',
    ]);
  });

  it('downloads a file for localFile once, into the cache folder, and reuses it', async () => {
    const cacheDir = join(cacheRoot, 'localfile-cache');
    const store = s3Store({ prefix: 'cached', cacheDir });
    await store.put('staged/plp-a/v001.parquet', 'parquet bytes');
    const requests = countRequests(store);
    const [first, second] = await Promise.all([
      store.localFile('staged/plp-a/v001.parquet'),
      store.localFile('staged/plp-a/v001.parquet'),
    ]);
    const third = await store.localFile('staged/plp-a/v001.parquet');
    expect(first).toBe(join(cacheDir, bucket, 'cached', 'staged', 'plp-a', 'v001.parquet'));
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(requests.get('GetObjectCommand')).toBe(1);
    expect(await readdir(join(cacheDir, bucket, 'cached', 'staged', 'plp-a'))).toEqual([
      'v001.parquet',
    ]);
  });

  it('stores the content type it is given', async () => {
    const store = s3Store({ prefix: 'typed' });
    await store.put('reference/programmes.json', '[]', { contentType: 'application/json' });
    const head = await raw.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'typed/reference/programmes.json' }),
    );
    expect(head.ContentType).toBe('application/json');
  });

  it('needs its own check because s3rver ignores If-None-Match, which AWS honours', async () => {
    // If this starts failing, s3rver has learnt conditional writes and the check is only a saving.
    await raw.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'quirk/k', Body: 'first', IfNoneMatch: '*' }),
    );
    await raw.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'quirk/k', Body: 'second', IfNoneMatch: '*' }),
    );
    const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'quirk/k' }));
    expect(await object.Body?.transformToString()).toBe('second');
  });

  it('on a server that honours If-None-Match, gives false to a writer that loses the race after its check', async () => {
    const store = s3Store({ prefix: 'race', endpoint: server.conditionalEndpoint });
    // Another process writes the key just after this store has seen it absent.
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } finally {
          if (context.commandName === 'HeadObjectCommand')
            await raw.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: 'race/raw/ab12.csv',
                Body: 'the other process',
              }),
            );
        }
      },
      { step: 'initialize' },
    );
    expect(await store.putIfAbsent('raw/ab12.csv', 'this process')).toBe(false);
    expect(await getText(store, 'raw/ab12.csv')).toBe('the other process');
  });

  it('on a server that honours If-Match, refuses a swap when another writer comes between its read and its write', async () => {
    const store = s3Store({ prefix: 'swap', endpoint: server.conditionalEndpoint });
    await store.put('curated/current.json', 'base');
    // Another process switches the pointer just after this store has read it.
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } finally {
          if (context.commandName === 'GetObjectCommand')
            await raw.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: 'swap/curated/current.json',
                Body: 'the other build',
              }),
            );
        }
      },
      { step: 'initialize' },
    );
    expect(await store.putIfUnchanged('curated/current.json', 'base', 'this build')).toBe(false);
    expect(await getText(s3Store({ prefix: 'swap' }), 'curated/current.json')).toBe(
      'the other build',
    );
  });

  it('is what openStore opens when OUTTURN_S3_BUCKET is set, and it works end to end', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    try {
      const store = openStore({
        OUTTURN_S3_BUCKET: bucket,
        OUTTURN_S3_PREFIX: 'from-env',
        OUTTURN_S3_ENDPOINT: server.endpoint,
        OUTTURN_CACHE_DIR: join(cacheRoot, 'from-env'),
      });
      expect(store).toBeInstanceOf(S3Store);
      loopbackOnly((store as S3Store).client);
      stores.push(store as S3Store);
      await store.put('reference/programmes.json', '[]');
      expect(await store.list('')).toEqual(['reference/programmes.json']);
      expect(await getText(s3Store({ prefix: 'from-env' }), 'reference/programmes.json')).toBe(
        '[]',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
