/**
 * Receipts as the web shows them. `readReceipt` belongs in pipelines/ingest beside
 * `listReceipts`; it is here until the pipeline grows a reader for one receipt.
 */
import type { Receipt } from '../../pipelines/ingest/receipt.js';
import { parseReceipt, receiptKey } from '../../pipelines/ingest/receipt.js';
import { periodSchema } from '../../pipelines/reference/schema.js';
import { withoutGroups } from '../../pipelines/validate/report.js';
import { getJson, type ObjectStore } from '../../pipelines/store/object-store.js';

const receiptIdPattern = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/** One receipt, or null when there is none (or the period or id could not name one). */
export async function readReceipt(
  store: ObjectStore,
  contractId: string,
  period: string,
  id: string,
): Promise<Receipt | null> {
  if (!periodSchema.safeParse(period).success || !receiptIdPattern.test(id)) return null;
  const key = receiptKey(contractId, period, id);
  const value = await getJson(store, key);
  return value === null ? null : parseReceipt(value, key);
}

/** A receipt without its report, for lists. */
export function receiptSummary(r: Receipt) {
  return {
    id: r.id,
    contract_id: r.contract_id,
    period: r.period,
    status: r.status,
    version: r.version,
    kind: r.kind,
    submitted_by: r.submitted_by,
    submitted_at: r.submitted_at,
    file: r.file,
    counts: r.counts,
    href: receiptPath(r),
  };
}

export function receiptPath(r: Pick<Receipt, 'contract_id' | 'period' | 'id'>): string {
  return `/api/returns/${encodeURIComponent(r.contract_id)}/${r.period}/${r.id}`;
}

/**
 * The receipt for someone who may not see participant rows: the report keeps its counts and
 * rules but loses its problem list, whose values are cells of the return.
 */
export function withoutRowValues(r: Receipt): Receipt {
  return {
    ...r,
    report: {
      ...withoutGroups(r.report),
      problems: [],
      unlisted: r.report.problems.length + r.report.unlisted,
    },
  };
}
