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
} as const;

export type Zone = keyof typeof zones;

export interface PutOptions {
  contentType?: string;
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
  putFile(key: string, path: string, options?: PutOptions): Promise<void>;
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

/** Keys must be relative, `/`-separated and free of `..`, so a key can never escape its store. */
export function checkKey(key: string): string {
  if (!key || key.startsWith('/') || key.includes('\\') || key.split('/').some((s) => s === '..' || s === '.' || s === ''))
    throw new ObjectStoreError(`"${key}" is not a valid object key`, key);
  return key;
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
