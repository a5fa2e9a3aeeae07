/**
 * Sending notices (ADR 025): each to a user who has an email address and has not turned the
 * notice off, at most once per user, notice and subject (a return, a receipt, a month):
 * `notifications/sent/<user>/<notice>/<subject>.json` is claimed with putIfAbsent before the
 * message goes, and given up again if it could not be sent. Each message sent is audited.
 */
import { audit } from '../audit/audit-log.js';
import type { ReferenceData, User } from '../reference/schema.js';
import type { ObjectStore } from '../store/object-store.js';
import type { Mailer } from './mailer.js';
import { chosenNotices, type NoticeKind } from './notices.js';

export interface Notice {
  kind: NoticeKind;
  userId: string;
  /** What it is about, unique for the notice and user: `plp-test/2025-04`, a receipt id. */
  about: string;
  subject: string;
  text: string;
}

export type Delivery =
  | { notice: Notice; outcome: 'sent'; to: string; messageId: string }
  | {
      notice: Notice;
      outcome: 'sent_before' | 'turned_off' | 'no_address' | 'no_mailer' | 'demo' | 'failed';
      detail?: string;
    };

/** Written by the demo loader: a store holding the demo sends nothing unless asked. */
export const DEMO_MARKER = 'notifications/demo.json';

export interface DeliverOptions {
  now: Date;
  /** Send even though the store holds the demo data. */
  includeDemo?: boolean;
  /** Who to record in the audit log as sending: `notify` for the scheduled job, a user for a page. */
  from?: string;
}

const sentKey = (n: Notice) =>
  `notifications/sent/${n.userId}/${n.kind}/${n.about.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;

/**
 * Sends each notice that is due to go, and says what became of each.
 *
 * @example await deliver(store, reference, mailer, [notice], { now })
 */
export async function deliver(
  store: ObjectStore,
  reference: ReferenceData,
  mailer: Mailer | null,
  notices: readonly Notice[],
  options: DeliverOptions,
): Promise<Delivery[]> {
  const demo = !options.includeDemo && (await store.exists(DEMO_MARKER));
  const chosen = new Map<string, Set<NoticeKind>>();
  const out: Delivery[] = [];
  for (const notice of notices) {
    const user = reference.users.find((u) => u.id === notice.userId);
    if (!user?.email) {
      out.push({ notice, outcome: 'no_address' });
      continue;
    }
    if (!chosen.has(user.id)) chosen.set(user.id, await chosenNotices(store, user));
    if (!chosen.get(user.id)!.has(notice.kind)) {
      out.push({ notice, outcome: 'turned_off' });
      continue;
    }
    if (demo) {
      out.push({ notice, outcome: 'demo' });
      continue;
    }
    if (!mailer) {
      out.push({ notice, outcome: 'no_mailer' });
      continue;
    }
    out.push(await sendOnce(store, mailer, user as User & { email: string }, notice, options));
  }
  return out;
}

async function sendOnce(
  store: ObjectStore,
  mailer: Mailer,
  user: User & { email: string },
  notice: Notice,
  options: DeliverOptions,
): Promise<Delivery> {
  const key = sentKey(notice);
  const claim = JSON.stringify({ ...notice, to: user.email, at: options.now.toISOString() });
  if (!(await store.putIfAbsent(key, claim + '\n', { contentType: 'application/json' })))
    return { notice, outcome: 'sent_before' };
  let messageId: string;
  try {
    messageId = await mailer.send({ to: user.email, subject: notice.subject, text: notice.text });
  } catch (e) {
    // Given up, so the next run tries again.
    await store.delete(key).catch(() => undefined);
    return { notice, outcome: 'failed', detail: e instanceof Error ? e.message : String(e) };
  }
  await audit(
    store,
    {
      who: options.from ?? 'notify',
      action: 'notification_sent',
      target: user.id,
      detail: `${notice.kind} (${notice.about}) to ${user.email} by ${mailer.description}: ${notice.subject}`,
      from: options.from ? 'app' : 'notify',
    },
    options.now,
  );
  return { notice, outcome: 'sent', to: user.email, messageId };
}

/** One line for a log: how many went, and why the rest did not. */
export function deliverySummary(deliveries: readonly Delivery[], mailer: Mailer | null): string {
  const count = (o: Delivery['outcome']) => deliveries.filter((d) => d.outcome === o).length;
  const parts = [`${count('sent')} sent${mailer ? ` by ${mailer.description}` : ''}`];
  if (count('sent_before')) parts.push(`${count('sent_before')} sent before`);
  if (count('turned_off')) parts.push(`${count('turned_off')} turned off by the user`);
  if (count('no_address')) parts.push(`${count('no_address')} to users with no email address`);
  if (count('demo'))
    parts.push(
      `${count('demo')} not sent: the store holds the demo data (ask with --include-demo)`,
    );
  if (count('no_mailer'))
    parts.push(
      `${count('no_mailer')} not sent: no mail server is configured (set OUTTURN_SMTP_URL)`,
    );
  if (count('failed'))
    parts.push(
      `${count('failed')} failed (${(deliveries.find((d) => d.outcome === 'failed') as { detail?: string }).detail ?? ''}); they are tried again next time`,
    );
  return `Notices: ${parts.join('; ')}.`;
}
