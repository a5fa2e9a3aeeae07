/**
 * What the routes write to the audit log (pipelines/audit/audit-log.ts), in one place so the
 * page and the API describe the same action in the same words.
 */
import type { Context } from 'hono';
import { audit } from '../../../pipelines/audit/audit-log.js';
import { uploadDetail } from '../../../pipelines/audit/upload-audit.js';
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

/** Uploads are audited by the pipeline (pipelines/audit/upload-audit.ts), locally and in AWS alike. */
export { uploadDetail };

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
