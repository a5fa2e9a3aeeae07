import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultyStore, type StoreOperation } from './faulty-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { getText, ObjectStoreError } from '../../../pipelines/store/object-store.js';
import { describeObjectStore } from './contract.js';

async function localStore(): Promise<{ store: LocalStore; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-faulty-store-'));
  return { store: new LocalStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// With no faults chosen it must be a faithful stand-in, or fault tests would test the wrapper.
describeObjectStore('FaultyStore with no faults', async () => {
  const { store, cleanup } = await localStore();
  return { store: new FaultyStore(store, () => false), cleanup };
});

describe('FaultyStore', () => {
  let inner: LocalStore;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ store: inner, cleanup } = await localStore());
  });

  afterEach(() => cleanup());

  it('fails the chosen call before it reaches the store, and later calls go through', async () => {
    const seen: [StoreOperation, string, number][] = [];
    const store = new FaultyStore(inner, (op, key, callIndex) => {
      seen.push([op, key, callIndex]);
      return op === 'put' && callIndex === 1;
    });
    await store.put('curated/builds/b2/a.parquet', 'a');
    const failure = store.put('curated/builds/b2/b.parquet', 'b');
    await expect(failure).rejects.toBeInstanceOf(ObjectStoreError);
    await expect(failure).rejects.toMatchObject({
      key: 'curated/builds/b2/b.parquet',
      message: expect.stringMatching(/^injected fault/),
    });
    await store.put('curated/builds/b2/c.parquet', 'c');
    expect(await store.list('curated/')).toEqual([
      'curated/builds/b2/a.parquet',
      'curated/builds/b2/c.parquet',
    ]);
    expect(seen).toEqual([
      ['put', 'curated/builds/b2/a.parquet', 0],
      ['put', 'curated/builds/b2/b.parquet', 1],
      ['put', 'curated/builds/b2/c.parquet', 2],
      ['list', 'curated/', 0],
    ]);
  });

  it('can fail by key, whatever the operation', async () => {
    await inner.put('curated/current.json', '{"build":"b1"}');
    const store = new FaultyStore(inner, (_op, key) => key === 'curated/current.json');
    await expect(store.put('curated/current.json', '{"build":"b2"}')).rejects.toBeInstanceOf(
      ObjectStoreError,
    );
    await expect(store.get('curated/current.json')).rejects.toBeInstanceOf(ObjectStoreError);
    expect(await getText(inner, 'curated/current.json')).toBe('{"build":"b1"}');
    expect(store.description).toBe(`${inner.description} (with injected faults)`);
  });
});
