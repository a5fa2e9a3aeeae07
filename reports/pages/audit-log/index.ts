/**
 * The audit log as a page for administrators: every action that changed state, newest first.
 * The same columns as the CSV download, so what is read on screen is what is downloaded.
 */
import type { AuditEntry } from '../../../pipelines/audit/audit-log.js';
import type { Column, Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';

export const auditColumns: readonly Column[] = [
  { key: 'who', label: 'Who' },
  { key: 'at', label: 'When (UTC)' },
  { key: 'action', label: 'Action' },
  { key: 'target', label: 'Target' },
  { key: 'detail', label: 'Detail' },
  { key: 'from', label: 'From' },
];

/** Newest first; entries of the same instant keep a stable order by id. */
export function newestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].sort((a, b) =>
    a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0,
  );
}

/** One entry as a row of the table and the download: no one signed in reads as "no one". */
export function auditRow(e: AuditEntry): Row {
  return {
    who: e.who ?? 'no one',
    at: e.at.replace('T', ' ').replace(/\.\d{3}Z$/, ''),
    action: e.action.replace('_', ' '),
    target: e.target ?? '',
    detail: e.detail,
    from: e.from,
  };
}

export function auditPage(
  entries: readonly AuditEntry[],
  names: ReadonlyMap<string, string>,
): Html {
  const rows = newestFirst(entries).map(auditRow);
  const who = (id: string) => (names.get(id) ? `${names.get(id)} (${id})` : id);
  const table = dataTable({
    caption: `Audit log, newest first (${rows.length} ${rows.length === 1 ? 'entry' : 'entries'})`,
    columns: auditColumns.map((c, i) =>
      i === 0 ? { ...c, render: (r: Row) => who(String(r[c.key] ?? '')) } : c,
    ),
    rows,
    empty: 'Nothing has been recorded yet.',
  });
  return layout({
    title: 'Audit log',
    navigation: [
      { text: 'Your contracts', href: '/' },
      { text: 'Audit log', href: '/admin/audit', current: true },
    ],
    content: html`<h1 class="govuk-heading-l">Audit log</h1>
<p class="govuk-body">Every sign-in, upload, and decision to accept or query a return, with who did it, when and from where. Entries are never changed or removed.</p>
<p class="govuk-body"><a class="govuk-link" href="/admin/audit.csv" download>Download the whole audit log (CSV)</a></p>
${table}`,
  });
}
