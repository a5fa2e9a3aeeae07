/**
 * The object store: where every zone of Outturn's data lives. One interface, two
 * implementations — a local directory (the default) and S3 — tested with the same suite.
 *
 * Keys are `/`-separated paths such as `raw/ab12….csv`; the first segment is the zone.
 */

export const zones = {
  /** Every uploaded file, byte for byte, keyed by content hash; never overwritten or deleted. */
  raw: 'raw/',
  /** One receipt (JSON) per upload. */
  submissions: 'submissions/',
  /** Typed Parquet, one file per accepted return version. */
  staged: 'staged/',
  /** The marts: builds side by side, and a pointer to the one in force. */
  curated: 'curated/',
  /** Programmes, providers, contracts, profiles, users. */
  reference: 'reference/',
  /** One entry per action that changed state: who, when, what, from where. */
  audit: 'audit/',
  /** Contract managers' decisions on accepted returns: accepted or queried, with a message. */
  reviews: 'reviews/',
  /** Versions of returns confirmed, discarded or withdrawn (ADR 023): one record per step. */
  versions: 'versions/',
  /** One record per web sign-in, so a signed-out or expired session is refused by every server. */
  sessions: 'sessions/',
  /** Improvement plans' actions and quarterly review commentary (ADR 039): one record per change. */
  plans: 'plans/',
} as const;

export type Zone = keyof typeof zones;

export interface PutOptions {
  contentType?: string;
}

export interface PutFileOptions extends PutOptions {
  /**
   * The caller has no further use for the file, so the store may take it: a local store renames
   * it into place instead of copying (Parquet marts can be large), a remote one deletes it once
   * uploaded. Either way the file is gone afterwards.
   */
  move?: boolean;
}

export interface ObjectStore {
  /** Where the data lives, in words, for messages: `local directory /srv/outturn` or `s3://bucket/prefix`. */
  readonly description: string;

  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;

  /** Writes the object whole: a reader sees the old bytes or the new, never a part. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;

  /**
   * Writes the object only if there is none at the key yet; true when written. For raw/, whose
   * keys are content hashes, a lost race writes the same bytes, so nothing is ever changed.
   */
  putIfAbsent(key: string, body: Uint8Array | string, options?: PutOptions): Promise<boolean>;

  exists(key: string): Promise<boolean>;

  /**
   * Compare-and-swap: writes `body` only if the object still holds exactly `expected` (null:
   * only if there is no object), in one step no other writer, in this process or another, can
   * come between. True when written; false, changing nothing, when the object held something
   * else. For small pointers such as `curated/current.json` (ADR 027): S3 sends `If-Match` /
   * `If-None-Match`, a local store checks and renames under a lock file.
   */
  putIfUnchanged(
    key: string,
    expected: Uint8Array | string | null,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean>;

  /** Every key that starts with `prefix`, in code-unit order. */
  list(prefix: string): Promise<string[]>;

  delete(key: string): Promise<void>;

  /**
   * A path on this machine holding the object's bytes, for DuckDB to read. A local store gives
   * its own file; a remote one downloads into a cache folder. Only for keys that never change
   * once written (raw/, staged/, curated/builds/…).
   */
  localFile(key: string): Promise<string>;

  /** Uploads a file from this machine (DuckDB writes Parquet to local files). */
  putFile(key: string, path: string, options?: PutFileOptions): Promise<void>;

  /**
   * The object's address for tools that read the store themselves, such as Athena through the
   * symlink manifests: `s3://bucket/prefix/key`. Only stores such tools can reach have one.
   */
  uri?(key: string): string;
}

export class ObjectStoreError extends Error {
  constructor(
    message: string,
    readonly key: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ObjectStoreError';
  }
}

/** The error for an operation a store could not carry out: which, on what key, where, and why. */
export function storeFailure(
  action: string,
  key: string,
  store: string,
  cause: unknown,
): ObjectStoreError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ObjectStoreError(`Could not ${action} "${key}" in ${store}: ${reason}`, key, cause);
}

/** The error for asking a store for a file it does not hold (`localFile` has no null to return). */
export function noSuchObject(key: string, store: string): ObjectStoreError {
  return new ObjectStoreError(`There is no object "${key}" in ${store}`, key);
}

/** Keys must be relative, `/`-separated and free of `..`, so a key can never escape its store. */
export function checkKey(key: string): string {
  if (
    !key ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.split('/').some((s) => s === '..' || s === '.' || s === '')
  )
    throw new ObjectStoreError(`"${key}" is not a valid object key`, key);
  return key;
}

/**
 * A prefix for `list`: empty (everything), a key, or a key with a trailing `/`. It may end
 * part-way through a name (`submissions/plp-a/2025-0`), but it must not reach outside the store.
 */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  try {
    checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  } catch {
    throw new ObjectStoreError(`"${prefix}" is not a valid key prefix`, prefix);
  }
  return prefix;
}

/** Strings as UTF-8 bytes, as every store keeps them. */
export function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

/** Whether an object's bytes (null: no object) are exactly what a compare-and-swap expects. */
export function holdsExactly(
  current: Uint8Array | null,
  expected: Uint8Array | string | null,
): boolean {
  if (current === null || expected === null) return current === expected;
  const want = bytesOf(expected);
  return current.byteLength === want.byteLength && current.every((b, i) => b === want[i]);
}

export async function getText(store: ObjectStore, key: string): Promise<string | null> {
  const bytes = await store.get(key);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

export async function getJson<T = unknown>(store: ObjectStore, key: string): Promise<T | null> {
  const text = await getText(store, key);
  return text === null ? null : (JSON.parse(text) as T);
}

export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, JSON.stringify(value, null, 2) + '\n', { contentType: 'application/json' });
}
