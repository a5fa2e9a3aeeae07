/**
 * The queued pipeline (ADR 015): uploads are written to the raw bucket's `incoming/` with the
 * intent beside them, and ingested by the ingest function; rebuilds are asked of the transform
 * queue. Only this file knows uploads land in S3: presigning needs the raw bucket and a client.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { randomBytes } from 'node:crypto';
import { authoriseSubmission } from '../../pipelines/ingest/authorise.js';
import { incomingFileKey, newUploadId, writeIntent } from '../../pipelines/ingest/queued-upload.js';
import type { TransformRequests } from '../../pipelines/transform/requests.js';
import type { Pipeline, ReturnUpload, UploadUrlRequest } from './pipeline.js';

/** How long a presigned upload URL works. */
export const UPLOAD_URL_SECONDS = 15 * 60;

export interface QueuedPipelineOptions {
  /** Where rebuilds are asked for (the transform FIFO queue). */
  requests: TransformRequests;
  /** The raw bucket as the store sees it, for presigned PUTs of `incoming/<uploadId>/file`. */
  uploads: { client: S3Client; bucket: string; prefix?: string };
}

/** Writes the intent first: the ingest reads who sent the file and what for from it alone. */
async function intentFor(
  store: Parameters<Pipeline['submitReturn']>[0],
  input: ReturnUpload | UploadUrlRequest,
): Promise<string> {
  authoriseSubmission(input.reference, input.submittedBy, input.contract.id, input.period);
  const uploadId = newUploadId(input.now);
  await writeIntent(store, {
    upload_id: uploadId,
    contract_id: input.contract.id,
    period: input.period,
    file_name: input.fileName.split(/[\\/]/).pop()?.slice(0, 255) || 'upload',
    submitted_by: input.submittedBy,
    requested_at: input.now.toISOString(),
    from: input.from,
  });
  return uploadId;
}

export function queuedPipeline(options: QueuedPipelineOptions): Pipeline {
  const prefix = options.uploads.prefix
    ? options.uploads.prefix.endsWith('/')
      ? options.uploads.prefix
      : `${options.uploads.prefix}/`
    : '';
  return {
    mode: 'queued',

    async submitReturn(store, upload) {
      const uploadId = await intentFor(store, upload);
      await store.put(incomingFileKey(uploadId), upload.bytes, {
        contentType: 'application/octet-stream',
      });
      return { queued: true, uploadId };
    },

    async uploadUrl(store, request) {
      const uploadId = await intentFor(store, request);
      const command = new PutObjectCommand({
        Bucket: options.uploads.bucket,
        Key: `${prefix}${incomingFileKey(uploadId)}`,
      });
      const url = await getSignedUrl(options.uploads.client, command, {
        expiresIn: UPLOAD_URL_SECONDS,
      });
      return {
        upload_id: uploadId,
        url,
        method: 'PUT',
        expires_at: new Date(request.now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
      };
    },

    async rebuildAll(_store, reason, now) {
      await options.requests.send(
        { full: true, reason },
        `full-${now.getTime()}-${randomBytes(4).toString('hex')}`,
      );
      return 'requested';
    },
  };
}
