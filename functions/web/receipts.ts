/**
 * Receipts as the API shows them: a summary for lists (its shape declared once, as a zod schema,
 * from which the OpenAPI document is generated), the address of one, and a copy without row values.
 */
import { z } from 'zod';
import {
  acceptedReceiptSchema,
  rejectedReceiptSchema,
  type Receipt,
} from '../../pipelines/ingest/receipt.js';
import { withoutGroups } from '../../pipelines/validate/report.js';

const summaryFields = {
  id: true,
  contract_id: true,
  period: true,
  status: true,
  version: true,
  kind: true,
  submitted_by: true,
  submitted_at: true,
  file: true,
  counts: true,
} as const;
const href = z.string().describe('The receipt’s own URL.');

/** A receipt without its report, for lists: the receipt's own fields, and its URL. */
export const receiptSummarySchema = z.discriminatedUnion('status', [
  acceptedReceiptSchema.pick(summaryFields).extend({ href }),
  rejectedReceiptSchema.pick(summaryFields).extend({ href }),
]);
export type ReceiptSummary = z.infer<typeof receiptSummarySchema>;

/** A receipt without its report, for lists (zod keeps only the summary's fields). */
export function receiptSummary(r: Receipt): ReceiptSummary {
  return receiptSummarySchema.parse({ ...r, href: receiptPath(r) });
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
