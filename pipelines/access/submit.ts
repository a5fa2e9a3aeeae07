/**
 * The right to submit a return (`canSubmitFor`), applied by the ingest to a user id and a contract
 * id as they arrive (from the web, the queue or the command line), with the refusal in words that
 * name the user, the contract and, for a subcontractor, who does submit it.
 */
import { OutturnError, type Failure } from '../errors.js';
import type { Contract, ReferenceData, User } from '../reference/schema.js';
import { periodSchema } from '../reference/schema.js';
import { canSubmitFor, submitsReturns } from './rules.js';

export type RefusalReason =
  | 'unknown_user'
  | 'role_cannot_submit'
  | 'unknown_contract'
  | 'not_contract_holder'
  | 'invalid_period'
  /** The contract manager has approved the return: it takes no change until reopened (ADR 032). */
  | 'locked'
  /** The month's returns have closed (ADR 032). */
  | 'closed';

const failures: Record<RefusalReason, Failure> = {
  unknown_user: 'forbidden',
  role_cannot_submit: 'forbidden',
  unknown_contract: 'not-found',
  not_contract_holder: 'forbidden',
  invalid_period: 'bad-input',
  locked: 'conflict',
  closed: 'conflict',
};

/** An upload refused before anything was written: the reason as a code, and a message for the user. */
export class IngestRefusedError extends OutturnError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly userId: string,
    readonly contractId: string,
  ) {
    super(failures[reason], message);
    this.name = 'IngestRefusedError';
  }
}

const roleNames: Record<User['role'], string> = {
  provider: 'provider',
  partner: 'delivery partner',
  contract_manager: 'contract manager',
  commissioner: 'commissioner',
  admin: 'administrator',
};

function roleCannotSubmit(user: User, contractId: string) {
  return {
    reason: 'role_cannot_submit' as const,
    message: `${user.name} (${user.id}) is a ${roleNames[user.role]} and cannot submit returns; the return for contract "${contractId}" must come from the provider that holds it, or an administrator.`,
  };
}

/** Why `user` may not submit `contract`'s returns (call it only when `canSubmitFor` is false). */
export function submissionRefusal(
  user: User,
  contract: Contract,
  reference: ReferenceData,
): { reason: RefusalReason; message: string } {
  const who = `${user.name} (${user.id})`;
  if (user.role !== 'provider') return roleCannotSubmit(user, contract.id);
  const name = (id: string) => reference.providers.find((p) => p.id === id)?.name ?? id;
  const sub = contract.subcontractors.find((s) => s.provider_id === user.provider_id);
  return {
    reason: 'not_contract_holder',
    message: sub
      ? `${who} works for ${name(user.provider_id)}, which delivers ${sub.delivers} under contract "${contract.id}" as a subcontractor; the contract's returns are submitted by its lead provider, ${name(contract.provider_id)}.`
      : `${who} works for ${name(user.provider_id)}, but contract "${contract.id}" is held by ${name(contract.provider_id)}; a provider may only submit returns for its own contracts.`,
  };
}

/**
 * The user and contract when `userId` may submit `contractId`'s return for `period`.
 *
 * @throws IngestRefusedError naming the user and the contract.
 */
export function authoriseSubmission(
  reference: ReferenceData,
  userId: string,
  contractId: string,
  period: string,
): { user: User; contract: Contract } {
  const refuse = (reason: RefusalReason, message: string): never => {
    throw new IngestRefusedError(reason, message, userId, contractId);
  };
  const user = reference.users.find((u) => u.id === userId);
  if (!user)
    return refuse(
      'unknown_user',
      `There is no user "${userId}", so the return for contract "${contractId}" cannot be accepted from them.`,
    );
  if (!submitsReturns(user)) {
    const { reason, message } = roleCannotSubmit(user, contractId);
    refuse(reason, message);
  }
  const contract = reference.contracts.find((c) => c.id === contractId);
  if (!contract)
    return refuse(
      'unknown_contract',
      `There is no contract "${contractId}", so ${user.name} (${user.id}) cannot submit a return for it. Check the contract id.`,
    );
  if (!canSubmitFor(user, contract)) {
    const { reason, message } = submissionRefusal(user, contract, reference);
    refuse(reason, message);
  }
  if (!periodSchema.safeParse(period).success)
    refuse(
      'invalid_period',
      `"${period}" is not a month; give the period of the return for contract "${contractId}" as YYYY-MM, for example 2025-04.`,
    );
  return { user, contract };
}
