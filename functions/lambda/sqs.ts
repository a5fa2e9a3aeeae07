/**
 * Rebuild requests sent to the transform FIFO queue (ADR 015): every message in one group,
 * `marts`, so builds run one at a time in order; a deduplication id per cause, so the same
 * request sent twice within SQS's five-minute window is delivered once.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import type { TransformRequest, TransformRequests } from '../../pipelines/transform/requests.js';

export const MESSAGE_GROUP = 'marts';

/** What the queue sender needs of the SQS client: `send`, so a test can record instead. */
export type SqsSender = Pick<SQSClient, 'send'>;

/** SQS allows 128 characters of `[A-Za-z0-9!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~]`; a longer or odder id is hashed. */
export function deduplicationIdOf(id: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(id) ? id : createHash('sha256').update(id).digest('hex');
}

export function transformQueue(client: SqsSender, queueUrl: string): TransformRequests {
  return {
    async send(request: TransformRequest, deduplicationId: string) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(request),
          MessageGroupId: MESSAGE_GROUP,
          MessageDeduplicationId: deduplicationIdOf(deduplicationId),
        }),
      );
    },
  };
}
