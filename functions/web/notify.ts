/**
 * The notices of something that just happened on a page (a return accepted, queried or
 * rejected), sent at once through the app's mailer (ADR 025). Never fails the request: a
 * message that could not go is tried again by the daily `notify` job.
 */
import { deliver, deliverySummary, type Notice } from '../../pipelines/notify/send.js';
import type { ReferenceData } from '../../pipelines/reference/schema.js';
import type { Deps } from './deps.js';

export async function notifyNow(
  deps: Deps,
  reference: ReferenceData,
  notices: readonly Notice[],
  now: Date,
  by: string,
): Promise<void> {
  if (!notices.length) return;
  try {
    const deliveries = await deliver(deps.store, reference, deps.mailer, notices, {
      now,
      from: by,
    });
    if (deliveries.some((d) => d.outcome === 'failed' || d.outcome === 'no_mailer'))
      console.log(deliverySummary(deliveries, deps.mailer));
  } catch (e) {
    console.error('Sending notices failed; the daily notify job will try again:', e);
  }
}
