/** The transform's inputs, read from the store: reference data, receipts and staged files. */
import { ensureChangeRecords } from '../ingest/changes.js';
import { listReceipts } from '../ingest/ingest.js';
import type { Receipt } from '../ingest/receipt.js';
import { loadReference } from '../ingest/reference-store.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ReceiptRecord, TransformInputs } from './sources.js';

export function receiptRecord(r: Receipt): ReceiptRecord {
  return {
    id: r.id,
    contract_id: r.contract_id,
    period: r.period,
    kind: r.kind,
    submitted_by: r.submitted_by,
    submitted_at: r.submitted_at,
    status: r.status,
    version: r.status === 'accepted' ? r.version : null,
    staged_key: r.status === 'accepted' ? r.staged_key : null,
    counts: r.counts,
    warnings: r.report.problems
      .filter((p) => p.severity === 'warning')
      .map((p) => ({ rule: p.rule, row: p.row, column: p.column, message: p.message })),
  };
}

export async function inputsFromStore(store: ObjectStore): Promise<TransformInputs> {
  const reference = await loadReference(store);
  const receipts = (await listReceipts(store, {})).map(receiptRecord);
  return {
    reference,
    receipts,
    stagedFile: (key) => store.localFile(key),
    changeRecordsFile: async (before, after) =>
      store.localFile(await ensureChangeRecords(store, before, after)),
  };
}
