/**
 * The daily job (ADR 025): every notice due on a day, sent. The same for `notify --as-of` on
 * the command line and the API function's EventBridge schedule in AWS.
 */
import { loadReference } from '../ingest/reference-store.js';
import type { ObjectStore } from '../store/object-store.js';
import { noticesDue } from './due.js';
import type { Mailer } from './mailer.js';
import { deliver, deliverySummary, type Delivery } from './send.js';

export async function notifyJob(
  store: ObjectStore,
  mailer: Mailer | null,
  asOf: string,
  options: { includeDemo?: boolean } = {},
): Promise<{ deliveries: Delivery[]; summary: string }> {
  const reference = await loadReference(store);
  const notices = await noticesDue(store, reference, asOf);
  const deliveries = await deliver(store, reference, mailer, notices, {
    // The day's notices are stamped at its start: the job's record never reads the wall clock.
    now: new Date(`${asOf}T00:00:00.000Z`),
    includeDemo: options.includeDemo === true,
  });
  return { deliveries, summary: deliverySummary(deliveries, mailer) };
}
