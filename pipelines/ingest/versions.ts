/**
 * Which accepted version of a return is in force (ADR 023). Receipts and actions are never
 * rewritten, so the state of every version is worked out from them, the same way everywhere:
 * the ingest (what a new file is compared with), the marts (which rows count) and the pages.
 *
 * Versions are taken in order of number; after each, the actions made while it was the newest
 * are applied in the order they were made:
 *   - a version received without a large drop in the caseload is put in force;
 *   - one with a large drop is held until the provider confirms it (put in force) or discards it;
 *     a newer version arriving discards it too (it can no longer be the newest);
 *   - withdrawing the version in force puts the one before it back in force (or none).
 */
import { z } from 'zod';
import { periodSchema, slug } from '../reference/schema.js';
import type { AcceptedReceipt, Receipt } from './receipt.js';

export const versionActions = ['confirm', 'discard', 'withdraw'] as const;
export type VersionActionKind = (typeof versionActions)[number];

/** The record of one confirmation, discard or withdrawal: the receipt for that step. */
export const versionActionSchema = z.object({
  /** 1, 2, 3 … among the actions on this return; claimed with putIfAbsent, so never shared. */
  seq: z.number().int().positive(),
  action: z.enum(versionActions),
  contract_id: slug,
  period: periodSchema,
  version: z.number().int().positive(),
  /** The receipt of the version acted on. */
  receipt_id: z.string(),
  /** The newest version of the return when the action was made: it applies after that one. */
  after_version: z.number().int().positive(),
  by: slug,
  at: z.iso.datetime(),
  /** The version in force before and after (null: none). */
  in_force_before: z.number().int().positive().nullable(),
  in_force_after: z.number().int().positive().nullable(),
  /** What the person gave as the reason, if anything. */
  reason: z.string().max(500),
});

export type VersionAction = z.infer<typeof versionActionSchema>;

/**
 * - `in_force`: its rows are the return's rows
 * - `superseded`: was in force, replaced by a later version (it can come back by a withdrawal)
 * - `held`: waiting for the provider to confirm or discard it
 * - `discarded`: held, and never put in force
 * - `withdrawn`: was in force, taken out by a provider or contract manager
 */
export type VersionState = 'in_force' | 'superseded' | 'held' | 'discarded' | 'withdrawn';

/**
 * What the states are worked out from, of an accepted receipt: a whole receipt, or the few
 * fields of it the transform keeps in its receipts index (pipelines/transform/receipts-index.ts).
 */
export type VersionFacts = Pick<AcceptedReceipt, 'id' | 'contract_id' | 'period' | 'version'> & {
  status: 'accepted';
  kind: AcceptedReceipt['kind'];
  caseload?: { held: boolean };
};

export interface VersionStatus<R extends VersionFacts = AcceptedReceipt> {
  receipt: R;
  state: VersionState;
}

/**
 * One return (contract, period and kind: a contract moving from aggregate to participant-level
 * returns has both for a month, each with its own version in force): its accepted versions and
 * their states. Version numbers are shared by the two kinds.
 */
export interface ReturnVersions<R extends VersionFacts = AcceptedReceipt> {
  contract_id: string;
  period: string;
  kind: AcceptedReceipt['kind'];
  /** By version number. */
  versions: VersionStatus<R>[];
  inForce: R | null;
  actions: VersionAction[];
  /** The newest version number, or 0. */
  newest: number;
}

const returnKey = (contractId: string, period: string) => `${contractId}\u0000${period}`;

/**
 * The state of every version of one return, from its accepted receipts of one kind and the
 * actions on them (actions on versions not among `accepted` are left out).
 */
