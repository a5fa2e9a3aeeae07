/**
 * The API function (ADR 015): API Gateway HTTP API (payload v2) behind CloudFront, serving the
 * same Hono app as locally (functions/web/app.ts) over the zoned S3 store, with uploads queued
 * for the ingest function. What it is built from is read once per cold start: the settings from
 * the environment; from Secrets Manager the session secret, the CloudFront key and the origin
 * secret (which proves a request came through CloudFront: ./client-address.ts); the web config
 * (Cognito, the public URL) from SSM.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { notifyJob } from '../../pipelines/notify/job.js';
import { sesMailer } from '../../pipelines/notify/mailer.js';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { z } from 'zod';
import type { AthenaSender } from '../../pipelines/analytics/athena.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { createApp } from '../web/app.js';
import type { CognitoSettings } from '../web/auth/cognito.js';
import type { AppDeps } from '../web/deps.js';
import { queuedIntake } from '../web/queued-intake.js';
import { apiGatewayClientAddress } from './client-address.js';
import { readSettings, SettingsError, type ApiSettings } from './env.js';
import { createLogger } from './log.js';
import { once } from './once.js';
import { transformQueue, type SqsSender } from './sqs.js';
import { assumedRole, type StsSender } from './assumed-role.js';
import { dataStore, publishedStore } from './stores.js';

/** The SSM parameter's JSON, written by the stack once the distribution and user pool exist. */
export const webConfigSchema = z.looseObject({
  publicUrl: z.url(),
  userPoolId: z.string().min(1),
  userPoolClientId: z.string().min(1),
  cognitoDomain: z.string().min(1),
  siteKeyPairId: z.string().min(1),
});
export type WebConfig = z.infer<typeof webConfigSchema>;

/** The clients the API's cold start uses; tests pass recorders (there is no local Secrets Manager, SSM or SQS). */
export interface ApiClients {
  secrets: Pick<SecretsManagerClient, 'send'>;
  ssm: Pick<SSMClient, 'send'>;
  sqs: SqsSender;
  /** Signs upload URLs for the raw bucket. Default: a client for the settings' region. */
  presign?: S3Client;
  /** Default: the zoned store over the raw and working buckets. */
  store?: ObjectStore;
  /** Default: an Athena client for the function's region and role. */
  athena?: AthenaSender;
  /** Assumes the published-reader role. Default: an STS client for the settings' region. */
  sts?: StsSender;
  /** Default: the working bucket read under the published-reader role. */
  publishedSource?: ObjectStore;
}

export interface ApiSetup {
  deps: AppDeps;
  webConfig: WebConfig;
}

/**
 * A client that presigns PUTs a browser or script can use as they are. Since SDK 3.729 a
 * presigned PutObject carries a CRC32 checksum of an empty body unless checksums are only
 * calculated when required, and S3 would then refuse every real upload. Credentials default to
 * the SDK's chain (the Lambda's role).
 */
