/** Receipts as the API shows them: a summary for lists, the address of one, and a copy without row values. */
import type { Receipt } from '../../pipelines/ingest/receipt.js';
import { withoutGroups } from '../../pipelines/validate/report.js';

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
