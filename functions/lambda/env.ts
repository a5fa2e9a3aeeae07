/**
 * The Lambda functions' settings, from their environment (ADR 015), checked once at a cold
 * start: a missing or malformed variable is an error naming it and what it should hold, rather
 * than a failure deep inside the first request.
 */
export type Env = Record<string, string | undefined>;

export type FunctionName = 'api' | 'ingest' | 'transform' | 'publish';

const descriptions: Record<string, string> = {
  OUTTURN_S3_BUCKET: 'the working bucket’s name',
  OUTTURN_RAW_BUCKET: 'the raw bucket’s name',
  OUTTURN_S3_REGION: 'the buckets’ AWS region, such as eu-west-2',
  OUTTURN_TRANSFORM_QUEUE_URL:
    'the transform FIFO queue’s URL (https://sqs.<region>.amazonaws.com/<account>/<name>.fifo)',
  OUTTURN_SITE_BUCKET: 'the site bucket’s name',
  OUTTURN_SESSION_SECRET_ARN: 'the ARN of the Secrets Manager secret that signs sessions',
  OUTTURN_SITE_KEY_SECRET_ARN:
    'the ARN of the Secrets Manager secret holding the CloudFront signing key',
  OUTTURN_ORIGIN_SECRET_ARN:
    'the ARN of the Secrets Manager secret CloudFront sends to the API, proving a request came through it',
  OUTTURN_WEB_CONFIG_PARAMETER:
    'the name of the SSM parameter holding the web config JSON, such as /outturn/<stack>/web-config',
  OUTTURN_ATHENA_WORKGROUP: 'the Athena workgroup’s name',
  OUTTURN_GLUE_DATABASE: 'the Glue database’s name',
  OUTTURN_PUBLISHED_READER_ROLE_ARN:
    'the ARN of the role that may read only the published tables (ADR 020), arn:aws:iam::<account>:role/<name>',
};

/** The variables each function must have, beyond the ones all share. */
const required: Record<FunctionName, readonly string[]> = {
  api: [
    'OUTTURN_TRANSFORM_QUEUE_URL',
    'OUTTURN_SESSION_SECRET_ARN',
    'OUTTURN_SITE_KEY_SECRET_ARN',
    'OUTTURN_ORIGIN_SECRET_ARN',
    'OUTTURN_WEB_CONFIG_PARAMETER',
    'OUTTURN_ATHENA_WORKGROUP',
    'OUTTURN_GLUE_DATABASE',
    'OUTTURN_PUBLISHED_READER_ROLE_ARN',
  ],
  ingest: ['OUTTURN_TRANSFORM_QUEUE_URL'],
  transform: [],
  publish: ['OUTTURN_SITE_BUCKET'],
};

const common = ['OUTTURN_S3_BUCKET', 'OUTTURN_RAW_BUCKET', 'OUTTURN_S3_REGION'] as const;

export interface CommonSettings {
  workingBucket: string;
  rawBucket: string;
  region: string;
  /** OUTTURN_S3_PREFIX: put before every key in both data buckets; `''` for none. */
  prefix: string;
  /** OUTTURN_S3_ENDPOINT: an S3-compatible server instead of AWS (tests, MinIO); undefined on AWS. */
  endpoint: string | undefined;
  cacheDir: string;
}

