/**
 * Who may see and do what: every access rule of Outturn, as pure functions of a user and the
 * reference data. The web app's guard enforces them through the access kinds (./kinds.ts), the
 * ingest applies the right to submit (`authoriseSubmission`), and pages ask them what to offer.
 *
 * - provider: the contracts its organisation holds as lead provider. A subcontractor (say an
 *   NHS team delivering the Condition Management Programme) does not see the contract: its
 *   returns and marts hold the lead provider's whole caseload.
 * - contract manager: the contracts in their portfolio.
 * - commissioner: the contracts of their programmes, as aggregates with small numbers suppressed.
 * - partner (a delivery partner's user, ADR 042): no contract as such; only the figures of the
 *   participants one contract's returns name it as delivering for (`partnerScope`).
 * - admin: everything.
 */
import { EXPORTED_MART_NAMES, PUBLISHABLE_TABLES } from '../analytics/tables.js';
import type { RestrictedScope } from '../analytics/restricted.js';
import type { Contract, Programme, ReferenceData, User } from '../reference/schema.js';
import { partnerCodes } from '../reference/partners.js';

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
    // A partner sees its own participants' figures (partnerScope), not the contract's.
    case 'partner':
      return false;
  }
}

/**
 * The contract's lead provider and administrators. Subcontractors deliver part of a contract but
 * do not submit its returns; contract managers and commissioners read returns, never send them.
 *
 * @example canSubmitFor(contractManager, contract) // false
 */
export function canSubmitFor(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'provider':
      return contract.provider_id === user.provider_id;
    case 'admin':
      return true;
    case 'partner':
    case 'contract_manager':
    case 'commissioner':
      return false;
  }
}

/** Whether a user submits returns at all (for some contract): providers and administrators. */
export function submitsReturns(user: User): boolean {
  return user.role === 'provider' || user.role === 'admin';
}

/**
 * Who may accept or query a contract's returns: its contract manager (the contract is in their
 * portfolio) and administrators. Providers send returns and cannot judge their own; commissioners
 * see aggregates only.
 *
 * @example canReview(contractManager, contract) // true when contract.portfolio === contractManager.portfolio
 */
export function canReview(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'contract_manager':
      return contract.portfolio === user.portfolio;
    case 'admin':
      return true;
    case 'provider':
    case 'partner':
    case 'commissioner':
      return false;
  }
}

/**
 * The users a contract's notices to its provider go to (ADR 025): the lead provider's own users.
 * Administrators may send returns for any contract but are not told about each one.
 */
export function isContractProvider(user: User, contract: Contract): boolean {
  return user.role === 'provider' && user.provider_id === contract.provider_id;
}

/**
 * The contract manager of a contract (its portfolio's): told when its returns are late or missing
 * and when its figures get worse (ADR 025). Administrators may review it, but do not manage it.
 */
export function isContractManager(user: User, contract: Contract): boolean {
  return user.role === 'contract_manager' && user.portfolio === contract.portfolio;
}

/**
 * What a user may change on a contract's improvement plan (ADR 039): its reviewers (the contract
 * manager, administrators) write the actions and the quarter's commentary; its provider keeps
 * each action's status and notes up to date; no one else changes it.
 *
 * @example planFieldsFor(providerUser, contract) // 'status-notes'
 */
export function planFieldsFor(user: User, contract: Contract): 'all' | 'status-notes' | null {
  if (canReview(user, contract)) return 'all';
  if (isContractProvider(user, contract)) return 'status-notes';
  return null;
}

/**
 * Who records whether the evidence for a sampled claim is held (ADR 040): the contract's lead
 * provider, which holds the evidence, and administrators. The contract manager reads the answers
 * and the adjustment; commissioners see them pooled, with small numbers suppressed.
 */
export function canRecordClaimEvidence(user: User, contract: Contract): boolean {
  return canSubmitFor(user, contract);
}

/** Whether a user reviews returns (contract managers and administrators): they have a queue. */
export function reviewsReturns(user: User): boolean {
  return user.role === 'contract_manager' || user.role === 'admin';
}

/**
 * Withdrawing the version of a return in force, putting the one before back (ADR 023): the
 * contract's lead provider, its contract manager and administrators.
 *
 * @example canWithdrawFor(contractManager, contract) // true when contract.portfolio === contractManager.portfolio
 */
export function canWithdrawFor(user: User, contract: Contract): boolean {
  switch (user.role) {
    case 'provider':
      return contract.provider_id === user.provider_id;
    case 'contract_manager':
      return contract.portfolio === user.portfolio;
    case 'admin':
      return true;
    case 'partner':
    case 'commissioner':
      return false;
  }
}

