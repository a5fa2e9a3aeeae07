/**
 * What every ObjectStore promises, as one suite that each implementation runs: the pipelines are
 * written against the interface, so a store that passes this can stand in for any other.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getJson,
  getText,
  ObjectStoreError,
  putJson,
  type ObjectStore,
} from '../../../pipelines/store/object-store.js';

export interface StoreUnderTest {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

/** Keys no store may accept: they would climb out of the store or name nothing. */
export const invalidKeys = ['../x', 'a/../../x', '/abs', 'a//b', '', 'a/', './a', 'a/./b', 'a\\b'];

const encoder = new TextEncoder();

/** Every byte value, NULs included, twice over. */
const allBytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);

export function describeObjectStore(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name} keeps the ObjectStore contract`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;
    let scratch: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      scratch = await mkdtemp(join(tmpdir(), 'outturn-store-contract-'));
    });

    afterEach(async () => {
      await cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    describe('get and put', () => {
      it('round-trips bytes exactly, NULs and all', async () => {
        await store.put('raw/all-bytes.bin', allBytes);
        expect(await store.get('raw/all-bytes.bin')).toEqual(allBytes);
      });

      it('stores strings as UTF-8, non-ASCII included', async () => {
        const text = 'Café – Wrexham, Ynys Môn, 東京, 😀\n';
        await store.put('reference/names.txt', text);
        expect(await store.get('reference/names.txt')).toEqual(encoder.encode(text));
        expect(await getText(store, 'reference/names.txt')).toBe(text);
      });

      it('round-trips an empty object', async () => {
        await store.put('raw/empty.csv', new Uint8Array());
        expect(await store.get('raw/empty.csv')).toEqual(new Uint8Array());
        expect(await store.exists('raw/empty.csv')).toBe(true);
      });

      it('gives null for a key never written, and for a folder of other keys', async () => {
        expect(await store.get('raw/never-written.csv')).toBeNull();
        await store.put('curated/builds/b1/outturn.parquet', 'x');
        expect(await store.get('curated/builds/b1')).toBeNull();
        expect(await store.get('curated/builds/b1/outturn.parquet/deeper')).toBeNull();
      });

      it('replaces the whole object on overwrite, shorter or longer', async () => {
        await store.put('curated/current.json', 'a much longer first version of the pointer');
        await store.put('curated/current.json', 'short');
        expect(await getText(store, 'curated/current.json')).toBe('short');
        await store.put('curated/current.json', allBytes);
        expect(await store.get('curated/current.json')).toEqual(allBytes);
      });

      it('round-trips JSON through the helpers', async () => {
        const receipt = { id: 'r-1', status: 'accepted', problems: [], note: 'Gŵyl' };
        await putJson(store, 'submissions/plp-a/2025-01/r-1.json', receipt);
        expect(await getJson(store, 'submissions/plp-a/2025-01/r-1.json')).toEqual(receipt);
        expect(await getJson(store, 'submissions/plp-a/2025-01/missing.json')).toBeNull();
      });

      it('leaves each of several concurrent writes to one key whole', async () => {
        const bodies = Array.from({ length: 8 }, (_, i) => String(i).repeat(10_000 + i));
        await Promise.all(bodies.map((body) => store.put('curated/current.json', body)));
        expect(bodies).toContain(await getText(store, 'curated/current.json'));
      });
    });

    describe('putIfAbsent', () => {
      it('writes when absent, then refuses and leaves the first bytes', async () => {
        expect(await store.putIfAbsent('raw/ab12.csv', 'first')).toBe(true);
        expect(await store.putIfAbsent('raw/ab12.csv', 'second')).toBe(false);
        expect(await getText(store, 'raw/ab12.csv')).toBe('first');
      });

      it('refuses over an object written by put', async () => {
        await store.put('submissions/r-1.json', '{}');
        expect(await store.putIfAbsent('submissions/r-1.json', '{"x":1}')).toBe(false);
        expect(await getText(store, 'submissions/r-1.json')).toBe('{}');
      });

      it('writes again once the object is deleted', async () => {
        await store.putIfAbsent('raw/cd34.csv', 'old');
        await store.delete('raw/cd34.csv');
        expect(await store.putIfAbsent('raw/cd34.csv', 'new')).toBe(true);
        expect(await getText(store, 'raw/cd34.csv')).toBe('new');
      });

      it('lets exactly one of many concurrent writers win, and keeps the winner’s bytes', async () => {
        const bodies = Array.from({ length: 10 }, (_, i) => `writer ${i} `.repeat(1000));
        const results = await Promise.all(
          bodies.map((body) => store.putIfAbsent('raw/ef56.csv', body)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await getText(store, 'raw/ef56.csv')).toBe(bodies[results.indexOf(true)]);
      });
    });

    describe('putIfUnchanged', () => {
      it('writes over the bytes it expects, and refuses when they have changed', async () => {
        await store.put('curated/current.json', 'build a');
        expect(await store.putIfUnchanged('curated/current.json', 'build a', 'build b')).toBe(true);
        expect(await store.putIfUnchanged('curated/current.json', 'build a', 'build c')).toBe(
          false,
        );
        expect(await getText(store, 'curated/current.json')).toBe('build b');
      });

      it('with null expected, writes only when there is no object', async () => {
        expect(await store.putIfUnchanged('curated/current.json', null, 'first')).toBe(true);
        expect(await store.putIfUnchanged('curated/current.json', null, 'second')).toBe(false);
        expect(await store.putIfUnchanged('curated/other.json', 'something', 'x')).toBe(false);
        expect(await getText(store, 'curated/current.json')).toBe('first');
        expect(await store.exists('curated/other.json')).toBe(false);
      });

      it('lets exactly one of many concurrent swaps from the same bytes win, leaving no lock behind', async () => {
        await store.put('curated/current.json', 'base');
        const bodies = Array.from({ length: 10 }, (_, i) => `swap ${i}`);
        const results = await Promise.all(
          bodies.map((body) => store.putIfUnchanged('curated/current.json', 'base', body)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await getText(store, 'curated/current.json')).toBe(bodies[results.indexOf(true)]);
        expect(await store.list('curated/')).toEqual(['curated/current.json']);
      });
    });

    describe('exists and delete', () => {
      it('reports presence, and absence after a delete', async () => {
        expect(await store.exists('staged/v1.parquet')).toBe(false);
        await store.put('staged/v1.parquet', allBytes);
        expect(await store.exists('staged/v1.parquet')).toBe(true);
        await store.delete('staged/v1.parquet');
        expect(await store.exists('staged/v1.parquet')).toBe(false);
        expect(await store.get('staged/v1.parquet')).toBeNull();
      });

      it('does not count a folder of other keys as an object', async () => {
        await store.put('curated/builds/b1/outturn.parquet', 'x');
        expect(await store.exists('curated/builds')).toBe(false);
        expect(await store.exists('curated/builds/b1')).toBe(false);
      });

      it('deletes a missing key without complaint', async () => {
        await store.delete('staged/never-written.parquet');
        await store.delete('no-such-zone/deep/key');
      });

      it('deletes only the key named', async () => {
        await store.put('staged/a.parquet', 'a');
        await store.put('staged/ab.parquet', 'ab');
        await store.delete('staged/a.parquet');
        expect(await store.list('staged/')).toEqual(['staged/ab.parquet']);
      });
    });

    describe('list', () => {
      const keys = [
        'submissions/plp-b/2025-01/r-9.json',
        'submissions/plp-a/2025-02/r-3.json',
        'submissions/plp-a/2025-01/r-2.json',
        'submissions/plp-a/2025-01/r-1.json',
        'submissions/plp-a/2024-12/r-0.json',
        'submissions/plp-ab/2025-01/r-5.json',
        'submissions/plp-a-x/2025-01/r-6.json',
        'submissions/plp-a.bak',
        'submissions/plp-é/2025-01/r-7.json',
        'submissions/plp-😀/2025-01/r-8.json',
        'submissions/plp-Ａ/r-10.json',
        'raw/ab12.csv',
        'reference/programmes.json',
      ];

      beforeEach(async () => {
        for (const key of keys) await store.put(key, key);
      });

      it('lists everything for the empty prefix, in code-unit order', async () => {
        expect(await store.list('')).toEqual([...keys].sort());
      });

      it('orders by code unit, not by UTF-8 byte: an emoji sorts before a fullwidth letter', async () => {
        const listed = await store.list('submissions/plp-');
        expect(listed.indexOf('submissions/plp-😀/2025-01/r-8.json')).toBeLessThan(
          listed.indexOf('submissions/plp-Ａ/r-10.json'),
        );
        for (let i = 1; i < listed.length; i++) expect(listed[i - 1]! < listed[i]!).toBe(true);
      });

      it('lists one folder, nested folders included, with or without the trailing slash meaning different things', async () => {
        expect(await store.list('submissions/plp-a/')).toEqual([
          'submissions/plp-a/2024-12/r-0.json',
          'submissions/plp-a/2025-01/r-1.json',
          'submissions/plp-a/2025-01/r-2.json',
          'submissions/plp-a/2025-02/r-3.json',
        ]);
        expect(await store.list('submissions/plp-a')).toEqual([
          'submissions/plp-a-x/2025-01/r-6.json',
          'submissions/plp-a.bak',
          'submissions/plp-a/2024-12/r-0.json',
          'submissions/plp-a/2025-01/r-1.json',
          'submissions/plp-a/2025-01/r-2.json',
          'submissions/plp-a/2025-02/r-3.json',
          'submissions/plp-ab/2025-01/r-5.json',
        ]);
      });

      it('matches a prefix that ends part-way through a name', async () => {
        expect(await store.list('submissions/plp-a/2025-0')).toEqual([
          'submissions/plp-a/2025-01/r-1.json',
          'submissions/plp-a/2025-01/r-2.json',
          'submissions/plp-a/2025-02/r-3.json',
        ]);
        expect(await store.list('submissions/plp-a/2025-01/r-')).toEqual([
          'submissions/plp-a/2025-01/r-1.json',
          'submissions/plp-a/2025-01/r-2.json',
        ]);
        expect(await store.list('raw/ab12.csv')).toEqual(['raw/ab12.csv']);
        expect(await store.list('submissions/plp-é')).toEqual([
          'submissions/plp-é/2025-01/r-7.json',
        ]);
      });

      it('gives an empty list where nothing matches', async () => {
        expect(await store.list('staged/')).toEqual([]);
        expect(await store.list('submissions/plp-z')).toEqual([]);
        expect(await store.list('submissions/plp-a/2026-01/')).toEqual([]);
        expect(await store.list('raw/ab12.csv/')).toEqual([]);
      });

      it('lists many keys written concurrently', async () => {
        const many = Array.from(
          { length: 150 },
          (_, i) => `staged/plp-a/v${String(149 - i).padStart(3, '0')}.parquet`,
        );
        await Promise.all(many.map((key) => store.put(key, key)));
        expect(await store.list('staged/plp-a/')).toEqual([...many].sort());
        const bodies = await Promise.all(many.slice(0, 20).map((key) => getText(store, key)));
        expect(bodies).toEqual(many.slice(0, 20));
      });
    });

    describe('localFile', () => {
      it('gives a path on this machine holding the object’s bytes', async () => {
        await store.put('staged/plp-a/v001.parquet', allBytes);
        const path = await store.localFile('staged/plp-a/v001.parquet');
        expect(new Uint8Array(await readFile(path))).toEqual(allBytes);
        expect(await store.localFile('staged/plp-a/v001.parquet')).toBe(path);
      });

      it('refuses a missing key with an error naming it', async () => {
        const failure = store.localFile('staged/plp-a/missing.parquet');
        await expect(failure).rejects.toBeInstanceOf(ObjectStoreError);
        await expect(failure).rejects.toMatchObject({ key: 'staged/plp-a/missing.parquet' });
      });
    });

    describe('putFile', () => {
      it('copies a file in and leaves the file where it was', async () => {
        const source = join(scratch, 'outturn.parquet');
        await writeFile(source, allBytes);
        await store.putFile('curated/builds/b1/outturn.parquet', source, {
          contentType: 'application/vnd.apache.parquet',
        });
        expect(await store.get('curated/builds/b1/outturn.parquet')).toEqual(allBytes);
        expect(new Uint8Array(await readFile(source))).toEqual(allBytes);
      });

      it('with move, takes the file: the object holds it and the file is gone', async () => {
        const source = join(scratch, 'outturn.parquet');
        await writeFile(source, allBytes);
        await store.put('curated/builds/b1/outturn.parquet', 'old');
        await store.putFile('curated/builds/b1/outturn.parquet', source, { move: true });
        expect(await store.get('curated/builds/b1/outturn.parquet')).toEqual(allBytes);
        await expect(stat(source)).rejects.toMatchObject({ code: 'ENOENT' });
      });

      it('uploads a file of a few megabytes intact', async () => {
        const source = join(scratch, 'big.parquet');
        const big = new Uint8Array(3 * 1024 * 1024 + 7);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) % 256;
        await writeFile(source, big);
        await store.putFile('curated/builds/b1/big.parquet', source);
        const stored = await store.get('curated/builds/b1/big.parquet');
        // Compared as Buffers: a deep equality over millions of elements takes seconds.
        expect(stored && Buffer.from(stored).equals(big)).toBe(true);
      });

      it('refuses a missing file with an error naming the key, and writes nothing', async () => {
        const failure = store.putFile(
          'curated/builds/b1/x.parquet',
          join(scratch, 'not-there.parquet'),
        );
        await expect(failure).rejects.toBeInstanceOf(ObjectStoreError);
        await expect(failure).rejects.toMatchObject({ key: 'curated/builds/b1/x.parquet' });
        expect(await store.exists('curated/builds/b1/x.parquet')).toBe(false);
      });
    });

    describe('keys', () => {
      it.each(invalidKeys)('refuses the key %j in every operation', async (key) => {
        const source = join(scratch, 'f');
        await writeFile(source, 'x');
        const calls: Promise<unknown>[] = [
          store.get(key),
          store.put(key, 'x'),
          store.putIfAbsent(key, 'x'),
          store.exists(key),
          store.delete(key),
          store.localFile(key),
          store.putFile(key, source),
        ];
        for (const call of calls) await expect(call).rejects.toBeInstanceOf(ObjectStoreError);
        expect(await store.list('')).toEqual([]);
      });

      it.each(['../', '../x', '/abs', 'a//', 'a//b', '.', './'])(
        'refuses the prefix %j',
        async (prefix) => {
          await expect(store.list(prefix)).rejects.toBeInstanceOf(ObjectStoreError);
        },
      );

      it('accepts keys with spaces, dots and punctuation inside names', async () => {
        const key = "reference/Provider & Co. (2025) v1.2 'final'.json";
        await store.put(key, '{}');
        expect(await store.list('reference/')).toEqual([key]);
        expect(await getText(store, key)).toBe('{}');
      });
    });
  });
}
