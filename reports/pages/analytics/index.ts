/**
 * The ad-hoc query page: the tables the caller may query with their columns, a form for one
 * query in the Athena (Trino) dialect, example queries, and the result (or the problems, in a
 * GOV.UK error summary naming what to change). A pure function of what the route worked out.
 */
import {
  MAX_ROWS_LIMIT,
  type AnalyticsResult,
  type EngineName,
} from '../../../pipelines/analytics/engine.js';
import type { QueryableTable } from '../../../pipelines/analytics/tables.js';
import { dataTable } from '../../components/data-table.js';
import { errorSummary } from '../../components/error-summary.js';
import { errorMessage } from '../../components/form-fields.js';
import type { Column } from '../../columns.js';
import { formatNumber } from '../../format.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';

export const analyticsPath = '/analytics';

/** Rows shown on the page; the CSV download carries up to MAX_ROWS_LIMIT. */
export const PAGE_ROWS = 1000;

export interface AnalyticsForm {
  sql: string;
  /** The values for `?`, one a line, as typed. */
  params: string;
}

export interface PageProblem {
  text: string;
}

export interface AnalyticsPageOptions {
  tables: readonly QueryableTable[];
  engine: EngineName;
  database: string;
  form: AnalyticsForm;
  problems?: readonly PageProblem[];
  result?: AnalyticsResult;
}

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'double', 'real', 'decimal']);

/** The result's columns for the table and the CSV: headings are the column names as queried. */
export function resultColumns(result: AnalyticsResult, format: 'page' | 'download'): Column[] {
  return result.columns.map((c) => ({
    key: c.name,
    label: c.name,
    ...(format === 'page' && NUMERIC.has(c.type) ? { format: 'number' as const } : {}),
  }));
}

/** `1536` → "1.5 KB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${formatNumber(value)} ${value === 1 ? 'byte' : 'bytes'}`
    : `${formatNumber(Math.round(value * 10) / 10)} ${units[unit]}`;
}

/** Example queries that run in both engines, over a table the caller may read. */
export function exampleQueries(
  tables: readonly QueryableTable[],
): { title: string; sql: string }[] {
  const names = tables.map((t) => t.name);
  const examples: { title: string; sql: string }[] = [];
  const perf = names.includes('suppressed_performance')
    ? 'suppressed_performance'
    : names.includes('performance')
      ? 'performance'
      : null;
  if (perf)
    examples.push(
      {
        title: 'Actuals against profile by contract, one month',
        sql: `SELECT contract_id, measure_id, actual${perf === 'suppressed_performance' ? '_display' : ''}, profile\nFROM ${perf}\nWHERE period = '2025-01'\nORDER BY contract_id, measure_id`,
      },
      {
        title: 'How many months each contract has figures for',
        sql: `SELECT contract_id, count(DISTINCT period) AS months\nFROM ${perf}\nGROUP BY contract_id\nORDER BY months DESC`,
      },
    );
  if (names.includes('provider_timeliness'))
    examples.push({
      title: 'Providers’ reporting rate and timeliness',
      sql: 'SELECT provider_name, programme_name, reporting_rate, timeliness_rate\nFROM provider_timeliness\nORDER BY timeliness_rate',
    });
  return examples;
}

function tableSection(t: QueryableTable): Html {
  return html`<details class="govuk-details">
<summary class="govuk-details__summary"><span class="govuk-details__summary-text"><code>${t.name}</code>${t.layer === 'suppressed' ? ' (small numbers suppressed)' : ''}</span></summary>
<div class="govuk-details__text">
<p class="govuk-body">${t.description}</p>
${dataTable({
  caption: `Columns of ${t.name}`,
  captionSize: 's',
  columns: [
    { key: 'name', label: 'Column', render: (c) => html`<code>${String(c.name)}</code>` },
    { key: 'type', label: 'Type' },
    { key: 'description', label: 'What it holds' },
  ],
  rows: t.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
})}
</div>
</details>
`;
}