/**
 * Participant-level rows, the cell values quoted in validation reports, unsuppressed small counts
 * and the pages built from them (a contract's quality page, its quarterly review, the portfolio):
 * everyone who may see a contract, except commissioners, who see aggregates only.
 *
 * @example canSeeParticipantRows(commissioner) // false
 */
export function canSeeParticipantRows(user: User): boolean {
  return user.role !== 'commissioner' && user.role !== 'partner';
}

/**
 * Whether a user is told which other contracts a participant is also claimed under (the
 * double_claims mart): contract managers and administrators. A provider is told that a participant
 * is also under another contract, never which; commissioners see aggregates only.
 */
export function seesDoubleClaims(user: User): boolean {
  return user.role === 'contract_manager' || user.role === 'admin';
}

/**
 * A programme's overview and its downloads (suppressed figures): its commissioners and admins.
 * Providers and contract managers see their own contracts elsewhere.
 *
 * @example canReadProgramme(commissioner, programme) // true when it is one of theirs
 */
export function canReadProgramme(user: User, programme: Programme): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'commissioner':
      return user.programme_ids.includes(programme.id);
    case 'provider':
    case 'partner':
    case 'contract_manager':
      return false;
  }
}

/** Whether a user reads programme overviews at all: commissioners and administrators. */
export function readsProgrammeOverviews(user: User): boolean {
  return user.role === 'commissioner' || user.role === 'admin';
}

/** @example visibleProgrammes(commissioner, reference).map((p) => p.id) // their programmes */
export function visibleProgrammes(user: User, reference: ReferenceData): Programme[] {
  return reference.programmes.filter((p) => canReadProgramme(user, p));
}

/**
 * Which programmes' reference data (contracts, profiles) a user may change: none (null) for
 * providers and contract managers, their own programmes for commissioners, every programme
 * (`'all'`) for administrators.
 *
 * @example manageableProgrammes(commissioner) // commissioner.programme_ids
 */
export function manageableProgrammes(user: User): readonly string[] | 'all' | null {
  switch (user.role) {
    case 'admin':
      return 'all';
    case 'commissioner':
      return user.programme_ids;
    case 'provider':
    case 'partner':
    case 'contract_manager':
      return null;
  }
}

/** The audit log, and whatever else only administrators do. */
export function isAdministrator(user: User): boolean {
  return user.role === 'admin';
}

/** @example visibleContracts(commissioner, reference).map((c) => c.id) // the contracts of their programmes */
export function visibleContracts(user: User, reference: ReferenceData): Contract[] {
  return reference.contracts.filter((c) => canSeeContract(user, c));
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
 * Which engine a user's ad-hoc queries run in, or null for no ad-hoc queries at all. Admins: every
 * exported mart. Commissioners and contract managers: the restricted engine, which holds only the
 * published tables (the suppressed copies and provider_timeliness) and only their contracts' rows
 * (`restrictedScope`). Providers see their own contracts' figures on their pages, and may not query.
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
    case 'partner':
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

/**
 * The one contract a partner user delivers for, and the partner code its returns give them, or
 * null for any other user, or a partner whose contract no longer names its organisation.
 *
 * @example partnerOf(partnerUser, reference) // { contract, code: 'nhs-north' }
 */
export function partnerOf(
  user: User,
  reference: ReferenceData,
): { contract: Contract; code: string } | null {
  if (user.role !== 'partner') return null;
  const contract = reference.contracts.find((c) => c.id === user.contract_id);
  if (!contract || !partnerCodes(contract).includes(user.provider_id)) return null;
  return { contract, code: user.provider_id };
}

/** Whether a user is a delivery partner's: they have their participants' figures page. */
export function isPartner(user: User): boolean {
  return user.role === 'partner';
}

/**
 * The rows a partner's engine holds (pipelines/analytics/restricted.ts): of one contract, only the
 * figures of the participants its returns name the partner for (the delivery_partner breakdown,
 * category the partner's code). Privilege, not a filter on the request: the engine has no other
 * row to give. Null for anyone who is not a partner of a contract.
 *
 * @example partnerScope(partnerUser, reference)?.partner // { contract_id: 'plp-test', code: 'nhs-north' }
 */
export function partnerScope(user: User, reference: ReferenceData): RestrictedScope | null {
  const partner = partnerOf(user, reference);
  if (!partner) return null;
  const { contract, code } = partner;
  return {
    contracts: [
      { id: contract.id, programme_id: contract.programme_id, provider_id: contract.provider_id },
    ],
    partner: { contract_id: contract.id, code },
  };
}
