/**
 * The ingest function (ADR 015): SQS (standard, with a dead-letter queue) fed by S3 notifications
 * for `incoming/<uploadId>/file` in the raw bucket. Each upload is ingested by `ingestUpload`
 * (the same `ingestReturn` as locally), its outcome written to `uploads/<uploadId>.json`, and a
 * rebuild of its contract asked of the transform queue.
 *
 * A message whose upload could not be ingested (the store failed) is reported in
 * `batchItemFailures`, so SQS delivers it again and, after its retries, keeps it in the
 * dead-letter queue: the file itself stays in `incoming/` whatever happens.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ingestUpload, uploadIdOfFileKey } from '../../pipelines/ingest/queued-upload.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import type { TransformRequests } from '../../pipelines/transform/requests.js';
import { readSettings } from './env.js';
import { createLogger, type Sink } from './log.js';
import { once } from './once.js';
import { parseS3Message } from './s3-events.js';
import { transformQueue } from './sqs.js';
import { dataStore } from './stores.js';

export interface IngestContext {
  store: ObjectStore;
  requests: TransformRequests;
  /** The raw bucket: notifications from any other bucket are ignored. */
  rawBucket: string;
  /** The key prefix in the raw bucket (OUTTURN_S3_PREFIX), `''` for none. */
  prefix: string;
  log?: Sink;
}

export function createIngestHandler(make: () => IngestContext | Promise<IngestContext>) {
  const context = once(make);
  return async (
    event: SQSEvent,
    lambda?: Pick<Context, 'awsRequestId'>,
  ): Promise<SQSBatchResponse> => {
    const { store, requests, rawBucket, prefix, log: sink } = await context();
    const log = createLogger('ingest', lambda?.awsRequestId, sink);
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const message = parseS3Message(record.body);
        if (message.kind === 'test') {
          log.info('Ignored the S3 test event sent when notifications are set up', {
            message_id: record.messageId,
          });
          continue;
        }
        for (const object of message.objects) {
          const key = object.key.startsWith(prefix) ? object.key.slice(prefix.length) : object.key;
          const uploadId = uploadIdOfFileKey(key);
          if (object.bucket !== rawBucket || uploadId === null) {
            log.warn('Ignored a notification for an object that is not an upload', {
              bucket: object.bucket,
              key: object.key,
              message_id: record.messageId,
            });
            continue;
          }
          const result = await ingestUpload(store, uploadId, {
            size: object.size,
            now: object.time,
          });
          const { outcome } = result;
          log.info(
            result.written ? 'Upload checked' : 'Upload already checked; its outcome stands',
            {
              upload_id: uploadId,
              contract_id: outcome.contract_id,
              period: outcome.period,
              status: outcome.status,
              receipt_id: outcome.receipt_id,
            },
          );
          // The same id for the same upload: SQS drops a repeat within five minutes.
          if (result.rebuild.length)
            await requests.send(
              { contracts: result.rebuild, reason: `upload ${uploadId}` },
              `upload-${uploadId}`,
            );
        }
      } catch (e) {
        log.error(
          'Could not ingest the upload; the message will be retried, then kept in the dead-letter queue',
          e,
          { message_id: record.messageId },
        );
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

export const handler = createIngestHandler(() => {
  const settings = readSettings('ingest', process.env);
  return {
    store: dataStore(settings),
    requests: transformQueue(
      new SQSClient({ region: settings.region }),
      settings.transformQueueUrl,
    ),
    rawBucket: settings.rawBucket,
    prefix: settings.prefix,
  };
});
