/** Route × role cases for the manager area (functions/web/routes/manager.ts). */
import { listReceipts } from '../../../../pipelines/ingest/ingest.js';
import type { Case, CasesFor, Expect } from './common.js';
import { seeAgg, seePlp, seeVrsSouth, signedIn } from './common.js';

// Commissioners see no contract manager page: they compare providers through the suppressed
// views. Nor do delivery partners: they see their own participants' figures on /partner.
const noComm = (e: Expect): Expect => ({ ...e, comm: 403, 'partner-north': 403 });

// Who may accept or query a return: the contract's manager and admins. The policy first, so
// everyone else is refused before the receipt is looked for or the form read.
const reviewPlp = (ok: number): Expect => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': ok,
  comm: 403,
  admin: ok,
});
const review =
  (decision: string, message = '') =>
  () =>
    new URLSearchParams({ decision, message });

export const cases: CasesFor = async (f): Promise<Case[]> => {
  const [plp] = await listReceipts(f.pipeline.store, { contractId: 'plp-test' });
  const [south] = await listReceipts(f.pipeline.store, { contractId: 'vrs-south' });
  const reviewOf = (r: typeof plp) => `/contracts/${r!.contract_id}/returns/${r!.id}/review`;
  return [
    {
      route: 'POST /contracts/:id/returns/:receipt/review',
      url: reviewOf(plp),
      form: review('accepted'),
      expect: reviewPlp(303),
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/review',
      url: reviewOf(plp),
      form: review('queried', 'Row 2: check the start date.'),
      expect: reviewPlp(303),
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/review',
      url: reviewOf(plp),
      form: review('queried'),
      expect: reviewPlp(400),
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/review',
      url: reviewOf(plp),
      form: review(''),
      expect: reviewPlp(400),
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/review',
      url: reviewOf(south),
      form: review('accepted'),
      expect: {
        anonymous: 302,
        'acme-user': 403,
        'north-user': 403,
        'partner-north': 403,
        'cm-north': 403,
        comm: 403,
        admin: 303,
      },
    },
    {
      route: 'POST /contracts/:id/returns/:receipt/review',
      url: `/contracts/plp-test/returns/${south!.id}/review`,
      form: review('accepted'),
      expect: reviewPlp(404),
    },

    { route: 'GET /portfolio', url: '/portfolio', expect: noComm(signedIn(302, 200)) },
    {
      route: 'GET /queue',
      url: '/queue',
      expect: {
        anonymous: 302,
        'acme-user': 403,
        'north-user': 403,
        'partner-north': 403,
        'cm-north': 200,
        comm: 403,
        admin: 200,
      },
    },

    {
      route: 'GET /contracts/:id/measures',
      url: '/contracts/plp-test/measures',
      expect: noComm(seePlp(302)),
    },
    {
      route: 'GET /contracts/:id/measures',
      url: '/contracts/vrs-south/measures?breakdown=support_tier&grain=programme_year',
      expect: noComm(seeVrsSouth(302)),
    },
    {
      route: 'GET /contracts/:id/measures',
      url: '/contracts/plp-test/measures?breakdown=sex&table=transitions&format=csv',
      expect: noComm(seePlp(302)),
    },
    {
      route: 'GET /contracts/:id/measures',
      url: '/contracts/no-such-contract/measures',
      expect: signedIn(302, 404),
    },
    {
      route: 'GET /contracts/:id/measures',
      url: '/contracts/vrs-south/measures?breakdown=support_tier&grain=quarter&cohort=referral&table=transitions&format=xlsx',
      expect: noComm(seeVrsSouth(302)),
    },
    {
      route: 'GET /portfolio/measures',
      url: '/portfolio/measures?breakdown=sex',
      expect: noComm(signedIn(302, 200)),
    },
    {
      route: 'GET /portfolio/fair-comparison',
      url: '/portfolio/fair-comparison',
      expect: noComm(signedIn(302, 200)),
    },
    {
      route: 'GET /portfolio/fair-comparison',
      url: '/portfolio/fair-comparison?table=signals&format=csv',
      expect: noComm(signedIn(302, 200)),
    },
    {
      route: 'GET /contracts/:id/quality',
      url: '/contracts/plp-test/quality',
      expect: noComm(seePlp(302)),
    },
    {
      route: 'GET /contracts/:id/quality',
      url: '/contracts/vrs-south/quality',
      expect: noComm(seeVrsSouth(302)),
    },
    {
      route: 'GET /contracts/:id/quality',
      url: '/contracts/agg-test/quality',
      expect: noComm(seeAgg(302)),
    },
    {
      route: 'GET /contracts/:id/quality',
      url: '/contracts/no-such-contract/quality',
      expect: signedIn(302, 404),
    },
    {
      route: 'GET /contracts/:id/quality',
      url: '/contracts/plp-test/quality?table=scores&format=xlsx',
      expect: noComm(seePlp(302)),
    },
    {
      route: 'GET /contracts/:id/quality',
      url: '/contracts/plp-test/quality?table=issues&format=csv',
      expect: noComm(seePlp(302)),
    },

    {
      route: 'GET /contracts/:id/review',
      url: '/contracts/plp-test/review',
      expect: noComm(seePlp(302)),
    },
    {
      route: 'GET /contracts/:id/review',
      url: '/contracts/plp-test/review?quarter=2025-Q1',
      expect: noComm(seePlp(302)),
    },
    {
      route: 'GET /contracts/:id/review',
      url: '/contracts/vrs-south/review?quarter=2025-Q1',
      expect: noComm(seeVrsSouth(302)),
    },
    {
      route: 'GET /contracts/:id/review',
      url: '/contracts/agg-test/review?quarter=2025-Q1',
      expect: noComm(seeAgg(302)),
    },
    {
      route: 'GET /contracts/:id/review',
      url: '/contracts/no-such-contract/review?quarter=2025-Q1',
      expect: signedIn(302, 404),
    },
    // The policy first: a bad quarter is 400 only to those who may see the contract.
    {
      route: 'GET /contracts/:id/review',
      url: '/contracts/plp-test/review?quarter=2025-Q5',
      expect: { ...seePlp(302), 'acme-user': 400, 'cm-north': 400, comm: 403, admin: 400 },
    },
  ];
};
