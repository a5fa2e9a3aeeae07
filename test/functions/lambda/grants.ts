/**
 * What each function may do to each bucket, as ADR 015's table says (and infra/ grants), and a
 * store that refuses anything else, as S3 would answer AccessDenied. The flow test runs each
 * handler over one, so code that needs more than its function is granted fails here rather
 * than in AWS. `needed` lists what the code needs beyond the ADR's table: each is a grant the
 * stack must add (see docs/decisions/017).
 *
 * Operations are judged as the S3 store performs them: `putIfAbsent` asks HeadObject first
 * (read) then puts; `list` needs ListBucket on the prefix (granted with read).
 */
import { ObjectStoreError, type ObjectStore, type PutFileOptions, type PutOptions } from '../../../pipelines/store/object-store.js';
import { RAW_ZONES } from '../../../pipelines/store/zoned-store.js';

export type Bucket = 'raw' | 'working' | 'site';
export type Access = 'read' | 'put' | 'delete' | 'list';
export type Grants = Partial<Record<Bucket, Partial<Record<Access, readonly string[]>>>>;

/** ADR 015's table. */
export const adr015: Record<'api' | 'ingest' | 'transform' | 'publish', Grants> = {
  api: {
    raw: { put: ['incoming/'] },
    working: { read: ['submissions/', 'staged/', 'curated/', 'reference/', 'reviews/', 'uploads/'], put: ['audit/', 'reviews/', 'reference/', 'uploads/'] },
  },
  ingest: {
    raw: { read: ['incoming/', 'raw/'], put: ['raw/'] },
    working: { read: ['reference/', 'submissions/'], put: ['submissions/', 'staged/', 'uploads/', 'audit/'] },
  },
  transform: { working: { read: ['reference/', 'submissions/', 'staged/', 'reviews/', 'curated/'], put: ['curated/'] } },
  publish: { working: { read: ['curated/', 'reference/'] }, site: { put: ['site/'], delete: ['site/'] } },
};

/** What the code needs beyond the table: putIfAbsent's existence check, and listing the site to remove stale pages. */
export const needed: Record<keyof typeof adr015, Grants> = {
  // audit(): every entry is written with putIfAbsent.
  api: { working: { read: ['audit/'] } },
  // The outcome is written with putIfAbsent and read back on a redelivery; audit() as above.
  ingest: { working: { read: ['uploads/', 'audit/'] } },
  transform: {},
  // uploadSite lists site/ to delete what is no longer published.
  publish: { site: { list: ['site/'] } },
};

function merge(a: Grants, b: Grants): Grants {
  const out: Grants = {};
  for (const bucket of ['raw', 'working', 'site'] as const) {
    const access: Partial<Record<Access, string[]>> = {};
    for (const kind of ['read', 'put', 'delete', 'list'] as const) {
      const prefixes = [...(a[bucket]?.[kind] ?? []), ...(b[bucket]?.[kind] ?? [])];
      if (prefixes.length) access[kind] = prefixes;
    }
    out[bucket] = access;
  }
  return out;
}

export function grantsFor(fn: keyof typeof adr015): Grants {
  return merge(adr015[fn], needed[fn]);
}

/** A store that refuses what `grants` do not allow. `bucketOf` says which bucket holds a key. */
export class GrantedStore implements ObjectStore {
  readonly description: string;
  /** Every refusal, for the test to show. */
  readonly refused: string[] = [];

  constructor(
    private readonly inner: ObjectStore,
    private readonly grants: Grants,
    private readonly bucketOf: (key: string) => Bucket,
    readonly who: string,
  ) {
    this.description = `${inner.description} (as the ${who} function)`;
  }

  private check(access: Access, key: string): void {
    const bucket = this.bucketOf(key);
    const allowed = (kind: Access) => (this.grants[bucket]?.[kind] ?? []).some((p) => key.startsWith(p));
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
export const dataBucketOf = (key: string): Bucket => (RAW_ZONES.some((z) => key.startsWith(z)) ? 'raw' : 'working');
