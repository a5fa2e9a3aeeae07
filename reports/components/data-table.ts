/**
 * A table of query results as a GOV.UK table: a caption, header cells with scope, numbers
 * right-aligned so their digits line up, figures in en-GB, a sentence instead of an empty
 * grid, and links to the same rows as CSV and XLSX (every table is downloadable, DESIGN §6).
 * The table sits in its own scrolling container, so at 390 px a wide table scrolls sideways
 * inside the page instead of widening it (the container is focusable, so it scrolls by keyboard).
 *
 * @example
 *   dataTable({ caption: 'Performance', columns: [{ key: 'period', label: 'Month', format: 'period' }], rows, downloads: { csv: '?format=csv', xlsx: '?format=xlsx' } })
 */
import type { Column, Row } from '../columns.js';
import { NUMERIC_FORMATS, formatValue } from '../format.js';
import { html, type Html } from '../html.js';
import { isRag, ragTag, type RagRule } from './rag-tag.js';

export interface DataTableOptions {
  caption: string;
  columns: readonly Column[];
  rows: readonly Row[];
  /** Said in place of the table when there are no rows. */
  empty?: string;
  /** Where the web app serves this table's downloads; omitted links are not shown. */
  downloads?: { csv?: string; xlsx?: string };
  /**
   * A smaller caption for a table under its own heading; `hidden` for one whose heading already
   * says what it is (the caption stays, for screen readers).
   */
  captionSize?: 's' | 'm' | 'l' | 'hidden';
  /** Attributes on each row's `<tr>`, as `data-*` names and values (e.g. the contract it is for). */
  rowData?: (row: Row) => Record<string, string>;
  /** The RAG thresholds a row's status was judged by, so its tag can say them. */
  ragRule?: (row: Row) => RagRule | undefined;
}

const isNumeric = (c: Column): boolean =>
  c.numeric ?? (c.format !== undefined && c.format !== 'rag' && NUMERIC_FORMATS.has(c.format));

function rowAttributes(data: Record<string, string> | undefined): Html {
  if (!data) return html``;
  return html`${Object.entries(data)
    .filter(([name]) => /^[a-z][a-z0-9-]*$/.test(name))
    .map(([name, value]) => html` data-${name}="${value}"`)}`;
}

export function dataTable(options: DataTableOptions): Html {
  const { caption, columns, rows } = options;
  const size = options.captionSize ?? 'm';
  if (rows.length === 0) {
    if (size === 'hidden')
      return html`<p class="govuk-body">${options.empty ?? 'There is nothing to show yet.'}</p>
`;
    return html`<h2 class="govuk-heading-${size}">${caption}</h2>
<p class="govuk-body">${options.empty ?? 'There is nothing to show yet.'}</p>
`;
  }
  return html`<div class="outturn-table-wrapper" role="region" aria-label="${caption}" tabindex="0">
<table class="govuk-table">
<caption class="govuk-table__caption ${size === 'hidden' ? 'govuk-visually-hidden' : `govuk-table__caption--${size}`}">${caption}</caption>
<thead class="govuk-table__head">
<tr class="govuk-table__row">${columns.map(
    (c) =>
      html`<th scope="col" class="govuk-table__header${isNumeric(c) ? ' govuk-table__header--numeric' : ''}">${c.label}</th>`,
  )}</tr>
</thead>
<tbody class="govuk-table__body">
${rows.map(
  (row) =>
    html`<tr class="govuk-table__row"${rowAttributes(options.rowData?.(row))}>${columns.map((c) => cell(c, row, options.ragRule?.(row)))}</tr>
`,
)}</tbody>
</table>
</div>
${downloadLinks(caption, options.downloads)}`;
}

function cell(column: Column, row: Row, rule: RagRule | undefined): Html {
  const value = row[column.key];
  const numeric = isNumeric(column);
  const content =
    column.render !== undefined
      ? html`${column.render(row)}`
      : column.format === 'rag'
        ? isRag(value)
          ? ragTag(value, rule)
          : ragTag(null)
        : value === null || value === undefined
          ? html`<span aria-hidden="true">–</span><span class="govuk-visually-hidden">none</span>`
          : formatValue(value, column.format);
  const href = column.href?.(row);
  const linked =
    href === undefined ? content : html`<a class="govuk-link" href="${href}">${content}</a>`;
  if (column.rowHeader)
    return html`<th scope="row" class="govuk-table__header${numeric ? ' govuk-table__header--numeric' : ''}">${linked}</th>`;
  return html`<td class="govuk-table__cell${numeric ? ' govuk-table__cell--numeric' : ''}">${linked}</td>`;
}

function downloadLinks(caption: string, downloads: DataTableOptions['downloads']): Html {
  if (!downloads || (!downloads.csv && !downloads.xlsx)) return html``;
  const link = (href: string, kind: string) =>
    html`<li><a class="govuk-link" href="${href}" download>Download this table as ${kind}<span class="govuk-visually-hidden">: ${caption}</span></a></li>`;
  return html`<ul class="govuk-list outturn-downloads">
${downloads.csv && link(downloads.csv, 'CSV')}${downloads.xlsx && link(downloads.xlsx, 'XLSX')}
</ul>
`;
}
