/**
 * What the routes write to the audit log (pipelines/audit/audit-log.ts), in one place so the
 * page and the API describe the same action in the same words.
 */
import type { Context } from 'hono';
import { audit } from '../../../pipelines/audit/audit-log.js';
import type { IngestResult } from '../../../pipelines/ingest/ingest.js';
import type { Review } from '../../../pipelines/review/review.js';
import type { ObjectStore } from '../../../pipelines/store/object-store.js';

/**
 * The client's address as the server saw it: the first address of X-Forwarded-For, which
 * CloudFront and API Gateway set, else `unknown` (a local Node server sees no proxy header).
 */
export function clientAddress(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded ? forwarded.slice(0, 100) : 'unknown';
}

/** @example uploadDetail({ receipt, duplicate: false }) // 'accepted, version 2' */
export function uploadDetail({ receipt, duplicate }: IngestResult): string {
  if (duplicate) return `duplicate of ${receipt.id}`;
  if (receipt.status === 'accepted') return `accepted, version ${receipt.version}`;
  return `rejected, ${receipt.counts.errors} ${receipt.counts.errors === 1 ? 'error' : 'errors'}`;
}

export async function auditUpload(store: ObjectStore, c: Context, who: string, result: IngestResult, now: Date): Promise<void> {
  await audit(store, { who, action: 'upload', target: result.receipt.id, detail: uploadDetail(result), from: clientAddress(c) }, now);
}

export async function auditReview(store: ObjectStore, c: Context, review: Review, now: Date): Promise<void> {
  await audit(
    store,
    {
      who: review.by,
      action: review.decision === 'accepted' ? 'accept_return' : 'query_return',
      target: review.receipt_id,
      detail: review.decision === 'accepted' ? `accepted ${review.contract_id} ${review.period}` : `queried ${review.contract_id} ${review.period}: ${review.message ?? ''}`,
      from: clientAddress(c),
    },
    now,
  );
}

export async function auditSignIn(store: ObjectStore, c: Context, who: string, now: Date): Promise<void> {
  await audit(store, { who, action: 'sign_in', target: null, detail: 'signed in', from: clientAddress(c) }, now);
}
