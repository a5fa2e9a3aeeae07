/**
 * The notices Outturn sends by email (ADR 025), who may get each, and each user's choice of
 * which they get. A choice is one object per user, `notifications/preferences/<user>.json`;
 * a user who has chosen nothing gets every notice of their role.
 */
import { z } from 'zod';
import type { User } from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';

export const noticeKinds = [
  'deadline_reminder',
  'return_rejected',
  'return_queried',
  'return_accepted',
  'return_late',
  'return_missing',
  'rag_worse',
  'level_worse',
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** What each notice is, in the words of the preferences page and docs/notifications.md. */
export const noticeNames: Record<NoticeKind, { label: string; hint: string }> = {
  deadline_reminder: {
    label: 'Reminders before a return is due',
    hint: 'A few working days before the deadline, when the month’s return has not been sent.',
  },
  return_rejected: {
    label: 'A return was not accepted',
    hint: 'When a return you sent fails its checks.',
  },
  return_queried: {
    label: 'A return was queried',
    hint: 'When the contract manager queries a return, with their message.',
  },
  return_accepted: {
    label: 'A return was accepted',
    hint: 'When the contract manager accepts a return, which locks it.',
  },
  return_late: {
    label: 'A return is late',
    hint: 'The day after a deadline passes with no return accepted.',
  },
  return_missing: {
    label: 'A return is missing',
    hint: 'When a month closes with no return accepted.',
  },
  rag_worse: {
    label: 'A contract’s performance got worse',
    hint: 'When a measure’s RAG status gets worse from one month to the next (green to amber, amber to red).',
  },
  level_worse: {
    label: 'A contract moved to a worse intervention level',
    hint: 'When a contract’s intervention level goes up in the newest month of figures, with what the new level means.',
  },
};

/** Providers hear about their returns; contract managers about their portfolio's. */
const NOTICES_BY_ROLE: Readonly<Record<User['role'], readonly NoticeKind[]>> = {
  provider: ['deadline_reminder', 'return_rejected', 'return_queried', 'return_accepted'],
  contract_manager: ['return_late', 'return_missing', 'rag_worse', 'level_worse'],
  // A partner sends no returns (the prime does, ADR 042), so it has none of their notices.
  partner: [],
  commissioner: [],
  admin: [],
};

export function noticesFor(user: User): readonly NoticeKind[] {
  return NOTICES_BY_ROLE[user.role];
}

export const preferencesSchema = z.object({
  user_id: z.string(),
  /** The notices the user has turned off. */
  off: z.array(z.enum(noticeKinds)),
  at: z.iso.datetime(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

const preferencesKey = (userId: string) => `notifications/preferences/${userId}.json`;

/** The notices the user gets: those of their role they have not turned off. */
export async function chosenNotices(store: ObjectStore, user: User): Promise<Set<NoticeKind>> {
  const saved = preferencesSchema.safeParse(await getJson(store, preferencesKey(user.id)));
  const off = new Set(saved.success ? saved.data.off : []);
  return new Set(noticesFor(user).filter((k) => !off.has(k)));
}

/** Records the user's choice: `on` is every notice they want; the rest of their role's are off. */
export async function saveChoice(
  store: ObjectStore,
  user: User,
  on: readonly string[],
  now: Date,
): Promise<Preferences> {
  const prefs = preferencesSchema.parse({
    user_id: user.id,
    off: noticesFor(user).filter((k) => !on.includes(k)),
    at: now.toISOString(),
  });
  await store.put(preferencesKey(user.id), JSON.stringify(prefs, null, 2) + '\n', {
    contentType: 'application/json',
  });
  return prefs;
}
