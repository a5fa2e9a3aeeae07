/**
 * S3 event notifications as they arrive through SQS: the message body is the notification JSON
 * (`{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":…},"object":{"key":…}}}]}`),
 * object keys are URL-encoded with `+` for a space, and a new notification configuration first
 * sends one `{"Event":"s3:TestEvent",…}` message, which means nothing.
 */
import type { S3EventRecord } from 'aws-lambda';

export interface CreatedObject {
  bucket: string;
  /** Decoded: the key as stored. */
  key: string;
  size: number | undefined;
  /** When S3 saw the object created. */
  time: Date | undefined;
}

export type ParsedMessage = { kind: 'test' } | { kind: 'objects'; objects: CreatedObject[] };

export class EventShapeError extends Error {
  override name = 'EventShapeError';
}

/** `incoming/april+return%282%29.csv` → `incoming/april return(2).csv` */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    throw new EventShapeError(
      `The S3 event names the key "${key}", which is not URL-encoded as S3 sends keys`,
    );
  }
}

/**
 * The objects created, from one SQS message body. Records of other events (deletions) are left
 * out; a body that is not an S3 notification is an EventShapeError saying what it was.
 */
export function parseS3Message(body: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new EventShapeError(
      `The message is not JSON, so not an S3 event notification: ${JSON.stringify(body.slice(0, 80))}`,
    );
  }
  if (typeof value !== 'object' || value === null)
    throw new EventShapeError('The message is not an S3 event notification (not a JSON object)');
  if ('Event' in value && value.Event === 's3:TestEvent') return { kind: 'test' };
  if (!('Records' in value) || !Array.isArray(value.Records))
    throw new EventShapeError(
      `The message is not an S3 event notification: it has no Records (keys: ${Object.keys(value).slice(0, 5).join(', ') || 'none'})`,
    );
  const objects: CreatedObject[] = [];
  for (const record of value.Records as Partial<S3EventRecord>[]) {
    if (typeof record?.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:'))
      continue;
    const bucket = record.s3?.bucket?.name;
    const key = record.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string')
      throw new EventShapeError(
        `An ${record.eventName} record has no s3.bucket.name or s3.object.key`,
      );
    const size = record.s3?.object?.size;
    const time = typeof record.eventTime === 'string' ? new Date(record.eventTime) : undefined;
    objects.push({
      bucket,
      key: decodeS3Key(key),
      size: typeof size === 'number' ? size : undefined,
      time: time && !Number.isNaN(time.getTime()) ? time : undefined,
    });
  }
  return { kind: 'objects', objects };
}
