/** Route × role cases for the provider area (functions/web/routes/provider.ts). */
import { listReceipts } from '../../../../pipelines/ingest/ingest.js';
import {
  seePlp,
  seeVrsSouth,
  signedIn,
  upload,
  type Case,
  type CasesFor,
  type Expect,
} from './common.js';

// Who may submit each contract's returns: its lead provider and admins only.
const submitPlp = (anonymous: number, ok: number): Expect => ({
  anonymous,
  'acme-user': ok,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
});
const submitVrsSouth = (anonymous: number, ok: number): Expect => ({
  anonymous,
  'acme-user': 403,
  'north-user': ok,
  'partner-north': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
});

export const cases: CasesFor = async (f): Promise<Case[]> => {
  const [plp] = await listReceipts(f.pipeline.store, { contractId: 'plp-test' });
  const [south] = await listReceipts(f.pipeline.store, { contractId: 'vrs-south' });
  return [
    {
      route: 'GET /contracts/:id/returns',
      url: '/contracts/plp-test/returns',
      expect: seePlp(302),
    },
    {
      route: 'GET /contracts/:id/returns',
      url: '/contracts/vrs-south/returns',
      expect: seeVrsSouth(302),
    },
    {
      route: 'GET /contracts/:id/returns',
      url: '/contracts/no-such-contract/returns',
      expect: signedIn(302, 404),
    },

    {
      route: 'GET /contracts/:id/returns/new',
      url: '/contracts/plp-test/returns/new',
      expect: submitPlp(302, 200),
    },
    {
      route: 'GET /contracts/:id/returns/new',
      url: '/contracts/vrs-south/returns/new',
      expect: submitVrsSouth(302, 200),
    },

    {
      route: 'GET /contracts/:id/returns/:receipt',
      url: `/contracts/plp-test/returns/${plp!.id}`,
      expect: seePlp(302),
    },
    {
      route: 'GET /contracts/:id/returns/:receipt',
      url: `/contracts/vrs-south/returns/${south!.id}`,
      expect: seeVrsSouth(302),
    },
    // A receipt is found only under its own contract: the policy first, then 404 to those who may look.
    {
      route: 'GET /contracts/:id/returns/:receipt',
      url: `/contracts/plp-test/returns/${south!.id}`,
      expect: { ...seePlp(302), 'acme-user': 404, 'cm-north': 404, comm: 404, admin: 404 },
    },

    // A period the API matrix does not use, so no upload here is a duplicate of one there.
    {
      route: 'POST /contracts/:id/returns/new',
      url: '/contracts/plp-test/returns/new',
      form: upload('plp-test', '2025-04'),
      expect: submitPlp(302, 303),
    },
    {
      route: 'POST /contracts/:id/returns/new',
      url: '/contracts/vrs-south/returns/new',
      form: upload('vrs-south', '2025-04'),
      expect: submitVrsSouth(302, 303),
    },
  ];
};
