/**
 * Confirming, discarding and withdrawing a version of a return (ADR 023): each check the
 * version's state, then write one action record (the receipt for that step) under
 * `versions/<contract>/<period>/`. Nothing is deleted: a withdrawn version's bytes, rows and receipt stay.
 */
import type { ReferenceData, User } from '../reference/schema.js';
import type { ObjectStore } from '../store/object-store.js';
import {
  authoriseSubmission,
  canSubmitFor,
  canWithdrawFor,
  IngestRefusedError,
} from '../access/index.js';
import { assertReturnOpen } from '../review/approval.js';
import { listSubmissions, returnLock } from './ingest.js';
import { actionKey } from './receipt.js';
import {
  foldVersions,
  versionActionSchema,
  type ReturnVersions,
  type VersionAction,
  type VersionActionKind,
} from './versions.js';

export type VersionActionProblem = 'not_allowed' | 'no_such_version' | 'wrong_state' | 'locked';

/** An action refused: nothing was written. */
export class VersionActionError extends Error {
  constructor(
    readonly problem: VersionActionProblem,
    message: string,
  ) {
    super(message);
    this.name = 'VersionActionError';
  }
}

export interface VersionActionInput {
  store: ObjectStore;
  reference: ReferenceData;
  action: VersionActionKind;
  contractId: string;
  period: string;
  version: number;
  /** The id of the user acting. */
  by: string;
  reason?: string;
  now: Date;
}

export interface VersionActionResult {
  action: VersionAction;
  /** The return's versions once the action is recorded. */
  versions: ReturnVersions;
}

/**
 * Who may: the contract's lead provider or an administrator confirm or discard a held version
 * (it is their return); they and the contract's manager may withdraw the version in force.
 */
export function mayAct(
  user: User,
  reference: ReferenceData,
  action: VersionActionKind,
  contractId: string,
): boolean {
  const contract = reference.contracts.find((c) => c.id === contractId);
  if (!contract) return false;
  return action === 'withdraw' ? canWithdrawFor(user, contract) : canSubmitFor(user, contract);
}

const verbs: Record<VersionActionKind, string> = {
  confirm: 'confirm',
  discard: 'discard',
  withdraw: 'withdraw',
};

/**
 * @throws VersionActionError (nothing written) when the user may not, there is no such version,
 *   or it is not in a state the action applies to (only a held version can be confirmed or
 *   discarded; only the version in force can be withdrawn).
 *
 * @example
 * const { versions } = await actOnVersion({ store, reference, action: 'withdraw', contractId: 'plp-test', period: '2025-03', version: 2, by: 'acme-user', now });
 * versions.inForce?.version // 1
 */
export async function actOnVersion(input: VersionActionInput): Promise<VersionActionResult> {
  const { store, reference, action, contractId, period, version, by, now } = input;
  const user = reference.users.find((u) => u.id === by);
  if (!user || !mayAct(user, reference, action, contractId))
    throw new VersionActionError(
      'not_allowed',
      action === 'withdraw'
        ? `Only the provider that holds contract ${contractId}, its contract manager or an administrator can withdraw a version of its return.`
        : `Only the provider that holds contract ${contractId} or an administrator can ${verbs[action]} a held version of its return.`,
    );
  if (action !== 'withdraw') {
    try {
      authoriseSubmission(reference, by, contractId, period);
    } catch (e) {
      if (e instanceof IngestRefusedError) throw new VersionActionError('not_allowed', e.message);
      throw e;
    }
  }
  // A locked or closed return takes no change but the discarding of a held version (ADR 032).
  if (action !== 'discard') {
    try {
      await assertReturnOpen(store, reference, by, contractId, period, now);
    } catch (e) {
      if (e instanceof IngestRefusedError) throw new VersionActionError('locked', e.message);
      throw e;
    }
  }
  return returnLock.run(`${contractId}/${period}`, async () => {
    for (;;) {
      const { receipts, actions } = await listSubmissions(store, { contractId, period });
      const accepted = receipts.flatMap((r) => (r.status === 'accepted' ? [r] : []));
      const kind = accepted.find((r) => r.version === version)?.kind ?? 'participant';
      const ofKind = accepted.filter((r) => r.kind === kind);
      const before = foldVersions(contractId, period, kind, ofKind, actions);
      const target = before.versions.find((v) => v.receipt.version === version);
      if (!target)
        throw new VersionActionError(
          'no_such_version',
          `Contract ${contractId}'s return for ${period} has no version ${version}.`,
        );
      if ((action === 'confirm' || action === 'discard') && target.state !== 'held')
        throw new VersionActionError(
          'wrong_state',
          `Version ${version} of contract ${contractId}'s return for ${period} is not held (it is ${target.state.replace('_', ' ')}), so there is nothing to ${verbs[action]}.`,
        );
      if (action === 'withdraw' && target.state !== 'in_force')
        throw new VersionActionError(
          'wrong_state',
          `Version ${version} of contract ${contractId}'s return for ${period} is not in force (it is ${target.state.replace('_', ' ')}); only the version in force can be withdrawn.`,
        );
      const seq = 1 + Math.max(0, ...actions.map((a) => a.seq));
      const draft = {
        seq,
        action,
        contract_id: contractId,
        period,
        version,
        receipt_id: target.receipt.id,
        after_version: Math.max(0, ...accepted.map((r) => r.version)),
        by,
        at: now.toISOString(),
        in_force_before: before.inForce?.version ?? null,
        in_force_after: null as number | null,
        reason: (input.reason ?? '').trim().slice(0, 500),
      };
      const after = foldVersions(contractId, period, kind, ofKind, [
        ...actions,
        versionActionSchema.parse(draft),
      ]);
      const record = versionActionSchema.parse({
        ...draft,
        in_force_after: after.inForce?.version ?? null,
      });
      // Another process may have taken this number: read the return again and re-check.
      if (
        await store.putIfAbsent(
          actionKey(contractId, period, seq),
          JSON.stringify(record, null, 2) + '\n',
          {
            contentType: 'application/json',
          },
        )
      )
        return { action: record, versions: { ...after, actions: [...actions, record] } };
    }
  });
}

/**
 * The step in plain words, for pages, the CLI and the audit log.
 *
 * @example actionMessage(record) // 'Version 2 withdrawn; version 1 is in force again.'
 */
export function actionMessage(a: VersionAction): string {
  const then =
    a.in_force_after === null
      ? 'no version of this return is in force now.'
      : a.in_force_after === a.version
        ? `version ${a.version} is in force.`
        : `version ${a.in_force_after} is in force${a.action === 'withdraw' ? ' again' : ''}.`;
  const did =
    a.action === 'confirm' ? 'confirmed' : a.action === 'discard' ? 'discarded' : 'withdrawn';
  return `Version ${a.version} ${did}; ${then}`;
}
