/**
 * The queued pipeline (ADR 015): uploads are written to the raw bucket's `incoming/` with the
 * intent beside them, and ingested by the ingest function; rebuilds are asked of the transform
 * queue. Only this file knows uploads land in S3: presigning needs the raw bucket and a client.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { randomBytes } from 'node:crypto';
import { authoriseSubmission } from '../../pipelines/access/index.js';
import { assertReturnOpen } from '../../pipelines/review/approval.js';
import { incomingFileKey, newUploadId, writeIntent } from '../../pipelines/ingest/queued-upload.js';
import type { TransformRequests } from '../../pipelines/transform/requests.js';
import { defaultLimits } from '../../pipelines/validate/limits.js';
import { WebError } from './errors.js';
import type { Intake, ReturnUpload, UploadLimits, UploadUrlRequest } from './intake.js';

/** How long a presigned upload URL works. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/**
 * In AWS a request reaches the app as a synchronous Lambda invocation, whose event may be at
 * most 6 MB; API Gateway base64-encodes a multipart body (4 bytes for every 3), so a file in a
 * form must stay under about 4.4 MB. 4 MB leaves room for the form around it and the headers.
 * Larger files, up to the validator's limit, go straight to S3 with an upload URL.
 */
export const LAMBDA_REQUEST_FILE_BYTES = 4 * 1024 * 1024;

export const queuedUploadLimits: UploadLimits = {
  requestFileBytes: LAMBDA_REQUEST_FILE_BYTES,
  uploadUrlFileBytes: defaultLimits.maxFileBytes,
};

export interface QueuedIntakeOptions {
  /** Where rebuilds are asked for (the transform FIFO queue). */
  requests: TransformRequests;
  /** The raw bucket as the store sees it, for presigned PUTs of `incoming/<uploadId>/file`. */
  uploads: { client: S3Client; bucket: string; prefix?: string };
}

/** Writes the intent first: the ingest reads who sent the file and what for from it alone. */
async function intentFor(
  store: Parameters<Intake['submitReturn']>[0],
  input: ReturnUpload | UploadUrlRequest,
): Promise<string> {
  authoriseSubmission(input.reference, input.submittedBy, input.contract.id, input.period);
  // Said at once; the ingest function checks again when it takes the file.
  await assertReturnOpen(
    store,
    input.reference,
    input.submittedBy,
    input.contract.id,
    input.period,
    input.now,
  );
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

export function queuedIntake(options: QueuedIntakeOptions): Intake {
  const prefix = options.uploads.prefix
    ? options.uploads.prefix.endsWith('/')
      ? options.uploads.prefix
      : `${options.uploads.prefix}/`
    : '';
  return {
    mode: 'queued',
    uploadLimits: queuedUploadLimits,

    async submitReturn(store, upload) {
      const uploadId = await intentFor(store, upload);
      await store.put(incomingFileKey(uploadId), upload.bytes, {
        contentType: 'application/octet-stream',
      });
      return { queued: true, uploadId };
    },

    async uploadUrl(store, request) {
      const limit = queuedUploadLimits.uploadUrlFileBytes!;
      if (request.fileBytes > limit)
        throw new WebError(
          413,
          `The file is ${request.fileBytes} bytes; Outturn takes returns of up to ${limit} bytes (${limit / 1024 / 1024} MB). Check it is the right file.`,
        );
      const uploadId = await intentFor(store, request);
      // S3 takes no size range for a presigned PUT (only a presigned POST's policy has
      // content-length-range), but a signed Content-Length must match the PUT's own: the URL
      // takes the stated number of bytes and no other (docs/decisions/026-web-hardening.md).
      const command = new PutObjectCommand({
        Bucket: options.uploads.bucket,
        Key: `${prefix}${incomingFileKey(uploadId)}`,
        ContentLength: request.fileBytes,
      });
      const url = await getSignedUrl(options.uploads.client, command, {
        expiresIn: UPLOAD_URL_SECONDS,
        signableHeaders: new Set(['content-length']),
      });
      return {
        upload_id: uploadId,
        url,
        method: 'PUT',
        expires_at: new Date(request.now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
      };
    },

    async rebuildContract(_store, contractId, reason, now) {
      await options.requests.send(
        { contracts: [contractId], reason },
        `version-${contractId}-${now.getTime()}-${randomBytes(4).toString('hex')}`,
      );
      return { requested: true };
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
