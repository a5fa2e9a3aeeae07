/**
 * Who may accept or query a contract's returns: its contract manager (the contract is in their
 * portfolio) and administrators. Providers send returns and cannot judge their own; commissioners
 * see aggregates only. Meant to join functions/web/auth/policy.ts as `permissions.review`.
 */
import type { Contract, User } from '../reference/schema.js';

/** @example canReview(contractManager, contract) // true when contract.portfolio === contractManager.portfolio */
export function canReview(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'contract_manager':
      return contract.portfolio === user.portfolio;
    case 'admin':
      return true;
    case 'provider':
    case 'commissioner':
      return false;
  }
}
