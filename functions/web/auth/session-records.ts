/**
 * The server's half of a session: one small JSON record per sign-in at `sessions/<id>.json` in
 * the object store, so every process (and every Lambda instance, which share no memory) knows
 * whether a session has ended. The cookie names the record; the record says who, since when,
 * until when at the latest, and whether it was ended by signing out.
 */
import { getText, zones, type ObjectStore } from '../../../pipelines/store/object-store.js';

/** How the user proved who they are: the local demo sign-in, or Cognito's hosted UI (AWS). */
export type SignedInVia = 'local' | 'cognito';

export interface SessionRecord {
  id: string;
  user_id: string;
  via: SignedInVia;
  started_at: string;
  /** The absolute end: no activity keeps a session past it. */
  ends_at: string;
  /** When the user signed out; null while the session may still be used. */
  ended_at: string | null;
}

/** Session ids are 32 random bytes, base64url: 43 characters, never a dot. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

export function sessionKey(id: string): string {
  if (!isSessionId(id)) throw new Error(`"${id}" is not a session id.`);
  return `${zones.sessions}${id}.json`;
}

export async function writeSessionRecord(store: ObjectStore, record: SessionRecord): Promise<void> {
  await store.put(sessionKey(record.id), JSON.stringify(record), {
    contentType: 'application/json',
  });
}

/** The record, or null when there is none or it is not a session record. */
export async function readSessionRecord(
  store: ObjectStore,
  id: string,
): Promise<SessionRecord | null> {
  if (!isSessionId(id)) return null;
  const text = await getText(store, sessionKey(id));
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<Record<keyof SessionRecord, unknown>>;
    const isTime = (t: unknown): t is string => typeof t === 'string' && !isNaN(Date.parse(t));
    if (
      v.id !== id ||
      typeof v.user_id !== 'string' ||
      (v.via !== 'local' && v.via !== 'cognito') ||
      !isTime(v.started_at) ||
      !isTime(v.ends_at) ||
      !(v.ended_at === null || isTime(v.ended_at))
    )
      return null;
    return v as SessionRecord;
  } catch {
    return null;
  }
}

/** Marks the session ended at `now` (signing out); a session already ended keeps its first end. */
export async function endSessionRecord(store: ObjectStore, id: string, now: Date): Promise<void> {
  const record = await readSessionRecord(store, id);
  if (!record || record.ended_at !== null) return;
  await writeSessionRecord(store, { ...record, ended_at: now.toISOString() });
}
