import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import {
  describeStoreConfig,
  openStore,
  storeConfig,
} from '../../../pipelines/store/open-store.js';
import { S3Store } from '../../../pipelines/store/s3-store.js';
import { ZonedStore } from '../../../pipelines/store/zoned-store.js';

describe('openStore', () => {
  it('opens ./data, resolved, when nothing is set', () => {
    const store = openStore({});
    expect(store).toBeInstanceOf(LocalStore);
    expect((store as LocalStore).root).toBe(resolve('data'));
    expect(store.description).toBe(`local directory ${resolve('data')}`);
  });

  it('opens OUTTURN_DATA_DIR when it is set', () => {
    const store = openStore({ OUTTURN_DATA_DIR: '/srv/outturn' });
    expect(store).toBeInstanceOf(LocalStore);
    expect(store.description).toBe('local directory /srv/outturn');
  });

  it('opens S3 when OUTTURN_S3_BUCKET is set, whatever OUTTURN_DATA_DIR says', () => {
    const store = openStore({
      OUTTURN_S3_BUCKET: 'outturn-data',
      OUTTURN_S3_PREFIX: 'prod',
      OUTTURN_DATA_DIR: '/srv/outturn',
    });
    expect(store).toBeInstanceOf(S3Store);
    expect(store.description).toBe('s3://outturn-data/prod/');
    (store as S3Store).destroy();
  });

  it('defaults the region to eu-west-2 and the cache to the temporary folder', async () => {
    expect(storeConfig({ OUTTURN_S3_BUCKET: 'outturn-data' })).toEqual({
      kind: 's3',
      bucket: 'outturn-data',
      prefix: '',
      region: 'eu-west-2',
      endpoint: undefined,
      cacheDir: join(tmpdir(), 'outturn-cache'),
    });
    const store = openStore({ OUTTURN_S3_BUCKET: 'outturn-data' }) as S3Store;
    expect(await store.client.config.region()).toBe('eu-west-2');
    expect(store.client.config.forcePathStyle).toBe(false);
    store.destroy();
  });

  it('uses the endpoint, path-style, the region and the cache folder it is given', async () => {
    const env = {
      OUTTURN_S3_BUCKET: 'outturn-data',
      OUTTURN_S3_REGION: 'eu-west-1',
      OUTTURN_S3_ENDPOINT: 'http://127.0.0.1:9000',
      OUTTURN_CACHE_DIR: 'cache',
    };
    expect(storeConfig(env)).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      cacheDir: resolve('cache'),
    });
    const store = openStore(env) as S3Store;
    expect(await store.client.config.region()).toBe('eu-west-1');
    expect(store.client.config.forcePathStyle).toBe(true);
    store.destroy();
  });

  it('treats a blank variable as unset', () => {
    expect(openStore({ OUTTURN_S3_BUCKET: '  ', OUTTURN_DATA_DIR: '' })).toBeInstanceOf(LocalStore);
  });

  it('refuses a prefix that would climb out of the bucket', () => {
    expect(() =>
      openStore({ OUTTURN_S3_BUCKET: 'outturn-data', OUTTURN_S3_PREFIX: '../other' }),
    ).toThrow(/not a valid key prefix/);
  });
});

describe('openStore with OUTTURN_RAW_BUCKET', () => {
  it('keeps raw/ and incoming/ in the raw bucket and the rest in the working bucket, as the AWS deployment does', () => {
    const store = openStore({
      OUTTURN_S3_BUCKET: 'outturn-working',
      OUTTURN_RAW_BUCKET: 'outturn-raw',
      OUTTURN_S3_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(store).toBeInstanceOf(ZonedStore);
    expect(store.description).toContain('outturn-raw');
    expect(store.description).toContain('outturn-working');
    expect(openStore({ OUTTURN_S3_BUCKET: 'outturn-working' })).toBeInstanceOf(S3Store);
  });
});

describe('describeStoreConfig', () => {
  it('says where the data lives and which setting to change', () => {
    expect(describeStoreConfig({ OUTTURN_DATA_DIR: '/srv/outturn' })).toBe(
      'local directory /srv/outturn (OUTTURN_DATA_DIR, default ./data; set OUTTURN_S3_BUCKET to use S3)',
    );
    expect(
      describeStoreConfig({
        OUTTURN_S3_BUCKET: 'outturn-data',
        OUTTURN_S3_PREFIX: 'prod',
        OUTTURN_CACHE_DIR: '/var/cache/outturn',
      }),
    ).toBe(
      's3://outturn-data/prod/ (region eu-west-2; from OUTTURN_S3_BUCKET, OUTTURN_RAW_BUCKET, OUTTURN_S3_PREFIX, OUTTURN_S3_REGION, OUTTURN_S3_ENDPOINT; downloads cached in /var/cache/outturn)',
    );
    expect(
      describeStoreConfig({
        OUTTURN_S3_BUCKET: 'outturn-working',
        OUTTURN_RAW_BUCKET: 'outturn-raw',
      }),
    ).toMatch(/^s3:\/\/outturn-working\/, raw\/ and incoming\/ in s3:\/\/outturn-raw\/ \(/);
    expect(
      describeStoreConfig({
        OUTTURN_S3_BUCKET: 'outturn-data',
        OUTTURN_S3_ENDPOINT: 'http://127.0.0.1:9000',
      }),
    ).toMatch(/^s3:\/\/outturn-data\/ \(endpoint http:\/\/127\.0\.0\.1:9000;/);
  });
});
