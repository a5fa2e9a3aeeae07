/**
 * One CloudFront distribution for everything (ADR 015): the default behaviour is the HTTP API
 * (no caching, every viewer header but Host), and `/site/*` is the published dashboards in the
 * site bucket, read through Origin Access Control and only with CloudFront signed cookies from
 * the trusted key group — which the app sets after sign-in, so the dashboards sit behind the
 * same sign-in as the app.
 *
 * Requests to the API carry who is asking (ADR 026): a viewer-request function writes the
 * viewer's address (`event.viewer.ip`, replacing whatever the viewer sent under that name), and
 * the origin adds the origin secret, so the API trusts that address only from CloudFront.
 */
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  KeyGroup,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  PublicKey,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '../functions/lambda/client-address.js';
import { OutturnFunction } from './lambda-function.js';

/** The published dashboards' path, both in URLs and as the key prefix in the site bucket. */
export const SITE_PATH_PATTERN = '/site/*';

export interface SiteProps {
  api: HttpApi;
  siteBucket: IBucket;
  logsBucket: IBucket;
  siteKeySecret: ISecret;
  /** Sent to the API as `x-outturn-origin-secret` with every request (functions/lambda/client-address.ts). */
  originSecret: ISecret;
  /** The bundled key-pair custom resource handler (infra/handlers/site-key-pair.ts). */
  keyPairCode: string;
  logRetention: RetentionDays;
  /** A WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach, if the deployment has one. */
  webAclArn?: string;
}

export class Site extends Construct {
  readonly distribution: Distribution;
  readonly publicKey: PublicKey;
  readonly keyGroup: KeyGroup;
  readonly keyPairFunction: OutturnFunction;
  readonly viewerAddress: CloudFrontFunction;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.keyPairFunction = new OutturnFunction(this, 'KeyPairHandler', {
      codeDirectory: props.keyPairCode,
      description:
        'Outturn custom resource: generates the CloudFront signing key pair into its secret',
      memoryMb: 256,
      timeout: Duration.minutes(1),
      environment: {},
      logRetention: props.logRetention,
    });
    props.siteKeySecret.grantRead(this.keyPairFunction.role);
    props.siteKeySecret.grantWrite(this.keyPairFunction.role);

    const keyPair = new CustomResource(this, 'KeyPair', {
      serviceToken: this.keyPairFunction.fn.functionArn,
      resourceType: 'Custom::SiteKeyPair',
      properties: { SecretArn: props.siteKeySecret.secretArn },
    });
    // The handler's permissions must be in place before CloudFormation calls it.
    keyPair.node.addDependency(this.keyPairFunction.role);

    this.publicKey = new PublicKey(this, 'PublicKey', {
      encodedKey: keyPair.getAttString('PublicKeyPem'),
      comment: 'Outturn /site/* signed cookies',
    });
    this.keyGroup = new KeyGroup(this, 'KeyGroup', {
      items: [this.publicKey],
      comment: 'Outturn signed cookies for the published dashboards',
    });

    this.viewerAddress = new CloudFrontFunction(this, 'ViewerAddress', {
      comment: 'Outturn: tells the API the viewer address CloudFront saw',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(`function handler(event) {
  event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };
  return event.request;
}`),
    });

    const apiDomain = `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Outturn (${stack.stackName})`,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      enableLogging: true,
      logBucket: props.logsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: new HttpOrigin(apiDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          readTimeout: Duration.seconds(30),
          // A dynamic reference: the value is resolved by CloudFormation, never in the template.
          customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
        }),
        functionAssociations: [
          { function: this.viewerAddress, eventType: FunctionEventType.VIEWER_REQUEST },
        ],
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      additionalBehaviors: {
        [SITE_PATH_PATTERN]: {
          origin: S3BucketOrigin.withOriginAccessControl(props.siteBucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          trustedKeyGroups: [this.keyGroup],
          compress: true,
        },
      },
    });
  }

  /** `https://<distribution domain>`, as the app and Cognito's callback see it. */
  get publicUrl(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
