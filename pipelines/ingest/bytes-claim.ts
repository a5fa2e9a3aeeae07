/**
 * Duplicate bytes recognised across processes (ADR 027). Two processes given the same file for
 * the same return at once both find no earlier receipt; the one that writes the claim
 * (`putIfAbsent`, ./receipt.ts `bytesClaimKey`) validates and writes the receipt, and the other
 * waits for that receipt and answers with it, as for any re-sent file.
 */
import { z } from 'zod';
import { getJson, putJson, type ObjectStore } from '../store/object-store.js';
import { bytesClaimKey, parseReceipt, receiptKey, type Receipt } from './receipt.js';

const claimSchema = z.object({
  receipt_id: z.string(),
  /** The taker's real clock, in ms: a claim this old whose receipt never came was left by a crash. */
  claimed_at_ms: z.number(),
  /** Set by a taker that failed before writing its receipt: the next generation is free. */
  released: z.boolean().optional(),
});

/** Longer than any ingest takes (a Lambda function stops at 15 minutes). */
export const STALE_CLAIM_MS = 20 * 60 * 1000;
const POLL_MS = 100;

export type BytesClaim =
  /** This process took the bytes: validate, write the receipt `receiptId`, then or `release`. */
  | { taken: true; release: () => Promise<void> }
  /** Another process took them and wrote this receipt. */
  | { taken: false; receipt: Receipt };

/**
 * Takes the claim on these bytes for this return, or waits for the receipt of the process that
 * holds it. Generations start at 1; a released or stale claim moves on to the next, and so does
 * one whose receipt the caller already knows (`spent`): re-sending those bytes later is a
 * restore or a duplicate, decided by the caller (ADR 023), and a restore needs a claim of its own.
 */
export async function claimBytes(
  store: ObjectStore,
  contractId: string,
  period: string,
  sha256: string,
  receiptId: string,
  /** Receipts for these bytes already listed by the caller: their claims are spent (ADR 023). */
  spent: ReadonlySet<string> = new Set(),
): Promise<BytesClaim> {
  for (let generation = 1; ;) {
    const key = bytesClaimKey(contractId, period, sha256, generation);
    const claim = { receipt_id: receiptId, claimed_at_ms: Date.now() };
    if (
      await store.putIfAbsent(key, JSON.stringify(claim) + '\n', {
        contentType: 'application/json',
      })
    )
      return {
        taken: true,
        release: () => putJson(store, key, { ...claim, released: true }),
      };
    const held = claimSchema.parse(await getJson(store, key));
    if (
      held.released ||
      spent.has(held.receipt_id) ||
      Date.now() - held.claimed_at_ms > STALE_CLAIM_MS
    ) {
      generation++;
      continue;
    }
    const receipt = await getJson(store, receiptKey(contractId, period, held.receipt_id));
    if (receipt !== null)
      return {
        taken: false,
        receipt: parseReceipt(receipt, receiptKey(contractId, period, held.receipt_id)),
      };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
