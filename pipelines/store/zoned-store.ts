/**
 * Two stores seen as one (ADR 015): keys under `raw/` and `incoming/` live in the raw store (in
 * AWS a versioned bucket the app never deletes from), every other key in the working store. The
 * pipeline keeps using one ObjectStore and never knows there are two buckets.
 */
import {
  checkKey,
  checkPrefix,
  type ObjectStore,
  type PutFileOptions,
  type PutOptions,
} from './object-store.js';

/** The key prefixes that belong to the raw store. */
export const RAW_ZONES: readonly string[] = ['raw/', 'incoming/'];

export class ZonedStore implements ObjectStore {
  readonly description: string;
  /** Present when both stores have addresses (two S3 buckets). */
  readonly uri?: (key: string) => string;

  /**
   * @example new ZonedStore({ raw: new S3Store({ bucket: 'outturn-raw', … }), working: new S3Store({ bucket: 'outturn-working', … }) })
   */
  constructor(readonly stores: { raw: ObjectStore; working: ObjectStore }) {
    this.description = `${stores.working.description} (raw/ and incoming/ in ${stores.raw.description})`;
    if (stores.raw.uri && stores.working.uri) this.uri = (key) => this.storeFor(key).uri!(key);
  }

  /** The store that holds a key. */
  storeFor(key: string): ObjectStore {
    checkKey(key);
    return RAW_ZONES.some((zone) => key.startsWith(zone)) ? this.stores.raw : this.stores.working;
  }

  async get(key: string): Promise<Uint8Array | null> {
    return await this.storeFor(key).get(key);
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void> {
    return await this.storeFor(key).put(key, body, options);
  }

  async putIfAbsent(
    key: string,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean> {
    return await this.storeFor(key).putIfAbsent(key, body, options);
  }

  async putIfUnchanged(
    key: string,
    expected: Uint8Array | string | null,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean> {
    return await this.storeFor(key).putIfUnchanged(key, expected, body, options);
  }

  async exists(key: string): Promise<boolean> {
    return await this.storeFor(key).exists(key);
  }

  /**
   * A prefix inside one zone asks only that zone's store. A shorter prefix (`''`, `r`, `in`)
   * may cover both, so both are asked: the raw store's keys in raw zones, the working store's
   * keys outside them (anything else in either would be unreachable by get, so it is not listed).
   */
  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const inRaw = (key: string) => RAW_ZONES.some((zone) => key.startsWith(zone));
    if (inRaw(prefix)) return this.stores.raw.list(prefix);
    const coversRaw = RAW_ZONES.some((zone) => zone.startsWith(prefix));
    if (!coversRaw) return this.stores.working.list(prefix);
    const [raw, working] = await Promise.all([
      this.stores.raw.list(prefix),
      this.stores.working.list(prefix),
    ]);
    return [...raw.filter(inRaw), ...working.filter((k) => !inRaw(k))].sort();
  }

  async delete(key: string): Promise<void> {
    return await this.storeFor(key).delete(key);
  }

  async localFile(key: string): Promise<string> {
    return await this.storeFor(key).localFile(key);
  }

  async putFile(key: string, path: string, options?: PutFileOptions): Promise<void> {
    return await this.storeFor(key).putFile(key, path, options);
  }
}
