/**
 * One contract's data quality: its monthly score (data_quality_scores), the issues the
 * data_quality mart found, and its returns month
 * by month (deadline, status, days late) from returns_status. Two versions: the provider's,
 * which says a participant is also under another contract without saying which; and the
 * contract manager's, which adds the other contracts and their providers (double_claims), in
 * the page and as a download of its own. The provider's version never reads double_claims, so
 * neither its page nor its downloads can name another provider's contract.
 *
 * Parameters: `contract`, a contract id. Authorisation (and which version) is the web app's job.
 */
import { martColumns, type Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html, type Html } from '../../html.js';
import type { PageContext, QueryResult, ReportPage } from '../../page.js';
import { scoreColumns, scoreExplained } from '../data-quality-scores/index.js';
import { checkLabels, returnStatusColumn, returnStatusLabels } from '../portfolio/index.js';

type Params = { contract: string };
type Queries = 'scores' | 'issues' | 'returns';
type ManagerQueries = Queries | 'claims';

const byContract = (p: Params) => ({ contract: p.contract });

export const qualityColumns: readonly Column[] = [
  // The check and its severity in words, worked out by the query.
  { key: 'check', label: 'Check' },
  { key: 'severity', label: 'Severity' },
  ...martColumns('data_quality', [
    'period',
    'participant_id',
    'field',
    'detail',
    'value_before',
    'value_after',
  ]),
];

export const returnsColumns: readonly Column[] = [
  ...martColumns('returns_status', ['period', 'deadline']),
  returnStatusColumn,
  ...martColumns('returns_status', ['days_late']),
];

export const claimsColumns: readonly Column[] = martColumns('double_claims', [
  'participant_id',
  'period',
  'other_contract_id',
  'other_provider_name',
  'other_period',
]);

const labelSql = (column: string, labels: Record<string, string>) =>
  `case ${column} ${Object.entries(labels)
    .map(([k, v]) => `when '${k}' then '${v}'`)
    .join(' ')} else ${column} end`;

const queries = {
  scores: {
    sql: `select period, score, coverage, completeness, validity, not_known, returns_received, returns_due
          from data_quality_scores where contract_id = $contract
          order by period desc`,
    params: byContract,
  },
  issues: {
    sql: `select ${labelSql('check_name', checkLabels)} as "check", check_name, case severity when 'warning' then 'Warning' else 'Information' end as severity,
                 period, participant_id, field, detail, value_before, value_after
          from data_quality where contract_id = $contract
          order by period desc, check_name, participant_id nulls first, field`,
    params: byContract,
  },
  returns: {
    sql: `select period, strftime(deadline, '%Y-%m-%d') as deadline, status, ${labelSql('status', returnStatusLabels)} as status_label, days_late
          from returns_status where contract_id = $contract
          order by period desc`,
    params: byContract,
  },
};

/** The provider's version: the other contracts of a possible double claim are not named. */
export const contractQuality: ReportPage<Params, Queries> = {
  id: 'contract-quality',
  title: (_results, { params, contractName }) =>
    `Data quality: ${contractName?.(params.contract) ?? params.contract}`,
  description: 'Data-quality issues to follow up for one contract, and its returns month by month.',
  queries,
  tables: {
    scores: { title: 'Data quality score', query: 'scores', columns: scoreColumns },
    issues: { title: 'Data quality issues', query: 'issues', columns: qualityColumns },
    returns: { title: 'Returns by month', query: 'returns', columns: returnsColumns },
  },
  render(results, context) {
    return qualityBody(results, context, contractQuality.id, html``);
  },
};

/** The contract manager's version: also which other contracts a participant is under. */
export const contractQualityForManagers: ReportPage<Params, ManagerQueries> = {
  ...contractQuality,
  queries: {
    ...queries,
    claims: {
      sql: `select participant_id, period, other_contract_id, other_provider_name, other_period
            from double_claims where contract_id = $contract
            order by participant_id, other_contract_id`,
      params: byContract,
    },
  },
  tables: {
    ...contractQuality.tables,
    claims: {
      title: 'Participants also under another contract',
      query: 'claims',
      columns: claimsColumns,
    },
  },
  render(results, context) {
    const link = (format: 'csv' | 'xlsx') =>
      context.downloadHref?.(contractQuality.id, 'claims', format);
    return qualityBody(
      results,
      context,
      contractQuality.id,
      html`<h2 class="govuk-heading-m">Participants also under another contract</h2>
<p class="govuk-body">Participant ids in this contract’s newest return that are also in the newest return of another contract: possible double claiming. The provider is told only that the participant is also under another contract; you and that contract’s manager see which.</p>
${dataTable({
  caption: 'Participants also under another contract',
  columns: claimsColumns,
  rows: results.claims.rows,
  empty: 'No participant of this contract is in another contract’s newest return.',
  downloads: { csv: link('csv'), xlsx: link('xlsx') },
})}`,
    );
  },
};

function qualityBody(
  results: Record<Queries, QueryResult>,
  context: PageContext<Params>,
  pageId: string,
  extra: Html,
): Html {
  const contract = context.params.contract;
  const link = (table: string, format: 'csv' | 'xlsx') =>
    context.downloadHref?.(pageId, table, format);
  return html`<span class="govuk-caption-l">${context.contractName?.(contract) ?? `Contract ${contract}`}</span>
<h1 class="govuk-heading-l">Data quality</h1>
<p class="govuk-body">This contract’s data-quality score by month, the issues in its returns to follow up, and whether each month’s return came on time.</p>
<h2 class="govuk-heading-m">Data quality score</h2>
${scoreExplained}
${dataTable({
  caption: 'Data quality score by month',
  columns: scoreColumns,
  rows: results.scores.rows,
  empty: 'No returns are due for this contract yet.',
  downloads: { csv: link('scores', 'csv'), xlsx: link('scores', 'xlsx') },
})}
${dataTable({
  caption: 'Data quality issues',
  columns: qualityColumns,
  rows: results.issues.rows,
  empty: 'No data quality issues have been found in this contract’s returns.',
  downloads: { csv: link('issues', 'csv'), xlsx: link('issues', 'xlsx') },
})}
${extra}
${dataTable({
  caption: 'Returns by month',
  columns: returnsColumns,
  rows: results.returns.rows,
  empty: 'No returns are due for this contract yet.',
  downloads: { csv: link('returns', 'csv'), xlsx: link('returns', 'xlsx') },
})}`;
}
