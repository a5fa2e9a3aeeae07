/**
 * The access kinds a route declares (`route('GET', path, { access: 'review-contract', … })`), each
 * a rule from ./rules.ts with the words for a refusal. The web app's guard enforces them; nothing
 * else checks a role.
 */
import { OutturnError, type Failure } from '../errors.js';
import type { Contract, Programme, ReferenceData, User } from '../reference/schema.js';
import {
  canReadProgramme,
  canRecordClaimEvidence,
  canReview,
  canSeeContract,
  canSeeParticipantRows,
  canSubmitFor,
  canWithdrawFor,
  isAdministrator,
  isPartner,
  manageableProgrammes,
  planFieldsFor,
  queryEngineKind,
  readsProgrammeOverviews,
  reviewsReturns,
} from './rules.js';
import { submissionRefusal } from './submit.js';

/** A refusal: not signed in (401), not allowed (403) or no such contract or programme (404). */
export class AccessRefusedError extends OutturnError {
  constructor(
    failure: Extract<Failure, 'not-signed-in' | 'forbidden' | 'not-found'>,
    message: string,
  ) {
    super(failure, message);
    this.name = 'AccessRefusedError';
  }
}

interface UserRule {
  allows(user: User): boolean;
  refusal: string;
}

/** What a signed-in user may reach, whatever the contract. */
export const userAccess = {
  'signed-in': { allows: () => true, refusal: '' },
  portfolio: {
    allows: canSeeParticipantRows,
    refusal:
      'Commissioners compare providers through the programme pages, where small numbers are suppressed. This page shows contracts’ unsuppressed figures.',
  },
  'reference-data': {
    allows: (user) => manageableProgrammes(user) !== null,
    refusal:
      'Reference data is managed by commissioners and administrators. Ask your commissioner if a contract or profile is wrong.',
  },
  analytics: {
    allows: (user) => queryEngineKind(user) !== null,
    refusal:
      'Ad-hoc queries are for commissioners, contract managers and administrators. Your contracts’ figures are on their pages, with downloads of every table.',
  },
  /** The review queue: returns waiting for a decision, and late or missing returns. */
  queue: {
    allows: reviewsReturns,
    refusal:
      'The review queue is for contract managers. Your returns and anything to do on them are on your home page.',
  },
  admin: { allows: isAdministrator, refusal: 'Only administrators can read the audit log.' },
  /** A delivery partner's own participants' figures (ADR 042), from an engine holding only them. */
  'partner-figures': {
    allows: isPartner,
    refusal:
      'This page is for delivery partners’ users: it shows the figures of the participants a partner supports. Your contracts’ figures, partners included, are on their pages.',
  },
} as const satisfies Record<string, UserRule>;

interface ContractRule {
  allows(user: User, contract: Contract): boolean;
  refusal(user: User, contract: Contract, reference: ReferenceData): string;
}

function cannotSee(user: User, contract: Contract): string {
  switch (user.role) {
    case 'provider':
      return `You can only see your own organisation’s contracts, and contract "${contract.id}" is not one of them.`;
    case 'contract_manager':
      return `Contract "${contract.id}" is not in your portfolio.`;
    default:
      return `Contract "${contract.id}" is not in a programme you commission.`;
  }
}

const readContract: ContractRule = { allows: canSeeContract, refusal: cannotSee };

