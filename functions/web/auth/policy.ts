/**
 * Who may see and do what: the one place authorisation is decided. Pure functions of a user
 * and the reference data; every route reaches them through `guard` (./guard.ts).
 *
 * - provider: the contracts its organisation holds as lead provider. A subcontractor (say an
 *   NHS team delivering the Condition Management Programme) does not see the contract: its
 *   returns and marts hold the lead provider's whole caseload.
 * - contract manager: the contracts in their portfolio.
 * - commissioner: the contracts of their programmes, as aggregates with small numbers suppressed.
 * - admin: everything.
 */
import type { RestrictedScope } from '../../../pipelines/analytics/restricted.js';
import { EXPORTED_MART_NAMES, PUBLISHABLE_TABLES } from '../../../pipelines/analytics/tables.js';
import type { Contract, ReferenceData, User } from '../../../pipelines/reference/schema.js';
import { isApiPath } from '../api-path.js';
import { WebError } from '../errors.js';

/**
 * @example canSeeContract({ id: 'acme-user', name: 'Ann', role: 'provider', provider_id: 'acme' }, contract) // contract.provider_id === 'acme'
 */
export function canSeeContract(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'provider':
      return contract.provider_id === user.provider_id;
    case 'contract_manager':
      return contract.portfolio === user.portfolio;
    case 'commissioner':
      return user.programme_ids.includes(contract.programme_id);
    case 'admin':
      return true;
  }
}

/**
 * The contract's lead provider and administrators; the same rule as the ingest's own check
 * (pipelines/ingest/authorise.ts), which still runs as a second line.
 *
 * @example canSubmitFor(contractManager, contract) // false: contract managers read returns, never send them
 */
export function canSubmitFor(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'provider':
      return contract.provider_id === user.provider_id;
    case 'admin':
      return true;
    case 'contract_manager':
    case 'commissioner':
      return false;
  }
}

/**
 * Withdrawing the version of a return in force (ADR 023): its lead provider, the contract's
 * manager and administrators; the same rule as pipelines/ingest/version-action.ts `mayAct`.
 *
 * @example canWithdrawFor(contractManager, contract) // contract.portfolio === contractManager.portfolio
 */
export function canWithdrawFor(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'provider':
      return contract.provider_id === user.provider_id;
    case 'contract_manager':
      return contract.portfolio === user.portfolio;
    case 'admin':
      return true;
    case 'commissioner':
      return false;
  }
}

/** @example visibleContracts(commissioner, reference).map((c) => c.id) // the contracts of their programmes */
export function visibleContracts(user: User, reference: ReferenceData): Contract[] {
  return reference.contracts.filter((c) => canSeeContract(user, c));
}

/**
 * Participant-level rows, the cell values quoted in validation reports, and unsuppressed small
 * counts: everyone who may see a contract, except commissioners, who see aggregates only.
 *
 * @example canSeeParticipantRows(commissioner) // false
 */
export function canSeeParticipantRows(user: User): boolean {
  return user.role !== 'commissioner';
}

/**
 * The rows a restricted engine holds for a user (pipelines/analytics/restricted.ts): those of the
 * contracts the user may see, by the same rule as every page (`canSeeContract`). Commissioners:
 * their programmes' contracts; contract managers: their portfolio's; admins: every contract.
 * The commissioner's programme pages, their downloads, the contract API's suppressed figures
 * and ad-hoc queries all read through it, so a programme whose page answers 403 has no rows in
 * the engine either.
 *
 * @example restrictedScope(commissioner, reference).contracts.map((c) => c.programme_id) // only their programmes
 */
export function restrictedScope(user: User, reference: ReferenceData): RestrictedScope {
  return {
    contracts: visibleContracts(user, reference).map((c) => ({
      id: c.id,
      programme_id: c.programme_id,
      provider_id: c.provider_id,
    })),
  };
}

/**
 * Which engine a user's ad-hoc queries (functions/web/routes/analytics.ts) run in, or null for no
 * ad-hoc queries at all. Admins: every exported mart. Commissioners and contract managers: the
 * restricted engine, which holds only the published tables (the suppressed copies and
 * provider_timeliness) and only their contracts' rows (`restrictedScope`). Providers see their
 * own contracts' figures on their pages, and may not query.
 *
 * @example queryEngineKind(commissioner) // 'restricted'
 */
export function queryEngineKind(user: User): 'full' | 'restricted' | null {
  switch (user.role) {
    case 'admin':
      return 'full';
    case 'commissioner':
    case 'contract_manager':
      return 'restricted';
    case 'provider':
      return null;
  }
}

/**
 * The tables a user may name in an ad-hoc query, or null for none: what their engine holds. The
 * page lists them; the engine is what keeps the rest out of reach.
 *
 * @example queryableTables(commissioner) // PUBLISHABLE_TABLES: the suppressed copies and provider_timeliness
 */
export function queryableTables(user: User): readonly string[] | null {
  const kind = queryEngineKind(user);
  return kind === 'full' ? EXPORTED_MART_NAMES : kind === 'restricted' ? PUBLISHABLE_TABLES : null;
}

/** What a route may require of the caller for a contract, and the rule that decides it. */
export const permissions = {
  see: canSeeContract,
  submit: canSubmitFor,
  withdraw: canWithdrawFor,
} as const;
export type Permission = keyof typeof permissions;

/** 401 (not signed in), 403 (signed in, not allowed) or 404 (no such contract). */
export type AccessStatus = 401 | 403 | 404;

/**
 * A refusal. For the API it renders as JSON with the status; for pages, 401 redirects to the
 * sign-in page and 403 or 404 renders a page saying so.
 *
 * @example throw new AccessError(403, 'You can only see your own organisation’s contracts.')
 */
export class AccessError extends WebError {
  constructor(
    override readonly status: AccessStatus,
    message: string,
  ) {
    super(status, message);
    this.name = 'AccessError';
  }

  override render(c: Parameters<WebError['render']>[0]): Response | Promise<Response> {
    if (this.status === 401) {
      if (isApiPath(c.req.path)) {
        c.header('WWW-Authenticate', 'Bearer realm="outturn"');
        return c.json({ error: this.message }, 401);
      }
      return c.redirect('/sign-in', 302);
    }
    return super.render(c);
  }
}
