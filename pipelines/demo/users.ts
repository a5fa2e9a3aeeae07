/**
 * The demo's people: one user per provider (the `submitted_by` of the manifest), a contract
 * manager per portfolio, a user for each delivery partner of the partnered contract, commissioners for each programme and for both, and an admin.
 */
import type { Contract, Programme, Provider, User } from '../reference/schema.js';
import { DEMO_PARTNERED } from './partners.js';

const managerNames = ['Morag Campbell', 'Priya Shah', 'Tom Okafor', 'Gwen Davies', 'Liam Byrne'];

export function demoUsers(
  programmes: readonly Programme[],
  providers: readonly Provider[],
  contracts: readonly Contract[],
): User[] {
  const portfolios = [...new Set(contracts.map((c) => c.portfolio))].sort();
  const holding = new Set(
    contracts.flatMap((c) => [c.provider_id, ...c.subcontractors.map((s) => s.provider_id)]),
  );
  return [
    ...providers
      .filter((p) => holding.has(p.id))
      .map((p): User => ({
        id: `user-${p.id}`,
        name: `${p.name} returns officer`,
        role: 'provider',
        provider_id: p.id,
      })),
    // A user of each delivery partner of the partnered contract (ADR 042).
    ...DEMO_PARTNERED.partners
      .filter(() => contracts.some((c) => c.id === DEMO_PARTNERED.contractId))
      .map((code): User => ({
        id: `partner-${code}`,
        name: `${providers.find((p) => p.id === code)?.name ?? code} partner worker`,
        role: 'partner',
        provider_id: code,
        contract_id: DEMO_PARTNERED.contractId,
      })),
    ...portfolios.map((portfolio, i): User => ({
      id: `cm-${portfolio}`,
      name: managerNames[i % managerNames.length]!,
      role: 'contract_manager',
      portfolio,
    })),
    ...programmes.map((p): User => ({
      id: `commissioner-${p.id}`,
      name: `${p.name} commissioner`,
      role: 'commissioner',
      programme_ids: [p.id],
    })),
    {
      id: 'commissioner-all',
      name: 'Regional commissioning lead',
      role: 'commissioner',
      programme_ids: programmes.map((p) => p.id),
    },
    { id: 'admin', name: 'Outturn administrator', role: 'admin' },
  ];
}