export interface ApiSettings extends CommonSettings {
  transformQueueUrl: string;
  sessionSecretArn: string;
  siteKeySecretArn: string;
  originSecretArn: string;
  webConfigParameter: string;
  athenaWorkgroup: string;
  glueDatabase: string;
  /** The role the restricted engine copies the published tables under (ADR 020). */
  publishedReaderRoleArn: string;
}
export interface IngestSettings extends CommonSettings {
  transformQueueUrl: string;
}
export interface PublishSettings extends CommonSettings {
  siteBucket: string;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

type SettingsOf<F extends FunctionName> = F extends 'api'
  ? ApiSettings
  : F extends 'ingest'
    ? IngestSettings
    : F extends 'publish'
      ? PublishSettings
      : CommonSettings;

/**
 * @throws SettingsError naming every missing or malformed variable at once.
 * @example readSettings('ingest', process.env).transformQueueUrl
 */
export function readSettings<F extends FunctionName>(fn: F, env: Env): SettingsOf<F> {
  const value = (name: string) => env[name]?.trim() || undefined;
  const problems: string[] = [];
  for (const name of [...common, ...required[fn]]) {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is not set: it should hold ${descriptions[name]}`);
  }
  for (const name of ['OUTTURN_S3_BUCKET', 'OUTTURN_RAW_BUCKET', 'OUTTURN_SITE_BUCKET']) {
    const v = value(name);
    if (v !== undefined && (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) || v.includes('..')))
      problems.push(`${name} is "${v}", which is not an S3 bucket name`);
  }
  const queue = value('OUTTURN_TRANSFORM_QUEUE_URL');
  if (
    queue !== undefined &&
    required[fn].includes('OUTTURN_TRANSFORM_QUEUE_URL') &&
    !/^https?:\/\/\S+\.fifo$/.test(queue)
  )
    problems.push(
      `OUTTURN_TRANSFORM_QUEUE_URL is "${queue}", which is not the URL of a FIFO queue (it should end in .fifo)`,
    );
  for (const name of [
    'OUTTURN_SESSION_SECRET_ARN',
    'OUTTURN_SITE_KEY_SECRET_ARN',
    'OUTTURN_ORIGIN_SECRET_ARN',
  ]) {
    const v = value(name);
    if (v !== undefined && required[fn].includes(name) && !v.startsWith('arn:'))
      problems.push(`${name} is "${v}", which is not an ARN (arn:aws:secretsmanager:…)`);
  }
  const reader = value('OUTTURN_PUBLISHED_READER_ROLE_ARN');
  if (reader !== undefined && fn === 'api' && !/^arn:aws[\w-]*:iam::\d{12}:role\//.test(reader))
    problems.push(
      `OUTTURN_PUBLISHED_READER_ROLE_ARN is "${reader}", which is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  const parameter = value('OUTTURN_WEB_CONFIG_PARAMETER');
  if (parameter !== undefined && fn === 'api' && !parameter.startsWith('/'))
    problems.push(
      `OUTTURN_WEB_CONFIG_PARAMETER is "${parameter}": an SSM parameter name such as /outturn/<stack>/web-config`,
    );
  if (problems.length)
    throw new SettingsError(
      `The ${fn} function cannot start; check its environment (ADR 015):\n  ${problems.join('\n  ')}`,
    );

  const settings: CommonSettings = {
    workingBucket: value('OUTTURN_S3_BUCKET')!,
    rawBucket: value('OUTTURN_RAW_BUCKET')!,
    region: value('OUTTURN_S3_REGION')!,
    prefix: value('OUTTURN_S3_PREFIX') ?? '',
    endpoint: value('OUTTURN_S3_ENDPOINT'),
    cacheDir: value('OUTTURN_CACHE_DIR') ?? '/tmp/outturn-cache',
  };
  switch (fn) {
    case 'api':
      return {
        ...settings,
        transformQueueUrl: queue!,
        sessionSecretArn: value('OUTTURN_SESSION_SECRET_ARN')!,
        siteKeySecretArn: value('OUTTURN_SITE_KEY_SECRET_ARN')!,
        originSecretArn: value('OUTTURN_ORIGIN_SECRET_ARN')!,
        webConfigParameter: parameter!,
        athenaWorkgroup: value('OUTTURN_ATHENA_WORKGROUP')!,
        glueDatabase: value('OUTTURN_GLUE_DATABASE')!,
        publishedReaderRoleArn: reader!,
      } as SettingsOf<F>;
    case 'ingest':
      return { ...settings, transformQueueUrl: queue! } as SettingsOf<F>;
    case 'publish':
      return { ...settings, siteBucket: value('OUTTURN_SITE_BUCKET')! } as SettingsOf<F>;
    default:
      return settings as SettingsOf<F>;
  }
}
