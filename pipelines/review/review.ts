/**
 * A contract manager's decision on an accepted return: accept it, or query it with a message
 * the provider sees. Each decision is its own object under `reviews/`, never rewritten, so the
 * record shows every change of mind; only the newest decision on a receipt counts.
 *
 *   reviews/<contract>/<period>/<at>-<receipt id>.json
 *
 * `<at>` is the decision's UTC instant to the millisecond with the punctuation taken out, so a
 * listing reads oldest first.
 */
import { OutturnError, type Failure } from '../errors.js';
import { listReceipts } from '../ingest/ingest.js';
import type { ObjectStore } from '../store/object-store.js';
import {
  decisions,
  MESSAGE_MAX,
  reviewKey,
  reviewSchema,
  type Decision,
  type Review,
} from './records.js';

export * from './records.js';

/** What a reviewer answered on the form, before it is checked. */
export interface ReviewAnswers {
  decision: unknown;
  message: unknown;
}

export type CheckedAnswers =
  | { ok: true; decision: Decision; message: string | null }
  | {
      ok: false;
      decision: string;
      message: string;
      errors: { decision?: string; message?: string };
    };

/**
 * The form's answers, or what to say about each that is missing or wrong, in the words the
 * page shows.
 *
 * @example checkAnswers({ decision: 'queried', message: '' }) // { ok: false, errors: { message: 'Enter a message…' } }
 */
export function checkAnswers(answers: ReviewAnswers): CheckedAnswers {
  const decision = typeof answers.decision === 'string' ? answers.decision.trim() : '';
  // Browsers send CRLF line breaks; keep the provider's view to plain LF.
  const message =
    typeof answers.message === 'string' ? answers.message.replace(/\r\n?/g, '\n').trim() : '';
  const errors: { decision?: string; message?: string } = {};
  if (!(decisions as readonly string[]).includes(decision))
    errors.decision = 'Select whether you accept the return or query it';
  if (decision === 'queried' && message === '')
    errors.message = 'Enter a message telling the provider what to check or correct';
  if (message.length > MESSAGE_MAX)
    errors.message = `The message must be ${MESSAGE_MAX} characters or fewer`;
  if (errors.decision || errors.message) return { ok: false, decision, message, errors };
  return { ok: true, decision: decision as Decision, message: message === '' ? null : message };
}

export type ReviewRefusal = 'invalid' | 'no_receipt' | 'not_accepted' | 'conflict';

const failures: Record<ReviewRefusal, Failure> = {
  invalid: 'bad-input',
  no_receipt: 'not-found',
  not_accepted: 'conflict',
  conflict: 'conflict',
};

export class ReviewRefusedError extends OutturnError {
  constructor(
    readonly reason: ReviewRefusal,
    message: string,
  ) {
    super(failures[reason], message);
    this.name = 'ReviewRefusedError';
  }
}

export interface ReviewInput extends ReviewAnswers {
  contractId: string;
  receiptId: string;
  /** The reviewer's user id; whether they may review is the caller's check (pipelines/access `review-contract`). */
  by: string;
}

/**
 * Records a decision on an accepted receipt.
 *
 * @example await reviewReturn(store, { contractId: 'plp-test', receiptId, decision: 'queried', message: 'Row 4: check the start date', by: 'cm-north' })
 */
export async function reviewReturn(
  store: ObjectStore,
  input: ReviewInput,
  now: Date = new Date(),
): Promise<Review> {
  const checked = checkAnswers(input);
  if (!checked.ok)
    throw new ReviewRefusedError('invalid', Object.values(checked.errors).join('. '));
  const receipt = (await listReceipts(store, { contractId: input.contractId })).find(
    (r) => r.id === input.receiptId,
  );
  if (!receipt)
    throw new ReviewRefusedError(
      'no_receipt',
      `There is no receipt "${input.receiptId}" for contract "${input.contractId}".`,
    );
  if (receipt.status !== 'accepted')
    throw new ReviewRefusedError(
      'not_accepted',
      'This return was not accepted, so there is nothing to accept or query: the provider needs to fix it and send it again.',
    );
  // Two decisions on one receipt in the same millisecond: the later is stamped a millisecond
  // on, so each keeps its own object and the order they arrived in stays the order they read.
  for (let attempt = 0; attempt < 10; attempt++) {
    const review = reviewSchema.parse({
      receipt_id: receipt.id,
      contract_id: receipt.contract_id,
      period: receipt.period,
      decision: checked.decision,
      message: checked.message,
      by: input.by,
      at: new Date(now.getTime() + attempt).toISOString(),
    });
    if (
      await store.putIfAbsent(reviewKey(review), JSON.stringify(review, null, 2) + '\n', {
        contentType: 'application/json',
      })
    )
      return review;
  }
  throw new ReviewRefusedError(
    'conflict',
    'Other decisions on this return were being recorded at the same moment. Check the return and try again.',
  );
}
