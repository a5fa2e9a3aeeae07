/**
 * Names in words for what the reference data knows by id: a contract has an id, not a name, so
 * pages name it by programme, area and provider; a role by what people call it.
 */
import type { Contract, ReferenceData, User } from '../pipelines/reference/schema.js';

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
