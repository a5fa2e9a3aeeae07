/** The pages: sign-in and sign-out, the signed-in home page, and a contract's page. */
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import { route } from '../auth/guard.js';
import { visibleContracts } from '../auth/policy.js';
import { endSession, startSession } from '../auth/session.js';
import { contractPage, homePage } from '../pages/home.js';
import { signInPage } from '../pages/sign-in.js';

export const pageRoutes = [
  route('GET', '/sign-in', { who: 'anyone' }, async (c, { deps }) => {
    const { users } = await loadReference(deps.store);
    return c.html(signInPage(users));
  }),

  route('POST', '/sign-in', { who: 'anyone' }, async (c, { deps }) => {
    const { users } = await loadReference(deps.store);
    const chosen = (await c.req.parseBody())['user'];
    const user = users.find((u) => u.id === chosen);
    if (!user) return c.html(signInPage(users, { error: 'Select who you are signing in as' }), 400);
    await startSession(c, deps.sessionSecret, user.id);
    return c.redirect('/', 303);
  }),

  route('POST', '/sign-out', { who: 'anyone' }, (c) => {
    endSession(c);
    return c.redirect('/sign-in', 303);
  }),

  route('GET', '/', { who: 'signed-in' }, (c, { caller }) =>
    c.html(homePage(caller.user, visibleContracts(caller.user, caller.reference), caller.reference)),
  ),

  route('GET', '/contracts/:id', { who: 'contract', may: 'see', from: { param: 'id' } }, (c, { caller, contract }) =>
    c.html(contractPage(caller.user, contract, caller.reference)),
  ),
];