/** What a signed-in user may do with one contract. */
export const contractAccess = {
  /** Its summary, its returns and receipts (commissioners: without row values). */
  'read-contract': readContract,
  /** Its unsuppressed figures: the dashboards, data quality, the quarterly review, their downloads. */
  'read-contract-figures': {
    allows: (user, contract) => canSeeContract(user, contract) && canSeeParticipantRows(user),
    refusal: (user, contract) =>
      canSeeContract(user, contract)
        ? 'Commissioners compare providers through the programme pages, where small numbers are suppressed. This page shows one contract’s unsuppressed figures.'
        : cannotSee(user, contract),
  },
  'submit-return': {
    allows: canSubmitFor,
    refusal: (user, contract, reference) => submissionRefusal(user, contract, reference).message,
  },
  /** Withdraw the version of a return in force (ADR 023). */
  'withdraw-version': {
    allows: canWithdrawFor,
    refusal: (user, contract) =>
      canSeeContract(user, contract)
        ? `A version of contract "${contract.id}"'s return is withdrawn by its provider, its contract manager or an administrator.`
        : cannotSee(user, contract),
  },
  /** Record the evidence held for its sampled claims (ADR 040). */
  'record-claim-evidence': {
    allows: canRecordClaimEvidence,
    refusal: (user, contract) =>
      canSeeContract(user, contract)
        ? `The evidence for contract "${contract.id}"'s sampled claims is recorded by its provider, which holds it. You can see the answers and the adjustment on the contract's claims verification page.`
        : cannotSee(user, contract),
  },
  'review-contract': {
    allows: canReview,
    refusal: (user, contract) =>
      canSeeContract(user, contract)
        ? `Returns for contract "${contract.id}" are accepted or queried by its contract manager or an administrator.`
        : cannotSee(user, contract),
  },
  /** Write a contract's improvement plan and the commentary on its quarterly review (ADR 039). */
  'write-plan': {
    allows: (user, contract) => planFieldsFor(user, contract) === 'all',
    refusal: (user, contract) =>
      canSeeContract(user, contract)
        ? `Contract "${contract.id}"'s improvement plan is written by its contract manager. Its provider can update each action's status and notes.`
        : cannotSee(user, contract),
  },
  /** Update an action of the plan: its manager every field, its provider the status and notes. */
  'update-plan-action': {
    allows: (user, contract) => planFieldsFor(user, contract) !== null,
    refusal: (user, contract) =>
      canSeeContract(user, contract)
        ? `Contract "${contract.id}"'s improvement plan is kept by its contract manager and its provider.`
        : cannotSee(user, contract),
  },
} as const satisfies Record<string, ContractRule>;

/** What a signed-in user may do with one programme. */
export const programmeAccess = {
  'read-programme': {
    /** Those who may read no programme at all are told so before the id is looked up. */
    anyAllowed: readsProgrammeOverviews,
    allows: canReadProgramme,
    refusalForRole:
      'Programme overviews are for commissioners. You can see your own contracts from your home page.',
    refusal: (programme: Programme) => `Programme "${programme.id}" is not one you commission.`,
  },
} as const;

export type UserAccessKind = keyof typeof userAccess;
export type ContractAccessKind = keyof typeof contractAccess;
export type ProgrammeAccessKind = keyof typeof programmeAccess;
export type AccessKind = 'anyone' | UserAccessKind | ContractAccessKind | ProgrammeAccessKind;

/** @throws AccessRefusedError 403 when the user may not. */
export function checkUserAccess(kind: UserAccessKind, user: User): void {
  const rule: UserRule = userAccess[kind];
  if (!rule.allows(user)) throw new AccessRefusedError('forbidden', rule.refusal);
}

/**
 * The contract, when the user may do `kind` with it.
 *
 * @throws AccessRefusedError 404 when there is no such contract, 403 when the user may not.
 */
export function checkContractAccess(
  kind: ContractAccessKind,
  user: User,
  reference: ReferenceData,
  contractId: string,
): Contract {
  const contract = reference.contracts.find((x) => x.id === contractId);
  if (!contract)
    throw new AccessRefusedError(
      'not-found',
      `There is no contract "${contractId}". Check the contract id.`,
    );
  const rule: ContractRule = contractAccess[kind];
  if (!rule.allows(user, contract))
    throw new AccessRefusedError('forbidden', rule.refusal(user, contract, reference));
  return contract;
}

/**
 * The programme, when the user may do `kind` with it.
 *
 * @throws AccessRefusedError 403 when the user may not, 404 when there is no such programme.
 */
export function checkProgrammeAccess(
  kind: ProgrammeAccessKind,
  user: User,
  reference: ReferenceData,
  programmeId: string,
): Programme {
  const rule = programmeAccess[kind];
  if (!rule.anyAllowed(user)) throw new AccessRefusedError('forbidden', rule.refusalForRole);
  const programme = reference.programmes.find((p) => p.id === programmeId);
  if (!programme)
    throw new AccessRefusedError(
      'not-found',
      `There is no programme "${programmeId}". Check the programme id.`,
    );
  if (!rule.allows(user, programme))
    throw new AccessRefusedError('forbidden', rule.refusal(programme));
  return programme;
}
