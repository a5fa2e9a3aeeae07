/**
 * The audit log as a page for administrators: every action that changed state, newest first.
 * The same columns as the CSV download, so what is read on screen is what is downloaded.
 */
import {
  auditActions,
  type AuditEntry,
  type AuditFilter,
} from '../../../pipelines/audit/audit-log.js';
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

/** The filter form: user, contract, action and dates, sent by GET so a filtered view can be linked. */
function filterForm(
  filter: AuditFilter,
  names: ReadonlyMap<string, string>,
  contracts: readonly string[],
): Html {
  const select = (id: keyof AuditFilter, label: string, options: readonly [string, string][]) =>
    html`<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="${id}">${label}</label>
<select class="govuk-select" id="${id}" name="${id}"><option value="">Any</option>${options.map(([v, t]) => html`<option value="${v}"${filter[id] === v ? html` selected` : ''}>${t}</option>`)}</select></div>`;
  const date = (id: keyof AuditFilter, label: string) =>
    html`<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="${id}">${label}</label>
<input class="govuk-input govuk-input--width-10" id="${id}" name="${id}" type="date" value="${filter[id] ?? ''}"></div>`;
  return html`<form method="get" action="/admin/audit" novalidate>
<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">Filter the log</h2></legend>
${select(
  'who',
  'User',
  [...names].map(([id, name]) => [id, `${name} (${id})`]),
)}
${select(
  'contract',
  'Contract',
  contracts.map((id) => [id, id]),
)}
${select(
  'action',
  'Action',
  auditActions.map((a) => [a, a.replaceAll('_', ' ')]),
)}
${date('since', 'From (UTC date)')}
${date('until', 'To (UTC date)')}
</fieldset>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Show entries</button>
<p class="govuk-body"><a class="govuk-link" href="/admin/audit">Clear the filters</a></p>
</form>`;
}

/** The filter as query parameters, for the CSV link. */
export function filterQuery(filter: AuditFilter): string {
  const q = new URLSearchParams(
    Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  return q ? `?${q}` : '';
}

export function auditPage(
  entries: readonly AuditEntry[],
  names: ReadonlyMap<string, string>,
  filter: AuditFilter = {},
  contracts: readonly string[] = [],
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
${filterForm(filter, names, contracts)}
<p class="govuk-body"><a class="govuk-link" href="/admin/audit.csv${filterQuery(filter)}" download>${filterQuery(filter) ? 'Download these entries (CSV)' : 'Download the whole audit log (CSV)'}</a></p>
${table}`,
  });
}
