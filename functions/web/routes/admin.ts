/** Administrators' pages: the audit log, on screen and as a CSV download. */
import type { Context } from 'hono';
import { filterAudit, listAudit, type AuditFilter } from '../../../pipelines/audit/audit-log.js';
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
    const filter = auditFilter(c);
    return c.html(
      auditPage(
        filterAudit(await listAudit(deps.store), filter),
        names,
        filter,
        caller.reference.contracts.map((x) => x.id),
      ).toString(),
    );
  }),

  route('GET', '/admin/audit.csv', { access: 'admin' }, async (c, { deps }) => {
    const download = toCsvDownload(
      auditColumns,
      newestFirst(filterAudit(await listAudit(deps.store), auditFilter(c))).map(auditRow),
    );
    return c.body(download.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': download.contentType,
      'Content-Disposition': 'attachment; filename="audit-log.csv"',
    });
  }),
];

/** `?who=&contract=&action=&since=&until=`: blank or malformed dates are no filter. */
function auditFilter(c: Context): AuditFilter {
  const text = (k: string) => c.req.query(k)?.trim() || undefined;
  const day = (k: string) => {
    const v = text(k);
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
  };
  const f: AuditFilter = {};
  const who = text('who');
  const contract = text('contract');
  const action = text('action');
  const since = day('since');
  const until = day('until');
  if (who) f.who = who;
  if (contract) f.contract = contract;
  if (action) f.action = action;
  if (since) f.since = since;
  if (until) f.until = until;
  return f;
}
