/** The functions' settings: each names what is missing or wrong, all at once, before any work. */
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError, type Env } from '../../../functions/lambda/env.js';

const common: Env = {
  OUTTURN_S3_BUCKET: 'outturn-working',
  OUTTURN_RAW_BUCKET: 'outturn-raw',
  OUTTURN_S3_REGION: 'eu-west-2',
  OUTTURN_CACHE_DIR: '/tmp/outturn-cache',
};
const queue = 'https://sqs.eu-west-2.amazonaws.com/123456789012/outturn-transform.fifo';
const api: Env = {
  ...common,
  OUTTURN_TRANSFORM_QUEUE_URL: queue,
  OUTTURN_SESSION_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:session',
  OUTTURN_SITE_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:site-key',
  OUTTURN_ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:origin',
  OUTTURN_WEB_CONFIG_PARAMETER: '/outturn/prod/web-config',
  OUTTURN_ATHENA_WORKGROUP: 'outturn',
  OUTTURN_GLUE_DATABASE: 'outturn_marts',
  OUTTURN_PUBLISHED_READER_ROLE_ARN: 'arn:aws:iam::123456789012:role/outturn-published-reader',
};

function problem(fn: Parameters<typeof readSettings>[0], env: Env): string {
  try {
    readSettings(fn, env);
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return (e as Error).message;
  }
  throw new Error('readSettings did not refuse');
}

describe('readSettings', () => {
  it('reads each function’s settings from an environment like the stack’s', () => {
    expect(readSettings('transform', common)).toEqual({
      workingBucket: 'outturn-working',
      rawBucket: 'outturn-raw',
      region: 'eu-west-2',
      prefix: '',
      endpoint: undefined,
      cacheDir: '/tmp/outturn-cache',
    });
    expect(
      readSettings('ingest', { ...common, OUTTURN_TRANSFORM_QUEUE_URL: queue }).transformQueueUrl,
    ).toBe(queue);
    expect(
      readSettings('publish', { ...common, OUTTURN_SITE_BUCKET: 'outturn-site' }).siteBucket,
    ).toBe('outturn-site');
    expect(readSettings('api', api)).toMatchObject({
      webConfigParameter: '/outturn/prod/web-config',
      athenaWorkgroup: 'outturn',
      glueDatabase: 'outturn_marts',
      transformQueueUrl: queue,
      originSecretArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:origin',
      publishedReaderRoleArn: 'arn:aws:iam::123456789012:role/outturn-published-reader',
    });
    expect(
      problem('api', { ...api, OUTTURN_PUBLISHED_READER_ROLE_ARN: 'outturn-published-reader' }),
    ).toMatch(
      /OUTTURN_PUBLISHED_READER_ROLE_ARN is "outturn-published-reader", which is not an IAM role ARN/,
    );
    // The cache folder defaults to Lambda's writable /tmp.
    expect(readSettings('transform', { ...common, OUTTURN_CACHE_DIR: undefined }).cacheDir).toBe(
      '/tmp/outturn-cache',
    );
  });

  it('names the missing variable and what it should hold', () => {
    expect(problem('ingest', common)).toMatch(
      /The ingest function cannot start[\s\S]*OUTTURN_TRANSFORM_QUEUE_URL is not set: it should hold the transform FIFO queue’s URL/,
    );
    expect(problem('publish', common)).toMatch(
      /OUTTURN_SITE_BUCKET is not set: it should hold the site bucket’s name/,
    );
    expect(problem('transform', { ...common, OUTTURN_RAW_BUCKET: '  ' })).toMatch(
      /OUTTURN_RAW_BUCKET is not set/,
    );
  });

  it('lists every problem at once', () => {
    const message = problem('api', {});
    for (const name of Object.keys(api).filter((k) => k !== 'OUTTURN_CACHE_DIR'))
      expect(message).toContain(`${name} is not set`);
  });

  it('refuses malformed values, saying what they should be', () => {
    expect(problem('transform', { ...common, OUTTURN_S3_BUCKET: 'Outturn_Working' })).toContain(
      'OUTTURN_S3_BUCKET is "Outturn_Working", which is not an S3 bucket name',
    );
    expect(
      problem('ingest', {
        ...common,
        OUTTURN_TRANSFORM_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/1/outturn-transform',
      }),
    ).toContain('not the URL of a FIFO queue');
    expect(problem('api', { ...api, OUTTURN_SESSION_SECRET_ARN: 'session-secret' })).toContain(
      'OUTTURN_SESSION_SECRET_ARN is "session-secret", which is not an ARN',
    );
    expect(problem('api', { ...api, OUTTURN_ORIGIN_SECRET_ARN: 'origin' })).toContain(
      'OUTTURN_ORIGIN_SECRET_ARN is "origin", which is not an ARN',
    );
    expect(problem('api', { ...api, OUTTURN_WEB_CONFIG_PARAMETER: 'web-config' })).toContain(
      'an SSM parameter name such as /outturn/<stack>/web-config',
    );
  });

  it('does not ask a function for what it does not use', () => {
    expect(() => readSettings('transform', common)).not.toThrow();
    expect(() =>
      readSettings('ingest', { ...common, OUTTURN_TRANSFORM_QUEUE_URL: queue }),
    ).not.toThrow();
  });
});
