import { describe, expect, it } from 'vitest';
import {
  loadReference,
  putReference,
  referenceKey,
} from '../../../pipelines/ingest/reference-store.js';
import { ReferenceDataError } from '../../../pipelines/reference/load.js';
import { FaultyStore } from '../store/faulty-store.js';
import { testReference } from '../../fixtures/reference.js';
import { snapshot, tempStore } from './helpers.js';

describe('reference data in the store', () => {
  it('reads back what was put, one file per kind', async () => {
    const store = await tempStore();
    await putReference(store, testReference());
    expect(await store.list('reference/')).toEqual(
      ['contracts', 'profiles', 'programmes', 'providers', 'users'].map(
        (k) => `reference/${k}.json`,
      ),
    );
    expect(await loadReference(store)).toEqual(testReference());
  });

  it('is not rewritten when it has not changed', async () => {
    const store = await tempStore();
    await putReference(store, testReference());
    const before = await snapshot(store);
    // Any write now would fail: putting the same data again must not write.
    await putReference(new FaultyStore(store, (op) => op === 'put'), testReference());
    expect(await snapshot(store)).toEqual(before);
  });

  it('names the file and the path of a bad value', async () => {
    const store = await tempStore();
    await putReference(store, testReference());
    const contracts = JSON.parse(
      Buffer.from((await store.get(referenceKey('contracts')))!).toString('utf8'),
    );
    contracts[1].provider_id = 'nobody';
    await store.put(referenceKey('contracts'), JSON.stringify(contracts));
    const error = await loadReference(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReferenceDataError);
    expect((error as ReferenceDataError).problems).toEqual([
      {
        file: 'contracts.json',
        path: '[1].provider_id',
        message: 'No provider has the id "nobody"',
      },
    ]);
  });

  it('names a missing or unreadable file', async () => {
    const store = await tempStore();
    await putReference(store, testReference());
    await store.delete(referenceKey('users'));
    await store.put(referenceKey('profiles'), '[{');
    const error = (await loadReference(store).catch((e: unknown) => e)) as ReferenceDataError;
    expect(error.problems.map((p) => p.file)).toEqual(['profiles.json', 'users.json']);
    expect(error.message).toMatch(/users\.json: \(whole file\): The file is missing/);
    expect(error.message).toMatch(/profiles\.json: \(whole file\): This is not valid JSON/);
  });

  it('is checked before anything is written', async () => {
    const store = await tempStore();
    const bad = testReference();
    bad.users.push({ id: 'x', name: 'X', role: 'provider', provider_id: 'nobody' });
    await expect(putReference(store, bad)).rejects.toBeInstanceOf(ReferenceDataError);
    expect(await store.list('')).toEqual([]);
  });
});
