/**
 * The queued processing of ADR 015 (the queues and the ingest, transform and publish functions): an upload landing in `incoming/<id>/file` is queued for the
 * ingest function; accepted returns ask for a rebuild on the transform FIFO queue, whose one
 * message group makes the transform single-flight; a switched build (`curated/current.json`)
 * is queued for the publish function. Every queue has a dead-letter queue, and keeps a message
 * invisible for at least six times its consumer's timeout, so a slow run is never doubled.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType, type Bucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { S3_GRANTS, s3Statements, type BucketRole } from './access.js';
import type { FunctionName } from './bundling.js';
import { OutturnFunction } from './lambda-function.js';

/** The transform queue's one message group: every rebuild request joins it (ADR 015). */
export const TRANSFORM_MESSAGE_GROUP = 'marts';

/** SQS wants a message hidden for at least six times its consumer's timeout. */
export const VISIBILITY_FACTOR = 6;

export const FUNCTION_SIZES = {
  ingest: { memoryMb: 2048, timeout: Duration.minutes(5) },
  // From bench/pipeline (docs/deploy.md, "How big the transform is"): a full rebuild runs a
  // batch of contracts at a time with DuckDB held to 1.2 GB (ADR 033), and peaked at 1,449 MiB —
  // bounded by the batch, not the nation. Time, not memory, is the limit (measure_values is most
  // of a build), and Lambda's CPU grows with memory: 5 GB gives ~3 vCPUs for DuckDB's 2 threads
  // and Node. 15 minutes, Lambda's most.
  transform: { memoryMb: 5120, timeout: Duration.minutes(15), ephemeralStorageMb: 10240 },
  publish: { memoryMb: 2048, timeout: Duration.minutes(5) },
} as const;

export interface QueuedProcessingProps {
  buckets: Readonly<Record<BucketRole, Bucket>>;
  code: Readonly<Record<Exclude<FunctionName, 'api'>, string>>;
  duckdb: ILayerVersion;
  /** The variables every function gets (ADR 015). */
  environment: Record<string, string>;
  logRetention: RetentionDays;
}

/** A queue and its dead-letter queue, both encrypted and TLS-only. */
function queueWithDlq(
  scope: Construct,
  id: string,
  consumerTimeout: Duration,
  fifo: boolean,
): { queue: Queue; dlq: Queue } {
  const base: QueueProps = {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    ...(fifo ? { fifo: true } : {}),
  };
  const dlq = new Queue(scope, `${id}Dlq`, { ...base, retentionPeriod: Duration.days(14) });
  const queue = new Queue(scope, id, {
    ...base,
    ...(fifo ? { contentBasedDeduplication: true } : {}),
    visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_FACTOR),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
  });
  return { queue, dlq };
}

export class QueuedProcessing extends Construct {
  readonly ingestQueue: Queue;
  readonly ingestDlq: Queue;
  readonly transformQueue: Queue;
  readonly transformDlq: Queue;
  readonly publishQueue: Queue;
  readonly publishDlq: Queue;
  readonly ingest: OutturnFunction;
  readonly transform: OutturnFunction;
  readonly publish: OutturnFunction;

  constructor(scope: Construct, id: string, props: QueuedProcessingProps) {
    super(scope, id);
    const { buckets } = props;

    ({ queue: this.ingestQueue, dlq: this.ingestDlq } = queueWithDlq(
      this,
      'IngestQueue',
      FUNCTION_SIZES.ingest.timeout,
      false,
    ));
    ({ queue: this.transformQueue, dlq: this.transformDlq } = queueWithDlq(
      this,
      'TransformQueue',
      FUNCTION_SIZES.transform.timeout,
      true,
    ));
    ({ queue: this.publishQueue, dlq: this.publishDlq } = queueWithDlq(
      this,
      'PublishQueue',
      FUNCTION_SIZES.publish.timeout,
      false,
    ));

    buckets.raw.addEventNotification(
      EventType.OBJECT_CREATED,
      new SqsDestination(this.ingestQueue),
      { prefix: 'incoming/', suffix: '/file' },
    );
    buckets.working.addEventNotification(
      EventType.OBJECT_CREATED,
      new SqsDestination(this.publishQueue),
      { prefix: 'curated/current.json' },
    );

    const transformQueueUrl = { OUTTURN_TRANSFORM_QUEUE_URL: this.transformQueue.queueUrl };

    this.ingest = new OutturnFunction(this, 'Ingest', {
      codeDirectory: props.code.ingest,
      description:
        'Outturn ingest: validates a queued upload from incoming/, writes its receipt and asks for a rebuild',
      ...FUNCTION_SIZES.ingest,
      environment: { ...props.environment, ...transformQueueUrl },
      layers: [props.duckdb],
      logRetention: props.logRetention,
    });
    this.transform = new OutturnFunction(this, 'Transform', {
      codeDirectory: props.code.transform,
      description:
        'Outturn transform: rebuilds the marts (single-flight: FIFO queue, one message group)',
      ...FUNCTION_SIZES.transform,
      environment: props.environment,
      layers: [props.duckdb],
      // The FIFO queue's single group already serialises builds; this makes it hold even if a
      // second event source or a manual invoke is ever added.
      reservedConcurrentExecutions: 1,
      logRetention: props.logRetention,
    });
    this.publish = new OutturnFunction(this, 'Publish', {
      codeDirectory: props.code.publish,
      description:
        'Outturn publish: renders the dashboards of the build in force into the site bucket',
      ...FUNCTION_SIZES.publish,
      environment: { ...props.environment, OUTTURN_SITE_BUCKET: buckets.site.bucketName },
      layers: [props.duckdb],
      logRetention: props.logRetention,
    });

    for (const [name, f] of [
      ['ingest', this.ingest],
      ['transform', this.transform],
      ['publish', this.publish],
    ] as const)
      for (const statement of s3Statements(S3_GRANTS[name], buckets))
        f.role.addToPrincipalPolicy(statement);
    this.transformQueue.grantSendMessages(this.ingest.role);

    // One upload per invocation, at most two at once: ingests of one contract must not race for
    // its next version number, and a throttled SQS poll would burn receives toward the DLQ.
    this.ingest.fn.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        batchSize: 1,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
    // Up to ten rebuild requests are one rebuild (the union of their contracts, or full).
    this.transform.fn.addEventSource(
      new SqsEventSource(this.transformQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.publish.fn.addEventSource(
      new SqsEventSource(this.publishQueue, {
        batchSize: 10,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
  }
}
