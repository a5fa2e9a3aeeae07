/** Route × role cases for improvement plans and the review commentary (functions/web/routes/plan.ts). */
import { addAction } from '../../../../pipelines/review/plans.js';
import type { Case, CasesFor, Expect } from './common.js';
import { seePlp, signedIn } from './common.js';

// Commissioners see no contract's plan: it sits with the contract's unsuppressed figures.
const readPlp: Expect = { ...seePlp(302), comm: 403 };
// The contract's manager and admins write the plan; the provider and everyone else are refused.
const writePlp = (ok: number): Expect => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'cm-north': ok,
  comm: 403,
  admin: ok,
  'partner-north': 403,
});
// The provider updates an action's status and notes, as the manager and admins may.
const updatePlp = (ok: number): Expect => ({ ...writePlp(ok), 'acme-user': ok });

const form = (fields: Record<string, string>) => () => new URLSearchParams(fields);

export const cases: CasesFor = async (f): Promise<Case[]> => {
  const action = await addAction(
    f.pipeline.store,
    {
      contractId: 'plp-test',
      text: 'Contact every referral within 2 working days',
      owner: 'Acme delivery lead',
      due: '2025-06-30',
      by: 'cm-north',
    },
    new Date('2025-04-01T09:00:00Z'),
  );
  const actionUrl = `/contracts/plp-test/plan/actions/${action.id}`;
  return [
    { route: 'GET /contracts/:id/plan', url: '/contracts/plp-test/plan', expect: readPlp },
    {
      route: 'GET /contracts/:id/plan',
      url: '/contracts/no-such-contract/plan',
      expect: signedIn(302, 404),
    },
    {
      route: 'POST /contracts/:id/plan/actions',
      url: '/contracts/plp-test/plan/actions',
      form: form({ text: 'Review every open case', owner: 'Team lead', due: '2025-07-31' }),
      expect: writePlp(303),
    },
    {
      route: 'POST /contracts/:id/plan/actions',
      url: '/contracts/plp-test/plan/actions',
      form: form({ text: '', owner: 'Team lead', due: '31/07/2025' }),
      expect: writePlp(400),
    },
    {
      route: 'POST /contracts/:id/plan/actions',
      url: '/contracts/vrs-south/plan/actions',
      form: form({ text: 'Review every open case', owner: 'Team lead', due: '2025-07-31' }),
      expect: {
        anonymous: 302,
        'acme-user': 403,
        'north-user': 403,
        'cm-north': 403,
        comm: 403,
        admin: 303,
        'partner-north': 403,
      },
    },
    { route: 'GET /contracts/:id/plan/actions/:action', url: actionUrl, expect: updatePlp(200) },
    {
      route: 'GET /contracts/:id/plan/actions/:action',
      url: '/contracts/plp-test/plan/actions/a-000000000000',
      expect: updatePlp(404),
    },
    {
      route: 'POST /contracts/:id/plan/actions/:action',
      url: actionUrl,
      form: form({ status: 'done', notes: 'Done in May: 94% contacted within 2 days.' }),
      expect: updatePlp(303),
    },
    {
      route: 'POST /contracts/:id/plan/actions/:action',
      url: actionUrl,
      form: form({ status: 'finished', notes: '' }),
      expect: updatePlp(400),
    },
    {
      route: 'POST /contracts/:id/review/commentary',
      url: '/contracts/plp-test/review/commentary',
      form: form({ quarter: '2024-25-Q4', commentary: 'Referrals are at 30% of profile.' }),
      expect: writePlp(303),
    },
    {
      route: 'POST /contracts/:id/review/commentary',
      url: '/contracts/plp-test/review/commentary',
      form: form({ quarter: '2025-Q5', commentary: 'x' }),
      expect: writePlp(400),
    },
  ];
};
