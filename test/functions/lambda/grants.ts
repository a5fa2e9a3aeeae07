/**
 * What each function may do to each bucket, as the stack grants it (infra/access.ts), and a
 * store that refuses anything else, as S3 would answer AccessDenied. The flow test runs each
 * handler over one, so code that needs more than its function is granted fails here rather
 * than in AWS.
 *
 * Operations are judged as the S3 store performs them: `putIfAbsent` asks HeadObject first
 * (read) then puts; `list` needs ListBucket on the prefix (granted with read).
 */
import {
  ObjectStoreError,
  type ObjectStore,
  type PutFileOptions,
  type PutOptions,
} from '../../../pipelines/store/object-store.js';
import { RAW_ZONES } from '../../../pipelines/store/zoned-store.js';
import { S3_GRANTS } from '../../../infra/access.js';

export type Bucket = 'raw' | 'working' | 'site';
export type Access = 'read' | 'put' | 'delete' | 'list';
export type Grants = Partial<Record<Bucket, Partial<Record<Access, readonly string[]>>>>;

/**
 * A function's grants as the stack gives them: `S3_GRANTS` in infra/access.ts, from which the
 * IAM policies are generated, so the flow test runs each handler within what AWS would allow.
 */
export function grantsFor(fn: keyof typeof S3_GRANTS): Grants {
  const out: Grants = {};
  for (const { bucket, access, prefixes } of S3_GRANTS[fn]) {
    const kinds = (out[bucket] ??= {});
    kinds[access] = [...(kinds[access] ?? []), ...prefixes];
  }
  return out;
}

/** A store that refuses what `grants` do not allow. `bucketOf` says which bucket holds a key. */
export class GrantedStore implements ObjectStore {
  readonly description: string;
  /** Every refusal, for the test to show. */
  readonly refused: string[] = [];
  /** The inner store's address: naming an object needs no access to it. */
  readonly uri?: (key: string) => string;

  constructor(
    private readonly inner: ObjectStore,
    private readonly grants: Grants,
    private readonly bucketOf: (key: string) => Bucket,
    readonly who: string,
  ) {
    this.description = `${inner.description} (as the ${who} function)`;
    if (inner.uri) this.uri = (key) => inner.uri!(key);
  }

  private check(access: Access, key: string): void {
    const bucket = this.bucketOf(key);
    const allowed = (kind: Access) =>
      (this.grants[bucket]?.[kind] ?? []).some((p) => key.startsWith(p));
    // ListBucket comes with read.
    if (allowed(access) || (access === 'list' && allowed('read'))) return;
    const what = `${this.who} may not ${access} ${bucket}:${key}`;
    this.refused.push(what);
    throw new ObjectStoreError(`AccessDenied: ${what}`, key);
  }

  async get(key: string) {
    this.check('read', key);
    return this.inner.get(key);
  }
  async put(key: string, body: Uint8Array | string, options?: PutOptions) {
    this.check('put', key);
    return this.inner.put(key, body, options);
  }
  async putIfAbsent(key: string, body: Uint8Array | string, options?: PutOptions) {
    this.check('read', key);
    this.check('put', key);
    return this.inner.putIfAbsent(key, body, options);
  }
  async putIfUnchanged(
    key: string,
    expected: Uint8Array | string | null,
    body: Uint8Array | string,
    options?: PutOptions,
  ) {
    this.check('read', key);
    this.check('put', key);
    return this.inner.putIfUnchanged(key, expected, body, options);
  }
  async exists(key: string) {
    this.check('read', key);
    return this.inner.exists(key);
  }
  async list(prefix: string) {
    this.check('list', prefix);
    return this.inner.list(prefix);
  }
  async delete(key: string) {
    this.check('delete', key);
    return this.inner.delete(key);
  }
  async localFile(key: string) {
    this.check('read', key);
    return this.inner.localFile(key);
  }
  async putFile(key: string, path: string, options?: PutFileOptions) {
    this.check('put', key);
    return this.inner.putFile(key, path, options);
  }
}

/** The raw or working bucket, as the zoned store decides. */
export const dataBucketOf = (key: string): Bucket =>
  RAW_ZONES.some((z) => key.startsWith(z)) ? 'raw' : 'working';
