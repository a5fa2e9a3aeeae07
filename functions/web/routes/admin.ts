/** Administrators' pages: the audit log, on screen and as a CSV download. */
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import type { User } from '../../../pipelines/reference/schema.js';
import { toCsvDownload } from '../../../reports/export.js';
import { route, type Route } from '../auth/guard.js';
import { AccessError } from '../auth/policy.js';
import { auditColumns, auditPage, auditRow, newestFirst } from '../pages/manager/audit-log.js';

function adminsOnly(user: User): void {
  if (user.role !== 'admin')
    throw new AccessError(403, 'Only administrators can read the audit log.');
}

export const adminRoutes: Route[] = [
  route('GET', '/admin/audit', { who: 'signed-in' }, async (c, { deps, caller }) => {
    adminsOnly(caller.user);
    const names = new Map(caller.reference.users.map((u) => [u.id, u.name]));
    return c.html(auditPage(await listAudit(deps.store), names).toString());
  }),

  route('GET', '/admin/audit.csv', { who: 'signed-in' }, async (c, { deps, caller }) => {
    adminsOnly(caller.user);
    const download = toCsvDownload(
      auditColumns,
      newestFirst(await listAudit(deps.store)).map(auditRow),
    );
    return c.body(download.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': download.contentType,
      'Content-Disposition': 'attachment; filename="audit-log.csv"',
    });
  }),
];
