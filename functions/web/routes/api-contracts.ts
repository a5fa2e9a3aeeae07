/** The contracts the caller may see, and a contract's performance against profile. */
import { route } from '../auth/guard.js';
import { canSeeParticipantRows, visibleContracts } from '../../../pipelines/access/index.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { contractPerformance } from '../performance.js';
import { openPublished } from '../published.js';

export const contractApiRoutes = [
  route('GET', '/api/contracts', { access: 'signed-in' }, (c, { caller }) =>
    c.json({
      contracts: visibleContracts(caller.user, caller.reference).map((contract) => ({
        ...contract,
        links: {
          performance: `/api/contracts/${encodeURIComponent(contract.id)}/performance`,
          returns: `/api/returns?contract=${encodeURIComponent(contract.id)}`,
        },
      })),
    }),
  ),

  // Commissioners get the suppressed copy, from the restricted engine: a count of 1 to 4 could
  // identify a participant.
  route(
    'GET',
    '/api/contracts/:id/performance',
    { access: 'read-contract', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const suppressed = !canSeeParticipantRows(caller.user);
      const open = suppressed ? () => openPublished(deps, caller) : () => openCurated(deps.store);
      return c.json({
        contract_id: contract.id,
        ...(await contractPerformance(open, contract.id, { suppressed })),
      });
    },
  ),
];
