/**
 * The record of contract managers' decisions on returns, as stored: one object per decision
 * under `reviews/`, never rewritten (./review.ts records them). Read here without the ingest,
 * so the ingest can ask whether a return is locked (./approval.ts) without an import cycle.
 *
 *   reviews/<contract>/<period>/<at>-<receipt id>.json
 */
import { z } from 'zod';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { periodSchema, slug } from '../reference/schema.js';

export const REVIEWS_PREFIX = 'reviews/';
export const MESSAGE_MAX = 2000;

export const decisions = ['accepted', 'queried'] as const;
export type Decision = (typeof decisions)[number];

const receiptIdSchema = z
  .string()
  .regex(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/, 'a receipt id such as 20250414T101502123Z-ab12cd34');

export const reviewSchema = z
  .object({
    receipt_id: receiptIdSchema,
    contract_id: slug,
    period: periodSchema,
    decision: z.enum(decisions),
    /** Plain text for the provider: required for a query, null for an acceptance with nothing to say. */
    message: z.string().max(MESSAGE_MAX).nullable(),
    /** The id of the user who decided. */
    by: slug,
    at: z.iso.datetime(),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'queried' && (r.message === null || r.message.trim() === ''))
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'a query needs a message' });
  });

export type Review = z.infer<typeof reviewSchema>;

/** `reviews/<contract>/<period>/`, or every review of a contract when no period is given. */
export function reviewPrefix(contractId: string, period?: string): string {
  return period === undefined
    ? `${REVIEWS_PREFIX}${contractId}/`
    : `${REVIEWS_PREFIX}${contractId}/${period}/`;
}

/** `reviews/<contract>/<period>/<at>-<receipt>.json` */
export function reviewKey(
  review: Pick<Review, 'contract_id' | 'period' | 'at' | 'receipt_id'>,
): string {
  return `${reviewPrefix(review.contract_id, review.period)}${review.at.replace(/[-:.]/g, '')}-${review.receipt_id}.json`;
}

/** Every decision on a contract's returns (for one period when given), oldest first. */
export async function reviewsFor(
  store: ObjectStore,
  contractId: string,
  period?: string,
): Promise<Review[]> {
  const keys = (await store.list(reviewPrefix(contractId, period))).filter((k) =>
    k.endsWith('.json'),
  );
  const values = await Promise.all(keys.map((k) => getJson(store, k)));
  return values
    .map((v, i) => {
      const parsed = reviewSchema.safeParse(v);
      if (!parsed.success)
        throw new Error(
          `The review ${keys[i]} is damaged: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        );
      return parsed.data;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The decision that counts for each receipt: the newest. */
export function newestReviews(reviews: readonly Review[]): Map<string, Review> {
  const newest = new Map<string, Review>();
  for (const r of reviews) {
    const seen = newest.get(r.receipt_id);
    if (!seen || r.at >= seen.at) newest.set(r.receipt_id, r);
  }
  return newest;
}
