/**
 * A contract manager's portfolio: one row per contract with, in its newest month, each profiled
 * measure's share of profile to date and its RAG status; its returns over the term (on time,
 * late, rejected, missing, each out of the returns due) and the newest due month's status; and
 * its data-quality flags by check.
 *
 * Parameters: `contracts`, the ids the caller may see, joined with commas. The web app works
 * them out from the policy (visibleContracts); the SQL splits the string, never pastes it in.
 */
import { relatedLinks } from '../../components/related-links.js';
import { martColumns, type Column, type Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { isRag, ragTag, type RagRule } from '../../components/rag-tag.js';
import { formatNumber, formatPercent, formatPeriod } from '../../format.js';
import { html, type Html } from '../../html.js';
import type { ReportPage } from '../../page.js';

type Params = { contracts: string };
type Queries = 'contracts' | 'measures' | 'returns' | 'quality';

const visible = `(select trim(c) as contract_id from (select unnest(string_split($contracts, ',')) as c) where trim(c) <> '')`;
const byContracts = (p: Params) => ({ contracts: p.contracts });
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** The labels of the data_quality checks, in the order the page lists them. */
export const checkLabels: Record<string, string> = {
  restated_milestone: 'Restated milestones',
  validation_warning: 'Validation warnings',
  outlier: 'Outliers',
  duplicate_participant: 'Possible duplicates',
  aggregate_mismatch: 'Aggregate mismatches',
};

/** The words for a returns_status status. */
export const returnStatusLabels: Record<string, string> = {
  accepted_on_time: 'Accepted on time',
  accepted_late: 'Accepted late',
  held: 'Held: waiting for the provider to confirm',
  withdrawn: 'Withdrawn',
  rejected: 'Rejected',
  missing: 'Missing',
  not_yet_due: 'Not yet due',
};

/** A returns_status status in those words, as a query gives it (`status_label`). */
export const returnStatusColumn: Column = { key: 'status_label', label: 'Status' };

/** The download of the portfolio: each profiled measure of each contract in its newest month. */
export const portfolioMeasureColumns: readonly Column[] = martColumns('performance', [
  'contract_id',
  'measure_label',
  'period',
  'cumulative_actual',
  'cumulative_profile',
  'cumulative_pct_of_profile',
  'rag',
]);

export const portfolio: ReportPage<Params, Queries> = {
  id: 'portfolio',
  title: 'Your portfolio',
  description:
    'Each contract you may see: where it stands against profile, its returns and its data-quality flags.',
  queries: {
    contracts: {
      sql: `select v.contract_id, (select max(period) from performance p where p.contract_id = v.contract_id) as newest_period
            from ${visible} v order by v.contract_id`,
      params: byContracts,
    },
    // Each profiled measure in the contract's newest month.
    measures: {
      sql: `select p.contract_id, p.measure_id, p.measure_label, p.period, p.cumulative_actual, p.cumulative_profile, p.cumulative_pct_of_profile, p.rag
            from performance p
            where p.contract_id in (select contract_id from ${visible})
              and p.cumulative_profile is not null
              and p.period = (select max(period) from performance q where q.contract_id = p.contract_id)
            order by p.contract_id, p.measure_order`,
      params: byContracts,
    },
    returns: {
      sql: `select contract_id,
                   count(*) filter (where status <> 'not_yet_due') as due,
                   count(*) filter (where status = 'accepted_on_time') as on_time,
                   count(*) filter (where status = 'accepted_late') as late,
                   count(*) filter (where status = 'rejected') as rejected,
                   count(*) filter (where status = 'missing') as missing,
                   max(period) filter (where status <> 'not_yet_due') as latest_period,
                   arg_max(status, period) filter (where status <> 'not_yet_due') as latest_status
            from returns_status
            where contract_id in (select contract_id from ${visible})
            group by contract_id order by contract_id`,
      params: byContracts,
    },
    quality: {
      sql: `select contract_id, check_name, count(*) as issues
            from data_quality
            where contract_id in (select contract_id from ${visible})
            group by contract_id, check_name order by contract_id, check_name`,
      params: byContracts,
    },
  },
  tables: {
    measures: {
      title: 'Profiled measures against profile to date',
      query: 'measures',
      columns: portfolioMeasureColumns,
    },
  },
  render(results, context) {
    const contracts = results.contracts.rows;
    const heading = html`<h1 class="govuk-heading-l">Your portfolio</h1>`;
    if (contracts.length === 0)
      return html`${heading}<p class="govuk-body">There are no contracts for you to see.</p>`;
    const of = <T extends Row>(rows: T[], id: unknown) => rows.filter((r) => r.contract_id === id);
    const rows = contracts.map((c) => ({
      ...c,
      contract_name: context.contractName?.(String(c.contract_id)) ?? c.contract_id,
      rag_rule: context.ragRule?.(String(c.contract_id)),
      measures: of(results.measures.rows, c.contract_id),
      returns: of(results.returns.rows, c.contract_id)[0],
      quality: of(results.quality.rows, c.contract_id),
    }));
    const href = context.downloadHref;
    return html`${heading}
<p class="govuk-body">Each contract in its newest month with figures: every profiled measure to date against profile with its RAG status, its monthly returns over the term so far, and the data-quality issues to follow up. Select a contract to see its figures.</p>
${relatedLinks('Across your contracts', [{ text: 'Fair comparison of providers', href: '/portfolio/fair-comparison' }])}
${dataTable({
  caption: 'Contracts in your portfolio',
  columns: contractColumns,
  rows,
  downloads: href && {
    csv: href('portfolio', 'measures', 'csv'),
    xlsx: href('portfolio', 'measures', 'xlsx'),
  },
})}`;
  },
};

export const contractColumns: readonly Column[] = [
  {
    ...martColumns('performance', ['contract_id'])[0]!,
    rowHeader: true,
    render: (row) =>
      contractCell(
        String(row.contract_id),
        row.newest_period,
        String(row.contract_name ?? row.contract_id),
      ),
  },
  {
    key: 'measures',
    label: 'Against profile to date',
    render: (row) =>
      measureList(
        row.measures as Row[],
        row.newest_period ? 'yes' : null,
        row.rag_rule as RagRule | undefined,
      ),
  },
  { key: 'returns', label: 'Returns', render: (row) => returnsSummary(row.returns as Row) },
  {
    key: 'quality',
    label: 'Data quality',
    render: (row) =>
      qualityList(
        String(row.contract_id),
        row.quality as Row[],
        String(row.contract_name ?? row.contract_id),
      ),
  },
];

function contractCell(id: string, newestPeriod: unknown, name: string): Html {
  const newest = newestPeriod ? formatPeriod(String(newestPeriod)) : null;
  return html`<a class="govuk-link" href="/contracts/${encodeURIComponent(id)}">${name}</a>${newest ? html`<br><span class="govuk-body-s">Figures to ${newest}</span><br><a class="govuk-link govuk-body-s" href="/contracts/${encodeURIComponent(id)}/review">Quarterly review<span class="govuk-visually-hidden"> for ${name}</span></a>` : ''}`;
}

function measureList(measures: Row[], newest: string | null, rule: RagRule | undefined): Html {
  if (newest === null) return html`No figures yet`;
  if (measures.length === 0) return html`No profiled measures`;
  return html`<ul class="govuk-list">${measures.map((m) => {
    const pct =
      m.cumulative_pct_of_profile === null
        ? 'No data'
        : formatPercent(num(m.cumulative_pct_of_profile));
    return html`<li>${String(m.measure_label ?? m.measure_id)}: ${pct} (${formatNumber(num(m.cumulative_actual))} of ${formatNumber(num(m.cumulative_profile))} profiled) ${ragTag(isRag(m.rag) ? m.rag : null, rule)}</li>`;
  })}</ul>`;
}

function returnsSummary(r: Row | undefined): Html {
  if (!r || num(r.due) === 0) return html`No returns due yet`;
  const due = num(r.due);
  const line = (n: unknown, what: string) =>
    html`<li>${what}: ${formatNumber(num(n))} of ${formatNumber(due)} due</li>`;
  return html`<ul class="govuk-list">
${line(r.on_time, 'On time')}${line(r.late, 'Late')}${line(r.rejected, 'Rejected')}${line(r.missing, 'Missing')}
<li>${formatPeriod(String(r.latest_period))}: ${returnStatusLabels[String(r.latest_status)] ?? String(r.latest_status)}</li>
</ul>`;
}

function qualityList(id: string, quality: Row[], name: string): Html {
  const link = html`<a class="govuk-link" href="/contracts/${encodeURIComponent(id)}/quality">Data quality<span class="govuk-visually-hidden"> for ${name}</span></a>`;
  if (quality.length === 0) return html`No issues<br>${link}`;
  return html`<ul class="govuk-list">${quality.map((q) => html`<li>${checkLabels[String(q.check_name)] ?? String(q.check_name)}: ${formatNumber(num(q.issues))}</li>`)}</ul>${link}`;
}
