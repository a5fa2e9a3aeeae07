/**
 * The ingest function's reading of its events: S3 notifications inside SQS messages, as S3 and
 * SQS shape them, and what it does with messages that are not uploads or cannot be ingested.
 * The store is a local folder pair (the flow test runs the same over s3rver); SQS is a recorder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIngestHandler } from '../../../functions/lambda/ingest.js';
import { createLogger } from '../../../functions/lambda/log.js';
import {
  decodeS3Key,
  EventShapeError,
  parseS3Message,
} from '../../../functions/lambda/s3-events.js';
import { deduplicationIdOf } from '../../../functions/lambda/sqs.js';
import { putReference } from '../../../pipelines/ingest/reference-store.js';
import {
  incomingFileKey,
  readOutcome,
  writeIntent,
} from '../../../pipelines/ingest/queued-upload.js';
import { FaultyStore } from '../../pipelines/store/faulty-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import type { ObjectStore } from '../../../pipelines/store/object-store.js';
import { ZonedStore } from '../../../pipelines/store/zoned-store.js';
import type { TransformRequest } from '../../../pipelines/transform/requests.js';
import { testReference } from '../../fixtures/reference.js';
import { csvOf, participants } from '../../fixtures/returns.js';

function notification(records: object[]): string {
  return JSON.stringify({ Records: records });
}

function created(key: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-west-2',
    eventTime: '2025-02-05T10:00:00.000Z',
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      bucket: { name: 'outturn-raw', arn: 'arn:aws:s3:::outturn-raw' },
      object: { key, size: 120, eTag: 'abc', sequencer: '01' },
    },
    ...extra,
  };
}

describe('parseS3Message', () => {
  it('decodes keys as S3 encodes them: URL-encoding with + for a space', () => {
    expect(decodeS3Key('incoming/april+return%282%29.csv')).toBe('incoming/april return(2).csv');
    expect(decodeS3Key('incoming/a%2Bb')).toBe('incoming/a+b');
    expect(decodeS3Key('caf%C3%A9')).toBe('café');
    expect(() => decodeS3Key('bad%E0%A4%A')).toThrow(EventShapeError);
  });

  it('reads the created objects, with size and time, and skips other events', () => {
    const body = notification([
      created('incoming/20250205T100000000Z-0123456789ab/file'),
      { ...created('x'), eventName: 'ObjectRemoved:Delete' },
    ]);
    expect(parseS3Message(body)).toEqual({
      kind: 'objects',
      objects: [
        {
          bucket: 'outturn-raw',
          key: 'incoming/20250205T100000000Z-0123456789ab/file',
          size: 120,
          time: new Date('2025-02-05T10:00:00.000Z'),
        },
      ],
    });
  });

  it('recognises the test event S3 sends when notifications are set up', () => {
    expect(
      parseS3Message(
        JSON.stringify({
          Service: 'Amazon S3',
          Event: 's3:TestEvent',
          Time: '2026-11-26T11:00:00.000Z',
          Bucket: 'outturn-raw',
        }),
      ),
    ).toEqual({ kind: 'test' });
  });

  it('says what is wrong with a message that is not an S3 notification', () => {
    expect(() => parseS3Message('hello')).toThrow(
      /not JSON, so not an S3 event notification: "hello"/,
    );
    expect(() => parseS3Message('{"contracts":["a"]}')).toThrow(/no Records \(keys: contracts\)/);
    expect(() =>
      parseS3Message(notification([{ eventName: 'ObjectCreated:Put', s3: {} }])),
    ).toThrow(/no s3.bucket.name or s3.object.key/);
  });
});

describe('deduplicationIdOf', () => {
  it('keeps an id SQS accepts, and hashes one it would refuse', () => {
    expect(deduplicationIdOf('upload-20250205T100000000Z-0123456789ab')).toBe(
      'upload-20250205T100000000Z-0123456789ab',
    );
    expect(deduplicationIdOf('x'.repeat(129))).toMatch(/^[0-9a-f]{64}$/);
    expect(deduplicationIdOf('with space')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('createLogger', () => {
  it('writes one JSON object a line: level, message, function, request id and fields; an error as its name and message', () => {
    const lines: string[] = [];
    const log = createLogger('ingest', 'req-1', (l) => lines.push(l));
    log.info('Upload checked', { upload_id: 'u1', status: 'accepted' });
    log.error('Failed', new TypeError('boom'), { message_id: 'm1' });
    const [info, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info).toMatchObject({
      level: 'info',
      message: 'Upload checked',
      function: 'ingest',
      aws_request_id: 'req-1',
      upload_id: 'u1',
      status: 'accepted',
    });
    expect(error).toMatchObject({
      level: 'error',
      message: 'Failed',
      error: 'TypeError: boom',
      message_id: 'm1',
    });
  });
});

describe('the ingest handler', () => {
  let dir: string;
  let store: ObjectStore;
  const sent: { request: TransformRequest; id: string }[] = [];
  const uploadId = '20250205T100000000Z-0123456789ab';
  const record = (body: string, messageId = 'm1') => ({ messageId, body }) as SQSRecord;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outturn-ingest-events-'));
    store = new ZonedStore({
      raw: new LocalStore(join(dir, 'raw')),
      working: new LocalStore(join(dir, 'working')),
    });
    await putReference(store, testReference());
    await writeIntent(store, {
      upload_id: uploadId,
      contract_id: 'plp-test',
      period: '2025-01',
      file_name: 'jan.csv',
      submitted_by: 'acme-user',
      requested_at: '2025-02-05T09:59:00.000Z',
      from: '203.0.113.7',
    });
    await store.put(incomingFileKey(uploadId), csvOf(participants(2)));
    sent.length = 0;
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  const handler = (s: () => ObjectStore, prefix = '') =>
    createIngestHandler(() => ({
      store: s(),
      rawBucket: 'outturn-raw',
      prefix,
      requests: { send: async (request, id) => void sent.push({ request, id }) },
      log: () => undefined,
    }));

  it('ingests the upload a notification names, received when S3 says, and asks for its contract’s rebuild', async () => {
    const res = await handler(() => store)({
      Records: [record(notification([created(`incoming/${uploadId}/file`)]))],
    });
    expect(res).toEqual({ batchItemFailures: [] });
    expect(await readOutcome(store, uploadId)).toMatchObject({
      status: 'accepted',
      decided_at: '2025-02-05T10:00:00.000Z',
    });
    expect(sent).toEqual([
      {
        request: { contracts: ['plp-test'], reason: `upload ${uploadId}` },
        id: `upload-${uploadId}`,
      },
    ]);
  });

  it('strips the store’s key prefix, and ignores other buckets and keys that are not uploads', async () => {
    const other = {
      ...created(`incoming/${uploadId}/file`),
      s3: {
        ...created('').s3,
        bucket: { name: 'someone-else' },
        object: { key: `incoming/${uploadId}/file` },
      },
    };
    const res = await handler(() => store)({
      Records: [
        record(
          notification([
            other,
            created(`incoming/${uploadId}/intent.json`),
            created('incoming/not-an-id/file'),
          ]),
        ),
      ],
    });
    expect(res).toEqual({ batchItemFailures: [] });
    expect(await readOutcome(store, uploadId)).toBeNull();
    const prefixed = await handler(
      () => store,
      'prod/',
    )({ Records: [record(notification([created(`prod/incoming/${uploadId}/file`)]))] });
    expect(prefixed).toEqual({ batchItemFailures: [] });
    expect(await readOutcome(store, uploadId)).toMatchObject({ status: 'accepted' });
  });

  it('reports a message failed when the store fails, and writes no outcome, so SQS retries it', async () => {
    const faulty = new FaultyStore(
      store,
      (op, key) => op === 'putIfAbsent' && key.startsWith('submissions/'),
    );
    const res = await handler(() => faulty)({
      Records: [
        record(notification([created(`incoming/${uploadId}/file`)]), 'fails'),
        record(JSON.stringify({ Event: 's3:TestEvent' }), 'test'),
      ],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'fails' }] });
    expect(await readOutcome(store, uploadId)).toBeNull();
    expect(sent).toEqual([]);
    // The file is still there for the retry.
    expect(await store.exists(incomingFileKey(uploadId))).toBe(true);
  });
});
