/**
 * OutturnStack: the whole AWS deployment of ADR 015 in one environment-agnostic stack, wired
 * from one construct per concern. Settings come from CDK context (see `readSettings`).
 */
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Arn, Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { S3_GRANTS, s3Statements } from './access.js';
import { Analytics } from './analytics.js';
import { Api } from './api.js';
import type { OutturnAssets } from './assets.js';
import { Auth } from './auth.js';
import { DuckdbLayer } from './duckdb-layer.js';
import { NODE_RUNTIME } from './lambda-function.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { Observability } from './observability.js';
import { QueuedProcessing } from './processing.js';
import { Secrets } from './secrets.js';
import { Site } from './site.js';
import { Storage } from './storage.js';

/** The settings a deployment may change with `-c key=value` (or cdk.json's context). */
export interface OutturnSettings {
  objectLock: boolean;
  bytesScannedCutoffPerQuery: number;
  athenaResultsDays: number;
  cognitoDomainPrefix?: string;
  webAclArn?: string;
  logRetention: RetentionDays;
  /** The SES identity notices are sent from (ADR 025): a domain or an email address. None: no email. */
  sesIdentity?: string;
  /** The sender address, at the identity (default notices@<domain>, or the identity's address). */
  mailFrom?: string;
}

const ONE_GIB = 1024 ** 3;

/** Context values arrive as strings from the command line and as JSON values from cdk.json. */
export function readSettings(scope: Construct): OutturnSettings {
  const get = (key: string): unknown => scope.node.tryGetContext(key);
  const num = (key: string, fallback: number): number => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`Context ${key} must be a positive number, not ${JSON.stringify(v)}.`);
    return n;
  };
  const prefix = get('cognitoDomainPrefix');
  const webAcl = get('webAclArn');
  const ses = get('sesIdentity');
  const from = get('mailFrom');
  return {
    ...(typeof ses === 'string' && ses ? { sesIdentity: ses } : {}),
    ...(typeof from === 'string' && from ? { mailFrom: from } : {}),
    objectLock: get('objectLock') === true || get('objectLock') === 'true',
    bytesScannedCutoffPerQuery: num('bytesScannedCutoffPerQuery', ONE_GIB),
    athenaResultsDays: num('athenaResultsDays', 30),
    ...(typeof prefix === 'string' && prefix ? { cognitoDomainPrefix: prefix } : {}),
    ...(typeof webAcl === 'string' && webAcl ? { webAclArn: webAcl } : {}),
    logRetention: num('logRetentionDays', RetentionDays.SIX_MONTHS) as RetentionDays,
  };
}

/** The SSM parameter holding the values known only once the distribution exists (ADR 015). */
export function webConfigParameterName(stackName: string): string {
  return `/outturn/${stackName}/web-config`;
}

export interface OutturnStackProps extends StackProps {
  assets: OutturnAssets;
  /** Apply the cdk-nag acknowledgements of ./nag-suppressions.ts (default true). */
  nagSuppressions?: boolean;
}

export class OutturnStack extends Stack {
  readonly storage: Storage;
  readonly processing: QueuedProcessing;
  readonly api: Api;
  readonly site: Site;
  readonly auth: Auth;
  readonly analytics: Analytics;
  readonly secrets: Secrets;
  readonly observability: Observability;
  readonly webConfig: StringParameter;
  /** The WAF web ACL attached to the distribution, when context `webAclArn` names one. */
  readonly webAclArn: string | undefined;