export function presignClient(
  settings: Pick<ApiSettings, 'region' | 'endpoint'>,
  credentials?: S3ClientConfig['credentials'],
): S3Client {
  return new S3Client({
    region: settings.region,
    credentials,
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A secret's string value, or a SettingsError naming the variable that pointed at it. */
async function secretText(
  secrets: ApiClients['secrets'],
  arn: string,
  variable: string,
  use: string,
): Promise<string> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!secret.SecretString)
    throw new SettingsError(`The secret ${arn} (${variable}) has no string value ${use}.`);
  return secret.SecretString;
}

/** The web config's JSON, checked. */
async function webConfigOf(ssm: ApiClients['ssm'], name: string): Promise<WebConfig> {
  const parameter = await ssm.send(new GetParameterCommand({ Name: name }));
  const text = parameter.Parameter?.Value;
  if (!text)
    throw new SettingsError(
      `The SSM parameter ${name} (OUTTURN_WEB_CONFIG_PARAMETER) has no value.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SettingsError(`The SSM parameter ${name} is not JSON.`);
  }
  const parsed = webConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SettingsError(
      `The SSM parameter ${name} is not the web config: ${issue.path.join('.') || '(whole value)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Sign-in with the stack's user pool, and CloudFront cookies for /site/ signed with its key. */
export function cognitoSettings(webConfig: WebConfig, sitePrivateKeyPem: string): CognitoSettings {
  const domain = /^https:\/\//.test(webConfig.cognitoDomain)
    ? webConfig.cognitoDomain
    : `https://${webConfig.cognitoDomain}`;
  return {
    userPoolId: webConfig.userPoolId,
    clientId: webConfig.userPoolClientId,
    domain: new URL(domain).origin,
    publicUrl: new URL(webConfig.publicUrl).origin,
    siteCookies: { keyPairId: webConfig.siteKeyPairId, privateKeyPem: sitePrivateKeyPem },
  };
}

/** Reads the secrets and the web config, and builds the app's dependencies: S3, queued uploads, Cognito, Athena. */
export async function loadApiSetup(settings: ApiSettings, clients: ApiClients): Promise<ApiSetup> {
  const [sessionSecret, siteKey, originSecret, webConfig] = await Promise.all([
    secretText(
      clients.secrets,
      settings.sessionSecretArn,
      'OUTTURN_SESSION_SECRET_ARN',
      'to sign sessions with',
    ),
    secretText(
      clients.secrets,
      settings.siteKeySecretArn,
      'OUTTURN_SITE_KEY_SECRET_ARN',
      'to sign the site cookies with',
    ),
    secretText(
      clients.secrets,
      settings.originSecretArn,
      'OUTTURN_ORIGIN_SECRET_ARN',
      'to recognise requests that came through CloudFront',
    ),
    webConfigOf(clients.ssm, settings.webConfigParameter),
  ]);
  const store = clients.store ?? dataStore(settings);
  const intake = queuedIntake({
    requests: transformQueue(clients.sqs, settings.transformQueueUrl),
    uploads: {
      client: clients.presign ?? presignClient(settings),
      bucket: settings.rawBucket,
      prefix: settings.prefix,
    },
  });
  const athena = {
    workgroup: settings.athenaWorkgroup,
    database: settings.glueDatabase,
    ...(clients.athena ? { client: clients.athena } : {}),
  };
  // The restricted engine copies the published tables under a role that can read nothing else.
  const publishedSource =
    clients.publishedSource ??
    publishedStore(
      settings,
      assumedRole(settings.publishedReaderRoleArn, {
        region: settings.region,
        ...(clients.sts ? { sts: clients.sts } : {}),
      }),
    );
  return {
    deps: {
      store,
      sessionSecret,
      intake,
      cognito: cognitoSettings(webConfig, siteKey),
      athena,
      clientAddress: apiGatewayClientAddress(originSecret),
      publishedSource,
      // SES from the identity the stack was given (context sesIdentity, mailFrom); none: no email.
      mailer: process.env['OUTTURN_SES_FROM']
        ? sesMailer(new SESv2Client({ region: settings.region }), process.env['OUTTURN_SES_FROM'])
        : null,
    },
    webConfig,
  };
}

/** API Gateway HTTP API, payload format 2.0, in and out. */
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The Lambda handler for an app built from `deps`. */
export function createApiHandler(deps: AppDeps): ApiHandler {
  // Hono's own event type says `body: string | null` where API Gateway's says `string | undefined`; both are handled.
  return handle(createApp(deps)) as unknown as ApiHandler;
}

const cold = once(async () => {
  const settings = readSettings('api', process.env);
  const { deps, webConfig } = await loadApiSetup(settings, {
    secrets: new SecretsManagerClient({ region: settings.region }),
    ssm: new SSMClient({ region: settings.region }),
    sqs: new SQSClient({ region: settings.region }),
  });
  createLogger('api', undefined).info('Started', {
    public_url: webConfig.publicUrl,
    store: deps.store.description,
  });
  return createApiHandler(deps);
});

/** The EventBridge schedule's event (infra/stack.ts): send the day's notices (ADR 025). */
export interface NotifyEvent {
  outturn: 'notify';
  /** EventBridge's own: when the schedule fired. */
  time?: string;
}

const scheduled = once(async () => {
  const settings = readSettings('api', process.env);
  const from = process.env['OUTTURN_SES_FROM'];
  return {
    store: dataStore(settings),
    mailer: from ? sesMailer(new SESv2Client({ region: settings.region }), from) : null,
  };
});

export const handler = async (
  event: APIGatewayProxyEventV2 | NotifyEvent,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2 | { summary: string }> => {
  if ('outturn' in event && event.outturn === 'notify') {
    const { store, mailer } = await scheduled();
    const asOf = (event.time ?? new Date().toISOString()).slice(0, 10);
    const { summary } = await notifyJob(store, mailer, asOf);
    createLogger('api', context.awsRequestId).info(
      mailer ? summary : `${summary} No SES identity is configured (context sesIdentity).`,
      { as_of: asOf },
    );
    return { summary };
  }
  return (await cold())(event as APIGatewayProxyEventV2, context);
};
