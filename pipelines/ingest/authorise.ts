/**
 * Who may submit a return for a contract: the contract's own (lead) provider, or an
 * administrator. Subcontractors deliver part of a contract but do not submit its returns;
 * contract managers and commissioners read returns, never send them.
 */
import type { Contract, ReferenceData, User } from '../reference/schema.js';
import { periodSchema } from '../reference/schema.js';

export type RefusalReason =
  | 'unknown_user'
  | 'role_cannot_submit'
  | 'unknown_contract'
  | 'not_contract_holder'
  | 'invalid_period';

/** An upload refused before anything was written: the reason as a code, and a message for the user. */
export class IngestRefusedError extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly userId: string,
    readonly contractId: string,
  ) {
    super(message);
    this.name = 'IngestRefusedError';
  }
}

const roleNames: Record<User['role'], string> = {
  provider: 'provider',
  contract_manager: 'contract manager',
  commissioner: 'commissioner',
  admin: 'administrator',
};

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
  const who = `${user.name} (${user.id})`;
  if (user.role !== 'provider' && user.role !== 'admin')
    return refuse(
      'role_cannot_submit',
      `${who} is a ${roleNames[user.role]} and cannot submit returns; the return for contract "${contractId}" must come from the provider that holds it, or an administrator.`,
    );
  const contract = reference.contracts.find((c) => c.id === contractId);
  if (!contract)
    return refuse(
      'unknown_contract',
      `There is no contract "${contractId}", so ${who} cannot submit a return for it. Check the contract id.`,
    );
  if (user.role === 'provider' && user.provider_id !== contract.provider_id) {
    const name = (id: string) => reference.providers.find((p) => p.id === id)?.name ?? id;
    const sub = contract.subcontractors.find((s) => s.provider_id === user.provider_id);
    refuse(
      'not_contract_holder',
      sub
        ? `${who} works for ${name(user.provider_id)}, which delivers ${sub.delivers} under contract "${contractId}" as a subcontractor; the contract's returns are submitted by its lead provider, ${name(contract.provider_id)}.`
        : `${who} works for ${name(user.provider_id)}, but contract "${contractId}" is held by ${name(contract.provider_id)}; a provider may only submit returns for its own contracts.`,
    );
  }
  if (!periodSchema.safeParse(period).success)
    refuse(
      'invalid_period',
      `"${period}" is not a month; give the period of the return for contract "${contractId}" as YYYY-MM, for example 2025-04.`,
    );
  return { user, contract };
}