export function foldVersions<R extends VersionFacts = AcceptedReceipt>(
  contractId: string,
  period: string,
  kind: AcceptedReceipt['kind'],
  accepted: readonly R[],
  actions: readonly VersionAction[],
): ReturnVersions<R> {
  const sorted = [...accepted].sort((a, b) => a.version - b.version);
  const mine = new Set(sorted.map((r) => r.version));
  const acts = actions.filter((a) => mine.has(a.version)).sort((a, b) => a.seq - b.seq);
  const state = new Map<number, VersionState>();
  /** Versions put in force and not withdrawn, oldest first: the top is in force. */
  const stack: number[] = [];
  const push = (v: number) => {
    const top = stack.at(-1);
    if (top !== undefined) state.set(top, 'superseded');
    stack.push(v);
    state.set(v, 'in_force');
  };
  const apply = (a: VersionAction) => {
    const s = state.get(a.version);
    if (a.action === 'confirm' && s === 'held') push(a.version);
    else if (a.action === 'discard' && s === 'held') state.set(a.version, 'discarded');
    else if (a.action === 'withdraw' && stack.at(-1) === a.version) {
      stack.pop();
      state.set(a.version, 'withdrawn');
      const top = stack.at(-1);
      if (top !== undefined) state.set(top, 'in_force');
    }
    // Anything else cannot have been written by recordAction (it checks the state first); a
    // race between two processes could leave one, and it changes nothing.
  };
  let i = 0;
  for (const r of sorted) {
    for (const [v, s] of state) if (s === 'held') state.set(v, 'discarded');
    if (r.caseload?.held) state.set(r.version, 'held');
    else push(r.version);
    for (; i < acts.length && acts[i]!.after_version <= r.version; i++) apply(acts[i]!);
  }
  for (; i < acts.length; i++) apply(acts[i]!);
  const top = stack.at(-1);
  return {
    contract_id: contractId,
    period,
    kind,
    versions: sorted.map((receipt) => ({ receipt, state: state.get(receipt.version)! })),
    inForce: top === undefined ? null : sorted.find((r) => r.version === top)!,
    actions: acts,
    newest: sorted.at(-1)?.version ?? 0,
  };
}

/** Every return's versions, ordered by contract, period, then kind. */
export function returnVersionsOf(
  receipts: readonly Receipt[],
  actions: readonly VersionAction[],
): ReturnVersions[] {
  return versionsOfFacts<AcceptedReceipt>(receipts, actions);
}

/** As returnVersionsOf, of whole receipts or of the facts about them an index keeps. */
export function versionsOfFacts<R extends VersionFacts>(
  receipts: readonly (R | { status: 'rejected' })[],
  actions: readonly VersionAction[],
): ReturnVersions<R>[] {
  const groups = new Map<
    string,
    { kind: AcceptedReceipt['kind']; accepted: R[]; actions: VersionAction[] }
  >();
  const kindOf = new Map<string, AcceptedReceipt['kind']>();
  const group = (c: string, p: string, kind: AcceptedReceipt['kind']) => {
    const key = `${returnKey(c, p)}\u0000${kind}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, accepted: [], actions: [] }));
    return g;
  };
  for (const r of receipts)
    if (r.status === 'accepted') {
      const a = r as R;
      group(a.contract_id, a.period, a.kind).accepted.push(a);
      kindOf.set(a.id, a.kind);
    }
  for (const a of actions) {
    const kind = kindOf.get(a.receipt_id);
    if (kind) group(a.contract_id, a.period, kind).actions.push(a);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => {
      const [c, p] = key.split('\u0000') as [string, string];
      return foldVersions<R>(c, p, g.kind, g.accepted, g.actions);
    });
}

/** The state of each accepted receipt, by receipt id. */
export function versionStatesOf(
  receipts: readonly (VersionFacts | { status: 'rejected' })[],
  actions: readonly VersionAction[],
): Map<string, VersionState> {
  const out = new Map<string, VersionState>();
  for (const rv of versionsOfFacts<VersionFacts>(receipts, actions))
    for (const v of rv.versions) out.set(v.receipt.id, v.state);
  return out;
}

/** Plain words for a state, as the pages show it. */
export const stateNames: Record<VersionState, string> = {
  in_force: 'In force',
  superseded: 'Replaced',
  held: 'Held: waiting for the provider to confirm',
  discarded: 'Discarded',
  withdrawn: 'Withdrawn',
};
