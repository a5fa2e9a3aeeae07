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
import { EXPORTED_MART_NAMES } from '../../../pipelines/analytics/tables.js';
import { PUBLISHABLE_TABLES } from '../../../reports/publish/publish.js';
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
 * The tables a user may name in an ad-hoc query (functions/web/routes/analytics.ts), or null for
 * no ad-hoc queries at all. Admins read every exported mart. Commissioners and contract managers
 * read only what may be published (the suppressed copies and provider_timeliness), across all
 * contracts: the same figures the published dashboards show. Providers see their own contracts'
 * figures on their pages, and may not query across contracts.
 *
 * @example queryableTables(commissioner) // ['suppressed_performance', 'suppressed_outcomes', 'suppressed_costs', 'provider_timeliness']
 */
export function queryableTables(user: User): readonly string[] | null {
  switch (user.role) {
    case 'admin':
      return EXPORTED_MART_NAMES;
    case 'commissioner':
    case 'contract_manager':
      return PUBLISHABLE_TABLES.filter((t) => EXPORTED_MART_NAMES.includes(t));
    case 'provider':
      return null;
  }
}

/** What a route may require of the caller for a contract, and the rule that decides it. */
export const permissions = { see: canSeeContract, submit: canSubmitFor } as const;
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
