/**
 * Queued uploads (ADR 015): in AWS a return is not ingested inside the web request. The app
 * writes who is uploading what (`incoming/<uploadId>/intent.json`), then the bytes arrive at
 * `incoming/<uploadId>/file` (from the app, or straight from the client with a presigned URL),
 * and the ingest function runs `ingestUpload`: the same `ingestReturn` as locally, then the
 * outcome at `uploads/<uploadId>.json` for the app to show.
 *
 * The intent is written before any URL is issued, so the ingest trusts only what the app wrote,
 * never metadata a client sent with the file. Outcomes are written once (putIfAbsent): a
 * redelivered message finds the outcome and changes nothing. Outcomes hold counts and ids, never
 * row values, so anyone who may see the contract may read one.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { auditIngest } from '../audit/upload-audit.js';
import { periodSchema, slug, type ReferenceData } from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { defaultLimits } from '../validate/limits.js';
import { IngestRefusedError, ingestReturn, type IngestResult } from './ingest.js';
import { loadReference } from './reference-store.js';

const uploadIdPattern = /^\d{8}T\d{9}Z-[0-9a-f]{12}$/;
export const uploadIdSchema = z
  .string()
  .regex(uploadIdPattern, 'an upload id such as 20261126T120000000Z-0123456789ab');

/** `20261126T120000000Z-0123456789ab`: sorts by time, and cannot be guessed. */
export function newUploadId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(6).toString('hex')}`;
}

export function isUploadId(value: string): boolean {
  return uploadIdPattern.test(value);
}

export const INCOMING_PREFIX = 'incoming/';
export const UPLOADS_PREFIX = 'uploads/';

export function intentKey(uploadId: string): string {
  return `${INCOMING_PREFIX}${uploadIdSchema.parse(uploadId)}/intent.json`;
}

export function incomingFileKey(uploadId: string): string {
  return `${INCOMING_PREFIX}${uploadIdSchema.parse(uploadId)}/file`;
}

export function outcomeKey(uploadId: string): string {
  return `${UPLOADS_PREFIX}${uploadIdSchema.parse(uploadId)}.json`;
}

/**
 * The app's copy of the intent, in the working bucket, for the status page: the API function
 * may put into `incoming/` but not read it (ADR 015's grants), so it never looks there.
 */
export function pendingKey(uploadId: string): string {
  return `${UPLOADS_PREFIX}${uploadIdSchema.parse(uploadId)}.intent.json`;
}

/** The upload id in `incoming/<uploadId>/file`, or null for any other key. */
export function uploadIdOfFileKey(key: string): string | null {
  const match = /^incoming\/([^/]+)\/file$/.exec(key);
  return match && isUploadId(match[1]!) ? match[1]! : null;
}

export const intentSchema = z.object({
  upload_id: uploadIdSchema,
  contract_id: slug,
  period: periodSchema,
  file_name: z.string().min(1).max(255),
  submitted_by: slug,
  requested_at: z.iso.datetime(),
  /** The client address the app saw, for the audit log. */
  from: z.string(),
});
export type UploadIntent = z.infer<typeof intentSchema>;

export const outcomeSchema = z.object({
  upload_id: uploadIdSchema,
  /** Null only when the file came with no intent, so no one knows whose it is. */
  contract_id: slug.nullable(),
  period: periodSchema.nullable(),
  status: z.enum(['accepted', 'rejected', 'duplicate', 'refused']),
  /** The receipt (for a duplicate, the earlier one); null when refused. */
  receipt_id: z.string().nullable(),
  version: z.number().int().positive().nullable(),
  counts: z
    .object({ rows: z.number().int(), errors: z.number().int(), warnings: z.number().int() })
    .nullable(),
  /** Why it was refused, in words for the uploader; null otherwise. */
  message: z.string().nullable(),
  decided_at: z.iso.datetime(),
});
export type UploadOutcome = z.infer<typeof outcomeSchema>;

/**
 * Writes the intent, in `incoming/` for the ingest and a copy under `uploads/` for the app; it
 * must exist before the file does (the app writes it, then the file or a URL for it). Plain
 * puts: the API may not read `incoming/`, which putIfAbsent's check would need, and an upload id
 * is never made twice (the time to the millisecond and 48 random bits).
 */
export async function writeIntent(store: ObjectStore, intent: UploadIntent): Promise<void> {
  const checked = intentSchema.parse(intent);
  const body = JSON.stringify(checked, null, 2) + '\n';
  await store.put(intentKey(checked.upload_id), body, { contentType: 'application/json' });
  await store.put(pendingKey(checked.upload_id), body, { contentType: 'application/json' });
}

/** The intent the ingest trusts: the one in `incoming/`. */
export async function readIntent(
  store: ObjectStore,
  uploadId: string,
): Promise<UploadIntent | null> {
  return readIntentAt(store, intentKey(uploadId));
}

async function readIntentAt(store: ObjectStore, key: string): Promise<UploadIntent | null> {
  const value = await getJson(store, key);
  if (value === null) return null;
  const parsed = intentSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`${key} is not a valid upload intent: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function readOutcome(
  store: ObjectStore,
  uploadId: string,
): Promise<UploadOutcome | null> {
  const value = await getJson(store, outcomeKey(uploadId));
  if (value === null) return null;
  const parsed = outcomeSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `${outcomeKey(uploadId)} is not a valid upload outcome: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

export type UploadStatus =
  | { state: 'unknown' }
  | { state: 'checking'; intent: UploadIntent }
  | { state: 'done'; intent: UploadIntent | null; outcome: UploadOutcome };

/** Where an upload has got to, for the app's status page and API: read from `uploads/` alone. */
export async function uploadStatus(store: ObjectStore, uploadId: string): Promise<UploadStatus> {
  if (!isUploadId(uploadId)) return { state: 'unknown' };
  const [intent, outcome] = await Promise.all([
    readIntentAt(store, pendingKey(uploadId)),
    readOutcome(store, uploadId),
  ]);
  if (outcome) return { state: 'done', intent, outcome };
  return intent ? { state: 'checking', intent } : { state: 'unknown' };
}

export interface IngestUploadOptions {
  reference?: ReferenceData;
  /** The file's size when known without reading it (an S3 event says it): a file over the limit is refused unread. */
  size?: number;
  /** When the file was received (the S3 event time); default now. */
  now?: Date;
  /** Largest file accepted; default the validator's. */
  maxFileBytes?: number;
}

export interface IngestUploadResult {
  outcome: UploadOutcome;
  /** False when an outcome was already there (a redelivered message): nothing was done. */
  written: boolean;
  /** The contracts whose marts should be rebuilt. */
  rebuild: string[];
}

/**
 * Ingests one queued upload and records its outcome.
 *
 * @throws when the store fails (so the message is retried, then goes to the dead-letter queue);
 *   a refusal is an outcome, not an error, since trying again would refuse again.
 */
export async function ingestUpload(
  store: ObjectStore,
  uploadId: string,
  options: IngestUploadOptions = {},
): Promise<IngestUploadResult> {
  uploadIdSchema.parse(uploadId);
  const earlier = await readOutcome(store, uploadId);
  // Asking again for an accepted upload costs one incremental build at most, and covers a
  // failure between the outcome and the request the first time.
  if (earlier)
    return {
      outcome: earlier,
      written: false,
      rebuild: earlier.status === 'accepted' && earlier.contract_id ? [earlier.contract_id] : [],
    };

  const now = options.now ?? new Date();
  const intent = await readIntent(store, uploadId);
  const base = {
    upload_id: uploadId,
    contract_id: intent?.contract_id ?? null,
    period: intent?.period ?? null,
    decided_at: now.toISOString(),
  };
  const refused = (message: string) =>
    record(
      store,
      { ...base, status: 'refused', receipt_id: null, version: null, counts: null, message },
      [],
    );

  if (!intent)
    return refused(
      'Outturn has no record of who sent this file or what it is for, so it was not read. Upload it again from the contract’s returns page.',
    );
  const limit = options.maxFileBytes ?? defaultLimits.maxFileBytes;
  const tooLarge = (bytes: number) =>
    refused(
      `The file is ${(bytes / 1048576).toFixed(1)} MB; Outturn accepts returns of up to ${Math.round(limit / 1048576)} MB. Check it is one contract’s return for one month, saved as CSV or XLSX.`,
    );
  if (options.size !== undefined && options.size > limit) return tooLarge(options.size);

  const bytes = await store.get(incomingFileKey(uploadId));
  if (bytes === null)
    throw new Error(
      `The upload ${uploadId} has no file at ${incomingFileKey(uploadId)} in ${store.description} yet.`,
    );
  if (bytes.length > limit) return tooLarge(bytes.length);

  const reference = options.reference ?? (await loadReference(store));
  let result: IngestResult;
  try {
    result = await ingestReturn({
      store,
      bytes,
      fileName: intent.file_name,
      contractId: intent.contract_id,
      period: intent.period,
      submittedBy: intent.submitted_by,
      reference,
      now,
    });
  } catch (e) {
    if (e instanceof IngestRefusedError) return refused(e.message);
    throw e;
  }
  await auditIngest(store, intent.submitted_by, result, intent.from, now);
  const { receipt, duplicate } = result;
  const outcome: UploadOutcome = {
    ...base,
    status: duplicate ? 'duplicate' : receipt.status,
    receipt_id: receipt.id,
    version: receipt.status === 'accepted' ? receipt.version : null,
    counts: receipt.counts,
    message: null,
  };
  return record(
    store,
    outcome,
    !duplicate && receipt.status === 'accepted' ? [receipt.contract_id] : [],
  );
}

/** Writes the outcome once; if another delivery wrote one first, that one stands. */
async function record(
  store: ObjectStore,
  outcome: UploadOutcome,
  rebuild: string[],
): Promise<IngestUploadResult> {
  const checked = outcomeSchema.parse(outcome);
  if (
    await store.putIfAbsent(
      outcomeKey(checked.upload_id),
      JSON.stringify(checked, null, 2) + '\n',
      { contentType: 'application/json' },
    )
  )
    return { outcome: checked, written: true, rebuild };
  const earlier = await readOutcome(store, checked.upload_id);
  if (!earlier)
    throw new Error(`${outcomeKey(checked.upload_id)} could not be written, nor read back.`);
  return {
    outcome: earlier,
    written: false,
    rebuild: earlier.status === 'accepted' && earlier.contract_id ? [earlier.contract_id] : [],
  };
}
