/**
 * What the routes write to the audit log (pipelines/audit/audit-log.ts), in one place so the
 * page and the API describe the same action in the same words.
 */
import type { Context } from 'hono';
import { audit } from '../../../pipelines/audit/audit-log.js';
import { uploadDetail } from '../../../pipelines/audit/upload-audit.js';
import type { Review } from '../../../pipelines/review/review.js';
import type { Reopening } from '../../../pipelines/review/approval.js';
import type { Commentary, PlanAction } from '../../../pipelines/review/plans.js';
import type { ObjectStore } from '../../../pipelines/store/object-store.js';
import { clientAddress } from '../client-address.js';

/** The address every audit entry records: the platform's, never a header (../client-address.ts). */
export { clientAddress };

/** Uploads are audited by the pipeline (pipelines/audit/upload-audit.ts), locally and in AWS alike. */
export { uploadDetail };

export async function auditReview(
  store: ObjectStore,
  c: Context,
  review: Review,
  now: Date,
): Promise<void> {
  await audit(
    store,
    {
      who: review.by,
      action: review.decision === 'accepted' ? 'accept_return' : 'query_return',
      target: review.receipt_id,
      detail:
        review.decision === 'accepted'
          ? `accepted ${review.contract_id} ${review.period}`
          : `queried ${review.contract_id} ${review.period}: ${review.message ?? ''}`,
      from: clientAddress(c),
    },
    now,
  );
}

export async function auditReopening(
  store: ObjectStore,
  c: Context,
  reopening: Reopening,
  now: Date,
): Promise<void> {
  await audit(
    store,
    {
      who: reopening.by,
      action: 'reopen_return',
      target: `${reopening.contract_id}/${reopening.period}`,
      detail: `reopened ${reopening.contract_id} ${reopening.period} (it was ${reopening.reopened}): ${reopening.reason}`,
      from: clientAddress(c),
    },
    now,
  );
}

export async function auditSignIn(
  store: ObjectStore,
  c: Context,
  who: string,
  now: Date,
): Promise<void> {
  await audit(
    store,
    { who, action: 'sign_in', target: null, detail: 'signed in', from: clientAddress(c) },
    now,
  );
}

/** What an ad-hoc analytics query did, for its audit entry. */
export interface AnalyticsAudit {
  sql: string;
  params: readonly unknown[];
  engine: string;
  outcome: 'ran' | 'failed' | 'refused';
  rows?: number;
  scannedBytes?: number;
  /** Athena's execution id; the reason, for a failure or refusal. */
  queryExecutionId?: string;
  reason?: string;
}

/** The SQL as recorded: whole up to this many characters, which no sensible query exceeds. */
const AUDITED_SQL_CHARS = 8000;

/**
 * @example analyticsDetail({ sql: 'SELECT 1', params: [], engine: 'athena', outcome: 'ran', rows: 1, scannedBytes: 0 })
 * // 'ran on athena: 1 row, 0 bytes scanned; SQL: SELECT 1'
 */
export function analyticsDetail(a: AnalyticsAudit): string {
  const parts = [`${a.outcome} on ${a.engine}`];
  const facts: string[] = [];
  if (a.rows !== undefined) facts.push(`${a.rows} ${a.rows === 1 ? 'row' : 'rows'}`);
  if (a.scannedBytes !== undefined) facts.push(`${a.scannedBytes} bytes scanned`);
  if (a.reason) facts.push(a.reason);
  const head = facts.length ? `${parts[0]}: ${facts.join(', ')}` : parts[0]!;
  const sql =
    a.sql.length > AUDITED_SQL_CHARS
      ? `${a.sql.slice(0, AUDITED_SQL_CHARS)}… (${a.sql.length} characters)`
      : a.sql;
  return `${head}; ${a.params.length ? `params ${JSON.stringify(a.params)}; ` : ''}SQL: ${sql}`;
}

export async function auditAnalyticsQuery(
  store: ObjectStore,
  c: Context,
  who: string,
  a: AnalyticsAudit,
  now: Date,
): Promise<void> {
  await audit(
    store,
    {
      who,
      action: 'analytics_query',
      target: a.queryExecutionId ?? null,
      detail: analyticsDetail(a),
      from: clientAddress(c),
    },
    now,
  );
}

/** An action added to an improvement plan, or a new version of one (ADR 039). */
export async function auditPlanAction(
  store: ObjectStore,
  c: Context,
  change: { after: PlanAction; before?: PlanAction },
  now: Date,
): Promise<void> {
  const { after, before } = change;
  const changed = before
    ? (['text', 'owner', 'due', 'status', 'notes'] as const)
        .filter((k) => before[k] !== after[k])
        .map((k) => (k === 'status' ? `status ${before.status} → ${after.status}` : k))
        .join(', ') || 'nothing changed'
    : `"${after.text}", owner ${after.owner}, due ${after.due}`;
  await audit(
    store,
    {
      who: after.by,
      action: before ? 'update_plan_action' : 'add_plan_action',
      target: `${after.contract_id}/${after.id}`,
      detail: `${before ? 'updated' : 'added'} an improvement plan action on ${after.contract_id}: ${changed}`,
      from: clientAddress(c),
    },
    now,
  );
}

export async function auditCommentary(
  store: ObjectStore,
  c: Context,
  commentary: Commentary,
  now: Date,
): Promise<void> {
  await audit(
    store,
    {
      who: commentary.by,
      action: 'write_review_commentary',
      target: `${commentary.contract_id}/${commentary.quarter}`,
      detail: `wrote the commentary on ${commentary.contract_id}'s review for ${commentary.quarter} (${commentary.text.length} characters)`,
      from: clientAddress(c),
    },
    now,
  );
}
