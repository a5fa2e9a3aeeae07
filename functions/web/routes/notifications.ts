/** The preferences page (ADR 025): every signed-in user chooses which email notices they get. */
import { chosenNotices, noticesFor, saveChoice } from '../../../pipelines/notify/notices.js';
import {
  notificationsPage,
  notificationsPath,
} from '../../../reports/pages/notifications/index.js';
import { route } from '../auth/guard.js';
import { requestFields } from '../request-fields.js';

export const notificationRoutes = [
  route('GET', notificationsPath, { access: 'signed-in' }, async (c, { deps, caller }) =>
    c.html(
      notificationsPage(
        caller.user,
        noticesFor(caller.user),
        await chosenNotices(deps.store, caller.user),
        { saved: c.req.query('saved') === 'yes' },
      ).toString(),
    ),
  ),

  route('POST', notificationsPath, { access: 'signed-in' }, async (c, { deps, caller }) => {
    const body = await requestFields(c, { all: true });
    const asked = body['notice'];
    const on = (Array.isArray(asked) ? asked : asked === undefined ? [] : [asked]).filter(
      (v): v is string => typeof v === 'string',
    );
    await saveChoice(deps.store, caller.user, on, deps.now());
    return c.redirect(`${notificationsPath}?saved=yes`, 303);
  }),
];
