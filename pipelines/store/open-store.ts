/**
 * Which object store this process uses, from its environment: S3 when a bucket is named, a local
 * directory otherwise. One place reads the settings, so the CLI, the server and the Lambda
 * handlers cannot disagree about where the data lives.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalStore } from './local-store.js';
import type { ObjectStore } from './object-store.js';
import { S3Store } from './s3-store.js';
import { ZonedStore } from './zoned-store.js';

export type Env = Record<string, string | undefined>;

export type StoreConfig =
  | { kind: 'local'; root: string }
  | {
      kind: 's3';
      bucket: string;
      /** The bucket for raw/ and incoming/ when they are kept apart, as in the AWS deployment (ADR 015). */
      rawBucket: string | undefined;
      prefix: string;
      region: string;
      endpoint: string | undefined;
      cacheDir: string;
    };

/** What an S3 bucket's store needs besides the bucket's name. */
export type S3Location = Pick<
  Extract<StoreConfig, { kind: 's3' }>,
  'prefix' | 'region' | 'endpoint' | 'cacheDir'
>;

/**
 * The settings `openStore` would use, without opening anything. Blank variables count as unset,
 * as a `.env` line like `OUTTURN_S3_BUCKET=` is meant to.
 *
 * @example storeConfig({ OUTTURN_S3_BUCKET: 'outturn-data' }) // { kind: 's3', bucket: 'outturn-data', region: 'eu-west-2', … }
 */
export function storeConfig(env: Env = process.env): StoreConfig {
  const setting = (name: string): string | undefined => env[name]?.trim() || undefined;
  const bucket = setting('OUTTURN_S3_BUCKET');
  if (bucket === undefined)
    return { kind: 'local', root: resolve(setting('OUTTURN_DATA_DIR') ?? './data') };
  return {
    kind: 's3',
    bucket,
    rawBucket: setting('OUTTURN_RAW_BUCKET'),
    prefix: setting('OUTTURN_S3_PREFIX') ?? '',
    region: setting('OUTTURN_S3_REGION') ?? 'eu-west-2',
    endpoint: setting('OUTTURN_S3_ENDPOINT'),
    cacheDir: resolve(setting('OUTTURN_CACHE_DIR') ?? join(tmpdir(), 'outturn-cache')),
  };
}

/**
 * The store this process should use. Credentials for S3 come from the SDK's default chain (the
 * environment, a profile, the Lambda's role), never from Outturn's own settings.
 *
 * @example const store = openStore(); await store.list('submissions/');
 */
export function openStore(env: Env = process.env): ObjectStore {
  const config = storeConfig(env);
  if (config.kind === 'local') return new LocalStore(config.root);
  const working = bucketStore(config, config.bucket);
  return config.rawBucket === undefined
    ? working
    : new ZonedStore({ raw: bucketStore(config, config.rawBucket), working });
}

/** The store of one S3 bucket. */
export function bucketStore(location: S3Location, bucket: string): S3Store {
  return new S3Store({
    bucket,
    prefix: location.prefix,
    region: location.region,
    endpoint: location.endpoint,
    // S3-compatible servers (s3rver, MinIO) seldom serve bucket subdomains.
    forcePathStyle: location.endpoint !== undefined,
    cacheDir: location.cacheDir,
  });
}

/**
 * Where the data lives and which settings said so, for messages such as "cannot reach the store".
 *
 * @example describeStoreConfig({}) // 'local directory /srv/outturn/data (OUTTURN_DATA_DIR, default ./data; set OUTTURN_S3_BUCKET to use S3)'
 */
export function describeStoreConfig(env: Env = process.env): string {
  const config = storeConfig(env);
  if (config.kind === 'local')
    return `local directory ${config.root} (OUTTURN_DATA_DIR, default ./data; set OUTTURN_S3_BUCKET to use S3)`;
  const prefix =
    config.prefix === '' || config.prefix.endsWith('/') ? config.prefix : `${config.prefix}/`;
  const where = config.endpoint ? `endpoint ${config.endpoint}` : `region ${config.region}`;
  const raw =
    config.rawBucket === undefined
      ? ''
      : `, raw/ and incoming/ in s3://${config.rawBucket}/${prefix}`;
  return `s3://${config.bucket}/${prefix}${raw} (${where}; from OUTTURN_S3_BUCKET, OUTTURN_RAW_BUCKET, OUTTURN_S3_PREFIX, OUTTURN_S3_REGION, OUTTURN_S3_ENDPOINT; downloads cached in ${config.cacheDir})`;
}