function resultSection(result: AnalyticsResult, form: AnalyticsForm): Html {
  const count = result.rows.length;
  const scanned =
    result.scannedBytes !== undefined
      ? html`<p class="govuk-body">Athena read ${formatBytes(result.scannedBytes)} to answer this query.</p>`
      : html`<p class="govuk-body">Run over the local marts (DuckDB): no data scanned is counted here; in AWS the same query runs in Athena.</p>`;
  return html`<h2 class="govuk-heading-l" id="result">Result</h2>
<p class="govuk-body">${
    result.truncated
      ? `The first ${formatNumber(count)} rows: more matched. Narrow the query with WHERE, or download the result as CSV for up to ${formatNumber(MAX_ROWS_LIMIT)} rows.`
      : `${formatNumber(count)} ${count === 1 ? 'row' : 'rows'}.`
  }</p>
${scanned}
<form method="post" action="${analyticsPath}" novalidate>
<input type="hidden" name="sql" value="${form.sql}">
<input type="hidden" name="params" value="${form.params}">
<input type="hidden" name="download" value="csv">
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Download the result as CSV</button>
</form>
${dataTable({ caption: 'Rows of the result', columns: resultColumns(result, 'page'), rows: result.rows, empty: 'The query ran and returned no rows.' })}`;
}

export function analyticsPage(options: AnalyticsPageOptions): Html {
  const { tables, form, problems = [], result } = options;
  const examples = exampleQueries(tables);
  const sqlError = problems.length ? problems.map((p) => p.text).join(' ') : undefined;
  const content = html`${problems.length ? errorSummary({ errors: problems.map((p) => ({ text: p.text, href: '#sql' })) }) : ''}
<h1 class="govuk-heading-l">Query the marts</h1>
<p class="govuk-body">Write one query in the dialect of Amazon Athena (Trino). ${
    options.engine === 'athena'
      ? html`It runs in Athena over the Glue database <code>${options.database}</code>.`
      : html`Here it runs over the local marts in DuckDB, held to Athena’s rules, so the same query runs in AWS.`
  }</p>
<ul class="govuk-list govuk-list--bullet">
<li>Only <code>SELECT</code> (or <code>WITH … SELECT</code>), one query, with no <code>;</code> at the end.</li>
<li>Quote names with double quotes (<code>"period"</code>), never backticks; write <code>CAST(x AS integer)</code>, not <code>x::integer</code>; write dates as <code>DATE '2025-04-01'</code>.</li>
<li>Give values as <code>?</code> with one value a line below: they are sent as text, so compare numbers with <code>CAST(? AS integer)</code>.</li>
<li>At most ${formatNumber(PAGE_ROWS)} rows are shown. Every query is recorded in the audit log.</li>
</ul>
<form method="post" action="${analyticsPath}" novalidate>
<div class="govuk-form-group${sqlError ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--m" for="sql">Query</label>
<div id="sql-hint" class="govuk-hint">For example: SELECT * FROM ${tables[0]?.name ?? 'suppressed_performance'} LIMIT 10</div>
${errorMessage('sql', sqlError)}
<textarea class="govuk-textarea govuk-!-font-family-monospace${sqlError ? ' govuk-textarea--error' : ''}" id="sql" name="sql" rows="10" spellcheck="false" aria-describedby="sql-hint${sqlError ? ' sql-error' : ''}">${form.sql}</textarea>
</div>
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="params">Values for the ? in the query (optional)</label>
<div id="params-hint" class="govuk-hint">One value a line, in the order of the ? marks.</div>
<textarea class="govuk-textarea" id="params" name="params" rows="3" aria-describedby="params-hint">${form.params}</textarea>
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Run query</button>
</form>
${result ? resultSection(result, form) : ''}
${
  examples.length
    ? html`<h2 class="govuk-heading-m">Example queries</h2>
${examples.map(
  (e) => html`<h3 class="govuk-heading-s">${e.title}</h3>
<pre class="govuk-body govuk-!-font-family-monospace"><code>${e.sql}</code></pre>
`,
)}`
    : ''
}
<h2 class="govuk-heading-m">Tables you may query</h2>
<p class="govuk-body">${tables.length} ${tables.length === 1 ? 'table' : 'tables'}${options.engine === 'athena' ? html`, each also as <code>"${options.database}".name</code>` : ''}. Open one to see its columns.</p>
${tables.map(tableSection)}`;
  return layout({
    title: problems.length ? 'Error: Query the marts' : 'Query the marts',
    navigation: [
      { text: 'Your contracts', href: '/' },
      { text: 'Query the marts', href: analyticsPath, current: true },
    ],
    content,
  });
}
