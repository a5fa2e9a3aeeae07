/**
 * Whether the marts in force lag the receipts (ADR 027): a build that failed after its receipt
 * was written (a full disk, a lost connection) leaves the return received but not in the marts.
 * Each manifest records how many receipts of each contract its marts include; receipts are
 * never deleted, so a contract with more receipts in the store than that has marts behind. The
 * next ingest, `start` and the transform function rebuild those contracts, and pages say so.
 */
import { zones, type ObjectStore } from '../store/object-store.js';
import { readCurrentManifest, type BuildManifest } from './curated.js';
import { receiptKeyParts } from '../ingest/receipt.js';

/** A return received but not (yet) in the marts in force. */
export interface ReturnNotInMarts {
  contract_id: string;
  period: string;
  receipt_id: string;
}

export interface MartsLag {
  /** The contracts whose marts include fewer receipts than the store holds, in order. */
  contracts: string[];
  /**
   * The receipts newer than the newest each such contract's marts include, oldest first: the
   * returns the marts lack (two builds racing can leave an older one out too; the count is exact).
   */
  missing: ReturnNotInMarts[];
}

/**
 * Compares the receipts in the store (their keys only: one listing, no reads) with what the
 * build in force includes. No build yet, or a build from before ADR 027, counts as including
 * nothing.
 *
 * @example const lag = await martsLag(store, await readCurrentManifest(store)); if (lag.contracts.length) await rebuild(store, { contracts: lag.contracts });
 */
export async function martsLag(
  store: ObjectStore,
  manifest: BuildManifest | null,
): Promise<MartsLag> {
  const byContract = new Map<string, ReturnNotInMarts[]>();
  for (const key of await store.list(zones.submissions)) {
    const parts = receiptKeyParts(key);
    if (!parts) continue;
    const { contract_id } = parts;
    if (!byContract.has(contract_id)) byContract.set(contract_id, []);
    byContract.get(contract_id)!.push(parts);
  }
  const contracts: string[] = [];
  const missing: ReturnNotInMarts[] = [];
  for (const [contract, receipts] of [...byContract].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const included = manifest?.receipts?.[contract];
    if (receipts.length <= (included?.count ?? 0)) continue;
    contracts.push(contract);
    missing.push(
      ...receipts
        .filter((r) => included === undefined || r.receipt_id > included.newest)
        .sort((a, b) => (a.receipt_id < b.receipt_id ? -1 : 1)),
    );
  }
  return { contracts, missing };
}

/** The lag of the marts in force behind the receipts in the store. */
export async function currentLag(store: ObjectStore): Promise<MartsLag> {
  return martsLag(store, await readCurrentManifest(store));
}

/**
 * The returns the marts lack, in words for a message or a page: "the return for plp-a 2025-04"
 * or "3 returns (plp-a 2025-04, plp-b 2025-04, …)".
 *
 * @example describeMissing(lag.missing) // 'the return for plp-a 2025-04'
 */
export function describeMissing(missing: readonly ReturnNotInMarts[], most = 3): string {
  const names = [...new Set(missing.map((r) => `${r.contract_id} ${r.period}`))];
  if (names.length === 0) return 'every return received';
  if (names.length === 1) return `the return for ${names[0]}`;
  const shown = names.slice(0, most).join(', ');
  return `${names.length} returns (${shown}${names.length > most ? ', …' : ''})`;
}
