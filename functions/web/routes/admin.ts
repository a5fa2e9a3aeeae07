/** Administrators' pages: the audit log, on screen and as a CSV download. */
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { toCsvDownload } from '../../../reports/export.js';
import { route, type Route } from '../auth/guard.js';
import {
  auditColumns,
  auditPage,
  auditRow,
  newestFirst,
} from '../../../reports/pages/audit-log/index.js';

export const adminRoutes: Route[] = [
  route('GET', '/admin/audit', { access: 'admin' }, async (c, { deps, caller }) => {
    const names = new Map(caller.reference.users.map((u) => [u.id, u.name]));
    return c.html(auditPage(await listAudit(deps.store), names).toString());
  }),

  route('GET', '/admin/audit.csv', { access: 'admin' }, async (c, { deps }) => {
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
