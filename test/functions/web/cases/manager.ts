/** Route × role cases for the manager area (functions/web/routes/manager.ts). */
import type { Case, CasesFor, Expect } from './common.js';
import { seeAgg, seePlp, seeVrsSouth, signedIn } from './common.js';

// Commissioners see no contract manager page: they compare providers through the suppressed views.
const noComm = (e: Expect): Expect => ({ ...e, comm: 403 });

export const cases: CasesFor = (): Case[] => [
  { route: 'GET /portfolio', url: '/portfolio', expect: noComm(signedIn(302, 200)) },

  { route: 'GET /contracts/:id/quality', url: '/contracts/plp-test/quality', expect: noComm(seePlp(302)) },
  { route: 'GET /contracts/:id/quality', url: '/contracts/vrs-south/quality', expect: noComm(seeVrsSouth(302)) },
  { route: 'GET /contracts/:id/quality', url: '/contracts/agg-test/quality', expect: noComm(seeAgg(302)) },
  { route: 'GET /contracts/:id/quality', url: '/contracts/no-such-contract/quality', expect: signedIn(302, 404) },
  { route: 'GET /contracts/:id/quality', url: '/contracts/plp-test/quality?table=issues&format=csv', expect: noComm(seePlp(302)) },

  { route: 'GET /contracts/:id/review', url: '/contracts/plp-test/review', expect: noComm(seePlp(302)) },
  { route: 'GET /contracts/:id/review', url: '/contracts/plp-test/review?quarter=2025-Q1', expect: noComm(seePlp(302)) },
  { route: 'GET /contracts/:id/review', url: '/contracts/vrs-south/review?quarter=2025-Q1', expect: noComm(seeVrsSouth(302)) },
  { route: 'GET /contracts/:id/review', url: '/contracts/agg-test/review?quarter=2025-Q1', expect: noComm(seeAgg(302)) },
  { route: 'GET /contracts/:id/review', url: '/contracts/no-such-contract/review?quarter=2025-Q1', expect: signedIn(302, 404) },
  // The policy first: a bad quarter is 400 only to those who may see the contract.
  { route: 'GET /contracts/:id/review', url: '/contracts/plp-test/review?quarter=2025-Q5', expect: { ...seePlp(302), 'acme-user': 400, 'cm-north': 400, comm: 403, admin: 400 } },
];
