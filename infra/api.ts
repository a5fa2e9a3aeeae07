/**
 * The web app as a Lambda function behind an API Gateway HTTP API (payload v2), which sits
 * behind CloudFront. The app does its own authentication (signed session cookies, Cognito
 * access tokens as bearer tokens), so the API passes every route to it; access is logged as
 * JSON and throttled per stage.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OutturnFunction } from './lambda-function.js';

/** HTTP API access-log fields (HTTP APIs support fewer `$context` variables than REST APIs). */
const HTTP_API_ACCESS_LOG = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    method: '$context.httpMethod',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
    userAgent: '$context.identity.userAgent',
  }),
);

export const API_SIZE = { memoryMb: 1769, timeout: Duration.seconds(29) } as const;

export interface ApiProps {
  code: string;
  duckdb: ILayerVersion;
  environment: Record<string, string>;
  logRetention: RetentionDays;
}

export class Api extends Construct {
  readonly fn: OutturnFunction;
  readonly httpApi: HttpApi;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.fn = new OutturnFunction(this, 'App', {
      codeDirectory: props.code,
      description: 'Outturn web app and JSON API (Hono over the pipeline)',
      ...API_SIZE,
      environment: props.environment,
      layers: [props.duckdb],
      logRetention: props.logRetention,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Outturn: every route to the app function (the app authenticates)',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('App', this.fn.fn),
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // Every page, asset and download goes through the API uncached (ADR 015), ~10 requests a
      // page view: a ceiling that stops a runaway client, not a deadline-day rush.
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: HTTP_API_ACCESS_LOG,
      },
    });
  }
}
