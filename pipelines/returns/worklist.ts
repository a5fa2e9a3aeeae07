/**
 * Each user's month as a list of things to do: for a provider, each contract's next return and
 * deadline, returns late or missing, and queries to answer; for a contract manager, the same
 * across the portfolio plus the returns waiting for review. Which contracts a user sees is the
 * caller's choice (pipelines/access); this module only reads their receipts and reviews.
 */
import { inForceOf, listSubmissions } from '../ingest/ingest.js';
import type { AcceptedReceipt } from '../ingest/receipt.js';
import type { Contract } from '../reference/schema.js';
import { newestReviews, reviewsFor, type Review } from '../review/review.js';
import type { ObjectStore } from '../store/object-store.js';
import { nextReturn, returnsOwed, type OwedReturn } from './due.js';

export interface ContractWork {
  contract: Contract;
  /** The return to send next and its deadline; null when every return of the term is in. */
  next: { period: string; deadline: string } | null;
  /** Returns whose deadline has passed with nothing accepted (missing or every file refused), oldest first. */
  overdue: OwedReturn[];
  /** Returns accepted after their deadline, newest first (the record, nothing to do). */
  late: OwedReturn[];
  /** Queries on the version in force not yet answered by a later file, oldest first. */
  queries: { receipt: AcceptedReceipt; review: Review }[];
  /** Versions in force with no decision yet, oldest first: the contract manager's queue. */
  awaitingReview: AcceptedReceipt[];
}

/** Contracts read at once. */
const CONCURRENCY = 8;

/**
 * The work on each contract as at `asAt` (a day number), in the order given.
 *
 * @example await worklist(store, visibleContracts(user, reference), today(deps.now()))
 */
export async function worklist(
  store: ObjectStore,
  contracts: readonly Contract[],
  asAt: number,
): Promise<ContractWork[]> {
  const out: ContractWork[] = new Array(contracts.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < contracts.length; i = next++)
      out[i] = await contractWork(store, contracts[i]!, asAt);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, contracts.length) }, worker));
  return out;
}

async function contractWork(
  store: ObjectStore,
  contract: Contract,
  asAt: number,
): Promise<ContractWork> {
  const [{ receipts, actions }, reviews] = await Promise.all([
    listSubmissions(store, { contractId: contract.id }),
    reviewsFor(store, contract.id),
  ]);
  const owed = returnsOwed(contract, receipts, asAt);
  const decided = newestReviews(reviews);
  const inForce = inForceOf(receipts, actions);
  const queries: ContractWork['queries'] = [];
  const awaitingReview: AcceptedReceipt[] = [];
  for (const receipt of inForce) {
    const review = decided.get(receipt.id);
    if (!review) awaitingReview.push(receipt);
    else if (review.decision === 'queried') queries.push({ receipt, review });
  }
  return {
    contract,
    next: nextReturn(contract, owed, asAt),
    overdue: owed.filter((o) => o.state === 'missing' || o.state === 'refused'),
    late: owed.filter((o) => o.state === 'late').reverse(),
    queries,
    awaitingReview,
  };
}
