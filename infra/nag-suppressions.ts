/**
 * Every cdk-nag (AwsSolutions) acknowledgement in the stack, each with why it is acceptable —
 * the one place to review them (ADR 016). cdk-nag v3 acknowledges findings through CDK's
 * `Validations.of(construct).acknowledge`, one finding id at a time; an acknowledgement covers
 * the construct and everything under it.
 *
 * Fixed rather than acknowledged: managed policies on our functions (own roles, no managed
 * policy), SQS/SNS encryption and TLS, Cognito MFA/password/plus tier, API access logs, bucket
 * logs and TLS, Lambda runtime.
 */
import { Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { PUBLISHED_READER_S3, S3_GRANTS, type BucketRole } from './access.js';
import { ATHENA_RESULTS_PREFIX, PUBLISHED_RESULTS_PREFIX, type Analytics } from './analytics.js';
import type { FunctionName } from './bundling.js';
import type { Api } from './api.js';
import type { QueuedProcessing } from './processing.js';
import type { Secrets } from './secrets.js';
import type { Site } from './site.js';
import type { Storage } from './storage.js';

/** What the acknowledgements name: the stack's constructs (OutturnStack is one; typed here so this module does not import the stack that applies it). */
export type NaggedStack = Stack & {
  readonly storage: Storage;
  readonly processing: QueuedProcessing;
  readonly api: Api;
  readonly site: Site;
  readonly secrets: Secrets;
  readonly analytics: Analytics;
  readonly webAclArn: string | undefined;
};

export interface Acknowledgement {
  construct: IConstruct;
  id: string;
  reason: string;
}

/** The `<LogicalId.Arn>` cdk-nag uses to name a bucket ARN in an IAM5 finding. */
function arnToken(stack: Stack, construct: IConstruct): string {
  const logicalId = stack.resolve(
    stack.getLogicalId(construct.node.defaultChild as CfnElement),
  ) as string;
  return `<${logicalId}.Arn>`;
}

/** The full list, built from the stack (so IAM5 findings are named exactly, prefix by prefix). */
export function nagAcknowledgements(stack: NaggedStack): Acknowledgement[] {
  const list: Acknowledgement[] = [];
  const buckets: Record<BucketRole, IConstruct> = {
    raw: stack.storage.raw,
    working: stack.storage.working,
    site: stack.storage.site,
  };
  const roles: Record<FunctionName, IConstruct> = {
    api: stack.api.fn.role,
    ingest: stack.processing.ingest.role,
    transform: stack.processing.transform.role,
    publish: stack.processing.publish.role,
  };

  // IAM5: object actions on `<bucket>/<zone>/*`. The wildcard is the objects of one zone that
  // ADR 015's table gives this function — keys are content hashes and upload ids, unknowable
  // in advance — never the whole bucket.
  for (const [fn, grants] of Object.entries(S3_GRANTS) as [
    FunctionName,
    (typeof S3_GRANTS)[FunctionName],
  ][]) {
    const seen = new Set<string>();
    for (const grant of grants)
      for (const prefix of grant.prefixes) {
        const id = `AwsSolutions-IAM5[Resource::${arnToken(stack, buckets[grant.bucket])}/${prefix}*]`;
        if (seen.has(id)) continue;
        seen.add(id);
        list.push({
          construct: roles[fn],
          id,
          reason: `The ${fn} function works on objects under ${grant.bucket} ${prefix} only (ADR 015's table); their keys are not known in advance.`,
        });
      }
  }
  list.push({
    construct: roles.api,
    id: `AwsSolutions-IAM5[Resource::${arnToken(stack, stack.storage.athenaResults)}/${ATHENA_RESULTS_PREFIX}*]`,
    reason:
      "Athena writes each query's results under the workgroup's results prefix with a query-id key; the API reads them back.",
  });

  // The published reader (ADR 020): the objects of the published prefix, whose keys are build
  // ids and contract ids, and the manifest of whichever build is in force.
  const reader = stack.analytics.publishedReader;
  if (reader) {
    const working = arnToken(stack, stack.storage.working);
    for (const key of PUBLISHED_READER_S3.read.filter((k) => k.includes('*') || k.endsWith('/')))
      list.push({
        construct: reader,
        id: `AwsSolutions-IAM5[Resource::${working}/${key.endsWith('/') ? `${key}*` : key}]`,
        reason: key.endsWith('/')
          ? `The published reader reads the published tables under ${key} only (ADR 020); their keys hold build and contract ids, not known in advance.`
          : 'The published reader reads the manifest of the build in force, whose id is not known in advance; manifests name files and columns and hold no figures.',
      });
    list.push({
      construct: reader,
      id: `AwsSolutions-IAM5[Resource::${arnToken(stack, stack.storage.athenaResults)}/${PUBLISHED_RESULTS_PREFIX}*]`,
      reason:
        "Athena writes each published-workgroup query's results under its own prefix with a query-id key; the reader reads them back and nothing else of the bucket.",
    });
  }

  list.push(
    {
      construct: stack.secrets.session,
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the session secret signs every user out and voids every API token, so it is rotated by an operator at a time they choose (put a new value), not on a schedule.',
    },
    {
      construct: stack.secrets.siteKey,
      id: 'AwsSolutions-SMG4',
      reason:
        'The CloudFront signing key must change together with the CloudFront public key and key group, which CloudFormation owns: rotate by replacing the secret (a new SiteKeyPair), not by a rotation Lambda.',
    },
    {
      construct: stack.secrets.origin,
      id: 'AwsSolutions-SMG4',
      reason:
        'The origin secret is also in the CloudFront origin’s custom header, which a rotation Lambda cannot change: rotate by putting a new value and redeploying the stack, which updates both.',
    },
    {
      construct: stack.api.httpApi,
      id: 'AwsSolutions-APIG4',
      reason:
        'The app authenticates every route itself (signed session cookies after Cognito sign-in; Cognito access tokens verified with aws-jwt-verify for the JSON API) and serves public routes (sign-in, health, assets) that an API Gateway authorizer cannot express.',
    },
    {
      construct: stack.site.distribution,
      id: 'AwsSolutions-CFR4',
      reason:
        'No custom domain in this stack: with the default *.cloudfront.net certificate CloudFront fixes the viewer policy at TLSv1. A deployment with its own domain adds an ACM certificate and TLSv1.2_2021.',
    },
    {
      construct: stack.site.distribution,
      id: 'AwsSolutions-CFR1',
      reason:
        'Commissioners, contract managers and providers may work from anywhere; access is by sign-in (Cognito, MFA required), not by location.',
    },
  );
  if (!stack.webAclArn)
    list.push({
      construct: stack.site.distribution,
      id: 'AwsSolutions-CFR2',
      reason:
        'A CloudFront WAF web ACL must live in us-east-1 and this stack is environment-agnostic: pass its ARN with -c webAclArn=… to attach one. Meanwhile the API stage is throttled and Cognito threat protection is on.',
    });

  const notifications = stack.node.children.find((c) =>
    c.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (notifications)
    list.push({
      construct: notifications,
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own deploy-time handler that writes the buckets' S3 notification configuration; its role (logs only, via the managed policy) cannot be replaced through the L2 API.",
    });
  return list;
}

export function applyNagSuppressions(stack: NaggedStack): void {
  for (const a of nagAcknowledgements(stack))
    Validations.of(a.construct).acknowledge({ id: a.id, reason: a.reason });
}
