/**
 * A contract's delivery partners (ADR 042): the subcontractors in its reference data, each known
 * by its provider id. That id is the code a return gives in `delivery_partner`, the category of
 * the `delivery_partner` breakdown, and what a partner user is tied to.
 */
import type { Contract, ReferenceData } from './schema.js';

/** @example partnerCodes(contract) // ['nhs-north'] */
export function partnerCodes(contract: Contract): string[] {
  return contract.subcontractors.map((s) => s.provider_id);
}

/** The partner's name as providers.json gives it, or its code when it has none. */
export function partnerName(reference: ReferenceData, code: string): string {
  return reference.providers.find((p) => p.id === code)?.name ?? code;
}
