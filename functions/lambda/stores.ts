/**
 * The stores and clients the functions use in AWS, made from their settings. Credentials come
 * from the Lambda's role through the SDK's default chain.
 */
import { join } from 'node:path';
import { bucketStore } from '../../pipelines/store/open-store.js';
import { S3Store } from '../../pipelines/store/s3-store.js';
import { ZonedStore } from '../../pipelines/store/zoned-store.js';
import type { CommonSettings } from './env.js';

function s3Store(settings: CommonSettings, bucket: string, prefix: string): S3Store {
  return bucketStore(
    { prefix, region: settings.region, endpoint: settings.endpoint, cacheDir: settings.cacheDir },
    bucket,
  );
}

/** The raw and working buckets as one store (ADR 015). */
export function dataStore(settings: CommonSettings): ZonedStore {
  return new ZonedStore({
    raw: s3Store(settings, settings.rawBucket, settings.prefix),
    working: s3Store(settings, settings.workingBucket, settings.prefix),
  });
}

/** The site bucket: the published dashboards live under `site/`. */
export function siteStore(settings: CommonSettings & { siteBucket: string }): S3Store {
  return s3Store(settings, settings.siteBucket, '');
}

/**
 * The working bucket as the published-reader role sees it (ADR 020): what the restricted engine
 * copies the published tables from. Its own download cache, so a file fetched under the
 * function's wider role is never served to it.
 */
export function publishedStore(
  settings: CommonSettings,
  credentials: NonNullable<ConstructorParameters<typeof S3Store>[0]['credentials']>,
): S3Store {
  return new S3Store({
    bucket: settings.workingBucket,
    prefix: settings.prefix,
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    cacheDir: join(settings.cacheDir, 'published-reader'),
    credentials,
  });
}
