/** The transform's inputs, read from the store: reference data, receipts and staged files. */
import { ensureChangeRecords } from '../ingest/changes.js';
import { listSubmissions } from '../ingest/ingest.js';
import type { Receipt } from '../ingest/receipt.js';
import { versionStatesOf, type VersionState } from '../ingest/versions.js';
import { loadReference } from '../ingest/reference-store.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ReceiptRecord, TransformInputs } from './sources.js';

/** @param state the accepted version's state (ADR 023); in force when not given. */
export function receiptRecord(r: Receipt, state?: VersionState): ReceiptRecord {
  return {
    id: r.id,
    contract_id: r.contract_id,
    period: r.period,
    kind: r.kind,
    submitted_by: r.submitted_by,
    submitted_at: r.submitted_at,
    status: r.status,
    version: r.status === 'accepted' ? r.version : null,
    state: r.status === 'accepted' ? (state ?? 'in_force') : null,
    restores_version: r.status === 'accepted' ? (r.restores?.version ?? null) : null,
    staged_key: r.status === 'accepted' ? r.staged_key : null,
    counts: r.counts,
    warnings: r.report.problems
      .filter((p) => p.severity === 'warning')
      .map((p) => ({ rule: p.rule, row: p.row, column: p.column, message: p.message })),
  };
}

export async function inputsFromStore(store: ObjectStore): Promise<TransformInputs> {
  const reference = await loadReference(store);
  const { receipts: all, actions } = await listSubmissions(store, {});
  const states = versionStatesOf(all, actions);
  const receipts = all.map((r) => receiptRecord(r, states.get(r.id)));
  return {
    reference,
    receipts,
    stagedFile: (key) => store.localFile(key),
    changeRecordsFile: async (before, after) =>
      store.localFile(await ensureChangeRecords(store, before, after)),
  };
}