  constructor(scope: Construct, id: string, props: OutturnStackProps) {
    super(scope, id, props);
    const settings = readSettings(this);
    const { assets } = props;
    this.webAclArn = settings.webAclArn;

    this.storage = new Storage(this, 'Storage', {
      objectLock: settings.objectLock,
      athenaResultsDays: settings.athenaResultsDays,
    });
    const buckets = {
      raw: this.storage.raw,
      working: this.storage.working,
      site: this.storage.site,
    };
    const duckdb = new DuckdbLayer(this, 'DuckDb', {
      directory: assets.duckdbLayer,
      runtime: NODE_RUNTIME,
    }).layer;
    this.secrets = new Secrets(this, 'Secrets');
    this.analytics = new Analytics(this, 'Analytics', {
      working: this.storage.working,
      results: this.storage.athenaResults,
      bytesScannedCutoffPerQuery: settings.bytesScannedCutoffPerQuery,
    });

    const environment: Record<string, string> = {
      OUTTURN_S3_BUCKET: this.storage.working.bucketName,
      OUTTURN_RAW_BUCKET: this.storage.raw.bucketName,
      OUTTURN_S3_REGION: Aws.REGION,
      OUTTURN_CACHE_DIR: '/tmp/outturn-cache',
    };

    // The construct keeps the id 'Pipeline' so the deployed resources keep their logical ids.
    this.processing = new QueuedProcessing(this, 'Pipeline', {
      buckets,
      code: {
        ingest: assets.functions.ingest,
        transform: assets.functions.transform,
        publish: assets.functions.publish,
      },
      duckdb,
      environment,
      logRetention: settings.logRetention,
    });

    const parameterName = webConfigParameterName(this.stackName);
    this.api = new Api(this, 'Api', {
      code: assets.functions.api,
      duckdb,
      logRetention: settings.logRetention,
      environment: {
        ...environment,
        OUTTURN_TRANSFORM_QUEUE_URL: this.processing.transformQueue.queueUrl,
        OUTTURN_SESSION_SECRET_ARN: this.secrets.session.secretArn,
        OUTTURN_SITE_KEY_SECRET_ARN: this.secrets.siteKey.secretArn,
        OUTTURN_ORIGIN_SECRET_ARN: this.secrets.origin.secretArn,
        OUTTURN_WEB_CONFIG_PARAMETER: parameterName,
        OUTTURN_ATHENA_WORKGROUP: this.analytics.workgroupName,
        OUTTURN_GLUE_DATABASE: this.analytics.databaseName,
      },
    });
    const apiRole = this.api.fn.role;
    for (const statement of s3Statements(S3_GRANTS.api, buckets))
      apiRole.addToPrincipalPolicy(statement);
    this.processing.transformQueue.grantSendMessages(apiRole);
    this.secrets.session.grantRead(apiRole);
    this.secrets.siteKey.grantRead(apiRole);
    this.secrets.origin.grantRead(apiRole);
    this.analytics.grantQuery(apiRole);
    // The restricted engine copies the published tables under a role that can read only them.
    const reader = this.analytics.addPublishedReader(apiRole);
    this.api.fn.fn.addEnvironment('OUTTURN_PUBLISHED_READER_ROLE_ARN', reader.roleArn);
    // Granted by an ARN built from the name, not from the parameter: the parameter's value
    // depends on the distribution, which depends on the API, which depends on this function.
    apiRole.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ssm:GetParameter'],
        resources: [
          Arn.format(
            { service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) },
            this,
          ),
        ],
      }),
    );

    // Email notices (ADR 025): SES from the identity given by context, and the daily job as an
    // EventBridge schedule invoking the API function with `{ outturn: 'notify' }`.
    if (settings.sesIdentity) {
      const isAddress = settings.sesIdentity.includes('@');
      const identity = new EmailIdentity(this, 'NoticeIdentity', {
        identity: isAddress
          ? Identity.email(settings.sesIdentity)
          : Identity.domain(settings.sesIdentity),
      });
      this.api.fn.fn.addEnvironment(
        'OUTTURN_SES_FROM',
        settings.mailFrom ?? (isAddress ? settings.sesIdentity : `notices@${settings.sesIdentity}`),
      );
      apiRole.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            Arn.format(
              { service: 'ses', resource: 'identity', resourceName: identity.emailIdentityName },
              this,
            ),
          ],
        }),
      );
    }
    new Rule(this, 'NotifySchedule', {
      description: 'Outturn: send the day’s email notices (ADR 025)',
      schedule: Schedule.cron({ hour: '6', minute: '0' }),
      targets: [
        new LambdaFunction(this.api.fn.fn, {
          event: RuleTargetInput.fromObject({ outturn: 'notify', time: EventField.time }),
        }),
      ],
    });

    this.site = new Site(this, 'Site', {
      api: this.api.httpApi,
      siteBucket: this.storage.site,
      logsBucket: this.storage.accessLogs,
      siteKeySecret: this.secrets.siteKey,
      originSecret: this.secrets.origin,
      keyPairCode: assets.siteKeyPair,
      logRetention: settings.logRetention,
      ...(settings.webAclArn ? { webAclArn: settings.webAclArn } : {}),
    });
    this.auth = new Auth(this, 'Auth', {
      publicUrl: this.site.publicUrl,
      ...(settings.cognitoDomainPrefix ? { domainPrefix: settings.cognitoDomainPrefix } : {}),
    });

    this.webConfig = new StringParameter(this, 'WebConfig', {
      parameterName,
      description: 'Outturn web config, read by the API function once per cold start (ADR 015)',
      stringValue: this.toJsonString({
        publicUrl: this.site.publicUrl,
        userPoolId: this.auth.userPool.userPoolId,
        userPoolClientId: this.auth.client.userPoolClientId,
        cognitoDomain: `${this.auth.domain.domainName}.auth.${Aws.REGION}.amazoncognito.com`,
        siteKeyPairId: this.site.publicKey.publicKeyId,
      }),
    });

    const p = this.processing;
    this.observability = new Observability(this, 'Observability', {
      deadLetterQueues: { Ingest: p.ingestDlq, Transform: p.transformDlq, Publish: p.publishDlq },
      queues: {
        Ingest: { queue: p.ingestQueue, maxAge: Duration.minutes(30) },
        Transform: { queue: p.transformQueue, maxAge: Duration.hours(1) },
        Publish: { queue: p.publishQueue, maxAge: Duration.minutes(30) },
      },
      functions: {
        Api: this.api.fn.fn,
        Ingest: p.ingest.fn,
        Transform: p.transform.fn,
        Publish: p.publish.fn,
        SiteKeyPair: this.site.keyPairFunction.fn,
      },
    });

    new CfnOutput(this, 'PublicUrl', {
      value: this.site.publicUrl,
      description: 'Where users reach Outturn',
    });
    new CfnOutput(this, 'RawBucketName', { value: this.storage.raw.bucketName });
    new CfnOutput(this, 'WorkingBucketName', { value: this.storage.working.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'AthenaWorkgroup', { value: this.analytics.workgroupName });
    new CfnOutput(this, 'PublishedAthenaWorkgroup', {
      value: this.analytics.publishedWorkgroupName,
      description: 'Athena over the published tables only (ADR 020), with the PublishedReaderRole',
    });
    new CfnOutput(this, 'PublishedGlueDatabase', { value: this.analytics.publishedDatabaseName });
    new CfnOutput(this, 'PublishedReaderRole', { value: reader.roleArn });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'Subscribe the on-call address here',
    });

    if (props.nagSuppressions ?? true) applyNagSuppressions(this);
  }
}
