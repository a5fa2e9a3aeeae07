import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { getText, ObjectStoreError } from '../../../pipelines/store/object-store.js';
import { describeObjectStore, invalidKeys } from './contract.js';

describeObjectStore('LocalStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-local-store-'));
  return {
    store: new LocalStore(join(dir, 'data')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('LocalStore on disk', () => {
  let dir: string;
  let root: string;
  let store: LocalStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outturn-local-store-'));
    root = join(dir, 'data');
    store = new LocalStore(root);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Every file under the root, temporary ones included, relative to it. */
  async function filesOnDisk(): Promise<string[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
      .sort();
  }

  it('creates its root on the first write, and reads nothing before then', async () => {
    expect(await store.get('raw/ab12.csv')).toBeNull();
    expect(await store.list('')).toEqual([]);
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.put('raw/ab12.csv', 'x');
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('keeps each key as the file of the same path under the root', async () => {
    await store.put('submissions/plp-a/r-1.json', '{}');
    expect(await readFile(join(root, 'submissions', 'plp-a', 'r-1.json'), 'utf8')).toBe('{}');
    expect(await store.localFile('submissions/plp-a/r-1.json')).toBe(
      join(root, 'submissions', 'plp-a', 'r-1.json'),
    );
  });

  it('leaves no temporary file behind after writes of every kind', async () => {
    const source = join(dir, 'upload.parquet');
    await writeFile(source, 'parquet');
    await Promise.all([
      store.put('curated/current.json', '1'),
      store.put('curated/current.json', '2'),
      store.putIfAbsent('raw/ab12.csv', 'a'),
      store.putIfAbsent('raw/ab12.csv', 'b'),
      store.putFile('staged/v1.parquet', source),
    ]);
    expect(await filesOnDisk()).toEqual([
      'curated/current.json',
      'raw/ab12.csv',
      'staged/v1.parquet',
    ]);
  });

  it('after a crash between writing and renaming, keeps the old object and never shows the half-written one', async () => {
    await store.put('curated/current.json', '{"build":"b1"}');
    // What a process killed mid-put leaves: a partial temporary file beside the object, and
    // another in a folder that has no object yet.
    await writeFile(join(root, 'curated', '.current.json.0123456789abcdef.tmp'), '{"build":"b');
    await mkdir(join(root, 'staged'), { recursive: true });
    await writeFile(join(root, 'staged', '.v1.parquet.fedcba9876543210.tmp'), 'PAR');

    expect(await getText(store, 'curated/current.json')).toBe('{"build":"b1"}');
    expect(await store.list('')).toEqual(['curated/current.json']);
    expect(await store.list('curated/.cur')).toEqual([]);
    expect(await store.list('staged/')).toEqual([]);
    expect(await store.exists('staged/v1.parquet')).toBe(false);

    // And the next put goes through regardless.
    await store.put('curated/current.json', '{"build":"b2"}');
    expect(await getText(store, 'curated/current.json')).toBe('{"build":"b2"}');
  });

  it('refuses keys shaped like its temporary files', async () => {
    const failure = store.put('curated/.current.json.0123456789abcdef.tmp', 'x');
    await expect(failure).rejects.toBeInstanceOf(ObjectStoreError);
    await expect(failure).rejects.toThrow(/temporary files/);
    await store.put('curated/.hidden.tmp', 'a key that merely looks a little like one');
    expect(await store.list('curated/')).toEqual(['curated/.hidden.tmp']);
  });

  it('never reads or writes outside its root, whatever the key', async () => {
    await writeFile(join(dir, 'secret.txt'), 'outside the store');
    for (const key of [
      ...invalidKeys,
      '../secret.txt',
      '../data/../secret.txt',
      'raw/../../secret.txt',
    ]) {
      await expect(store.get(key)).rejects.toBeInstanceOf(ObjectStoreError);
      await expect(store.put(key, 'overwritten')).rejects.toBeInstanceOf(ObjectStoreError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(ObjectStoreError);
    }
    expect(await readFile(join(dir, 'secret.txt'), 'utf8')).toBe('outside the store');
    expect((await readdir(dir)).sort()).toEqual(['secret.txt']);
  });

  it('moves a file into place with putFile and move, leaving no copy behind', async () => {
    const source = join(dir, 'build.parquet');
    await writeFile(source, 'parquet bytes');
    const { ino } = await stat(source);
    await store.putFile('curated/builds/b1/outturn.parquet', source, { move: true });
    expect((await stat(join(root, 'curated', 'builds', 'b1', 'outturn.parquet'))).ino).toBe(ino);
    await expect(stat(source)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('names the key and the directory when a write fails', async () => {
    await store.put('raw/ab12.csv', 'a file where a folder would have to be');
    const failure = store.put('raw/ab12.csv/nested', 'x');
    await expect(failure).rejects.toBeInstanceOf(ObjectStoreError);
    await expect(failure).rejects.toThrow(
      `Could not write "raw/ab12.csv/nested" in local directory ${root}`,
    );
    expect(await filesOnDisk()).toEqual(['raw/ab12.csv']);
  });
});
