/**
 * The audit entry for an uploaded return, in one place so the web upload (inline, locally) and
 * the ingest function (queued, in AWS) describe the same action in the same words.
 */
import type { IngestResult } from '../ingest/ingest.js';
import type { ObjectStore } from '../store/object-store.js';
import { audit, type AuditEntry } from './audit-log.js';

/** @example uploadDetail({ receipt, duplicate: false }) // 'accepted, version 2' */
export function uploadDetail({
  receipt,
  duplicate,
}: Pick<IngestResult, 'receipt' | 'duplicate'>): string {
  if (duplicate) return `duplicate of ${receipt.id}`;
  if (receipt.status === 'accepted') {
    const c = receipt.caseload;
    const restore = receipt.restores ? `, restoring version ${receipt.restores.version}` : '';
    if (c?.held)
      return `accepted, version ${receipt.version}${restore}, held: it would remove ${c.participants_removed} of ${c.participants_before} participants`;
    if (c?.drop)
      return `accepted, version ${receipt.version}${restore}, removal of ${c.participants_removed} of ${c.participants_before} participants confirmed when sent`;
    return `accepted, version ${receipt.version}${restore}`;
  }
  return `rejected, ${receipt.counts.errors} ${receipt.counts.errors === 1 ? 'error' : 'errors'}`;
}

/** Records an ingested upload: who sent it, the receipt, the verdict, and the client address. */
export async function auditIngest(
  store: ObjectStore,
  who: string,
  result: IngestResult,
  from: string,
  now: Date,
): Promise<AuditEntry> {
  return audit(
    store,
    { who, action: 'upload', target: result.receipt.id, detail: uploadDetail(result), from },
    now,
  );
}
