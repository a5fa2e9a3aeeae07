/**
 * Names in words for what the reference data knows by id: a contract has an id, not a name, so
 * pages name it by programme, area and provider; a role by what people call it.
 */
import type { Contract, ReferenceData, User } from '../pipelines/reference/schema.js';
import type { RagRule } from './components/rag-tag.js';

export const roleNames: Record<User['role'], string> = {
  provider: 'Provider',
  partner: 'Delivery partner',
  contract_manager: 'Contract manager',
  commissioner: 'Commissioner',
  admin: 'Administrator',
};

/**
 * @example contractTitle(contract, reference) // 'Provider-led Pathways to Work, Test District (Acme Employment)'
 */
export function contractTitle(contract: Contract, reference: ReferenceData): string {
  const programme =
    reference.programmes.find((p) => p.id === contract.programme_id)?.name ?? contract.programme_id;
  const provider =
    reference.providers.find((p) => p.id === contract.provider_id)?.name ?? contract.provider_id;
  return `${programme}, ${contract.area.name} (${provider})`;
}

/**
 * Each contract of the reference data in words, by id (an unknown id stays as it is).
 *
 * @example contractNameIn(reference)('plp-test') // 'Provider-led Pathways to Work, Test District (Acme Employment)'
 */
export function contractNameIn(reference: ReferenceData): (contractId: string) => string {
  return (id) => {
    const contract = reference.contracts.find((c) => c.id === id);
    return contract ? contractTitle(contract, reference) : id;
  };
}

/**
 * Each contract's RAG thresholds, its programme's, by id.
 *
 * @example ragRuleIn(reference)('plp-test') // { green_from: 0.95, amber_from: 0.85 }
 */
export function ragRuleIn(reference: ReferenceData): (contractId: string) => RagRule | undefined {
  return (id) => {
    const contract = reference.contracts.find((c) => c.id === id);
    return reference.programmes.find((p) => p.id === contract?.programme_id)?.rag;
  };
}
