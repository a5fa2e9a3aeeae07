/**
 * The audit log: every action that changes state — an upload, accepting or querying a return,
 * a change to reference data, a sign-in — and every ad-hoc analytics query leaves one entry saying who, when, what and from
 * where. Entries are separate objects under `audit/` (one per action, never rewritten), keyed
 * by time so a listing reads in order, and written with putIfAbsent so none is overwritten.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getJson, type ObjectStore } from '../store/object-store.js';

export const AUDIT_PREFIX = 'audit/';

export const auditActions = [
  'sign_in',
  'upload',
  'confirm_version',
  'discard_version',
  'withdraw_version',
  'accept_return',
  'query_return',
  'reopen_return',
  'add_plan_action',
  'update_plan_action',
  'write_review_commentary',
  'record_claim_evidence',
  'notification_sent',
  'reference_change',
  'analytics_query',
] as const;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  /** The user id, or null for an action by no one signed in (a failed sign-in). */
  who: z.string().nullable(),
  action: z.enum(auditActions),
  /** What was acted on, e.g. a receipt id, a contract id, a reference file. */
  target: z.string().nullable(),
  /** Plain words: what happened. */
  detail: z.string(),
  /** Where from: the client address as the server saw it, or `cli`. */
  from: z.string(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditAction = (typeof auditActions)[number];

/**
 * Records one action.
 *
 * @example await audit(store, { who: 'acme-user', action: 'upload', target: receipt.id, detail: 'accepted, version 1', from: '127.0.0.1' });
 */
export async function audit(
  store: ObjectStore,
  entry: Omit<AuditEntry, 'id' | 'at'>,
  now: Date = new Date(),
): Promise<AuditEntry> {
  const at = now.toISOString();
  const id = `${at.replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const full = auditEntrySchema.parse({ ...entry, id, at });
  await store.putIfAbsent(
    `${AUDIT_PREFIX}${at.slice(0, 7)}/${id}.json`,
    JSON.stringify(full, null, 2) + '\n',
    { contentType: 'application/json' },
  );
  return full;
}

/** Every entry, oldest first (optionally only from `since`, an ISO month like 2026-11). */
export async function listAudit(
  store: ObjectStore,
  options: { month?: string } = {},
): Promise<AuditEntry[]> {
  const keys = await store.list(options.month ? `${AUDIT_PREFIX}${options.month}/` : AUDIT_PREFIX);
  const entries = await Promise.all(keys.map((k) => getJson(store, k)));
  return entries.map((e, i) => {
    const parsed = auditEntrySchema.safeParse(e);
    if (!parsed.success)
      throw new Error(`The audit entry ${keys[i]} is damaged: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/** What the audit log page may be narrowed to (each optional; GET parameters). */
export interface AuditFilter {
  who?: string;
  action?: string;
  /** A contract id: entries acting on it, or naming it in their detail (uploads, reviews). */
  contract?: string;
  /** ISO dates, both included, by the entry's UTC date. */
  since?: string;
  until?: string;
}

/**
 * The entries that match every filter given.
 *
 * @example filterAudit(entries, { contract: 'plp-test', since: '2025-04-01' })
 */
export function filterAudit(entries: readonly AuditEntry[], f: AuditFilter): AuditEntry[] {
  const names = (e: AuditEntry, id: string) =>
    e.target === id ||
    new RegExp(`(^|[ "(])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([ ":,)]|$)`).test(e.detail);
  return entries.filter(
    (e) =>
      (!f.who || e.who === f.who) &&
      (!f.action || e.action === f.action) &&
      (!f.contract || names(e, f.contract)) &&
      (!f.since || e.at.slice(0, 10) >= f.since) &&
      (!f.until || e.at.slice(0, 10) <= f.until),
  );
}
