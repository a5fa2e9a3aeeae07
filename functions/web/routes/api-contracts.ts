/** The contracts the caller may see, and a contract's performance against profile. */
import { route } from '../auth/guard.js';
import { canSeeParticipantRows, visibleContracts } from '../../../pipelines/access/index.js';
import { openCurated, withMarts } from '../../../pipelines/transform/query.js';
import { openPublished } from '../published.js';
import type { ContractPerformance, ContractShape } from '../api-shapes.js';

export const contractApiRoutes = [
  route('GET', '/api/contracts', { access: 'signed-in' }, (c, { caller }) => {
    const contracts: ContractShape[] = visibleContracts(caller.user, caller.reference).map(
      (contract) => ({
        ...contract,
        links: {
          performance: `/api/contracts/${encodeURIComponent(contract.id)}/performance`,
          returns: `/api/returns?contract=${encodeURIComponent(contract.id)}`,
        },
      }),
    );
    return c.json({ contracts });
  }),

  // Commissioners get the suppressed copy, from the restricted engine: a count of 1 to 4 could
  // identify a participant.
  route(
    'GET',
    '/api/contracts/:id/performance',
    { access: 'read-contract', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const suppressed = !canSeeParticipantRows(caller.user);
      const open = suppressed ? () => openPublished(deps, caller) : () => openCurated(deps.store);
      const mart = suppressed ? 'suppressed_performance' : 'performance';
      return withMarts(open, async (db) => {
        // The mart's name is one of two constants; the contract id is always a bound parameter.
        const { rows } = await db.query(
          `select * from ${mart} where contract_id = $contract order by measure_order, period`,
          { contract: contract.id },
        );
        const body: ContractPerformance = {
          contract_id: contract.id,
          as_of: db.manifest.as_of,
          mart,
          rows,
        };
        return c.json(body);
      });
    },
  ),
];
