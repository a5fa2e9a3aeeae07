/**
 * The stores and clients the functions use in AWS, made from their settings. Credentials come
 * from the Lambda's role through the SDK's default chain.
 */
import { bucketStore } from '../../pipelines/store/open-store.js';
import type { S3Store } from '../../pipelines/store/s3-store.js';
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
