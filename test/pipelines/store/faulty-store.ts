/**
 * A store that fails when told to, for testing what a pipeline does when storage fails part-way
 * through (a build must leave the marts in force untouched). It fails before delegating, so a
 * failed write changes nothing, as a refused request to S3 would.
 */
import {
  ObjectStoreError,
  type ObjectStore,
  type PutFileOptions,
  type PutOptions,
} from '../../../pipelines/store/object-store.js';

export type StoreOperation =
  | 'get'
  | 'put'
  | 'putIfAbsent'
  | 'putIfUnchanged'
  | 'exists'
  | 'list'
  | 'delete'
  | 'localFile'
  | 'putFile';

/** Whether to fail this call; `callIndex` counts calls of the same operation from 0 (the third put is 2). */
export type FaultRule = (op: StoreOperation, key: string, callIndex: number) => boolean;

export class FaultyStore implements ObjectStore {
  readonly description: string;
  private readonly calls = new Map<StoreOperation, number>();

  /**
   * Wraps `inner`, failing the calls `shouldFail` picks (for `list`, `key` is the prefix).
   *
   * @example new FaultyStore(store, (op, key) => op === 'put' && key.startsWith('curated/'))
   */
  constructor(
    private readonly inner: ObjectStore,
    private readonly shouldFail: FaultRule,
  ) {
    this.description = `${inner.description} (with injected faults)`;
  }

  async get(key: string): Promise<Uint8Array | null> {
    this.enter('get', key);
    return this.inner.get(key);
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void> {
    this.enter('put', key);
    return this.inner.put(key, body, options);
  }

  async putIfAbsent(
    key: string,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean> {
    this.enter('putIfAbsent', key);
    return this.inner.putIfAbsent(key, body, options);
  }

  async putIfUnchanged(
    key: string,
    expected: Uint8Array | string | null,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean> {
    this.enter('putIfUnchanged', key);
    return this.inner.putIfUnchanged(key, expected, body, options);
  }

  async exists(key: string): Promise<boolean> {
    this.enter('exists', key);
    return this.inner.exists(key);
  }

  async list(prefix: string): Promise<string[]> {
    this.enter('list', prefix);
    return this.inner.list(prefix);
  }

  async delete(key: string): Promise<void> {
    this.enter('delete', key);
    return this.inner.delete(key);
  }

  async localFile(key: string): Promise<string> {
    this.enter('localFile', key);
    return this.inner.localFile(key);
  }

  async putFile(key: string, path: string, options?: PutFileOptions): Promise<void> {
    this.enter('putFile', key);
    return this.inner.putFile(key, path, options);
  }

  private enter(op: StoreOperation, key: string): void {
    const index = this.calls.get(op) ?? 0;
    this.calls.set(op, index + 1);
    if (this.shouldFail(op, key, index))
      throw new ObjectStoreError(
        `injected fault: ${op} "${key}" (call ${index}) in ${this.inner.description}`,
        key,
      );
  }
}
