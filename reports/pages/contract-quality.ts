/**
 * One contract's data quality: the issues the data_quality mart found, and its returns month
 * by month (deadline, status, days late) from returns_status.
 *
 * Parameters: `contract`, a contract id. Authorisation is the web app's job.
 */
import type { Column } from '../columns.js';
import { dataTable } from '../components/data-table.js';
import { html } from '../html.js';
import type { ReportPage } from '../page.js';
import { checkLabels, returnStatusLabels } from './portfolio.js';

type Params = { contract: string };
type Queries = 'issues' | 'returns';

const byContract = (p: Params) => ({ contract: p.contract });

export const qualityColumns: readonly Column[] = [
  { key: 'check', label: 'Check' },
  { key: 'severity', label: 'Severity' },
  { key: 'period', label: 'Month', format: 'period' },
  { key: 'participant_id', label: 'Participant' },
  { key: 'field', label: 'Field' },
  { key: 'detail', label: 'What was found' },
  { key: 'value_before', label: 'Before' },
  { key: 'value_after', label: 'After' },
];

export const returnsColumns: readonly Column[] = [
  { key: 'period', label: 'Month', format: 'period' },
  { key: 'deadline', label: 'Deadline', format: 'date' },
  { key: 'status_label', label: 'Status' },
  { key: 'days_late', label: 'Days late', format: 'number' },
];

const labelSql = (column: string, labels: Record<string, string>) =>
  `case ${column} ${Object.entries(labels)
    .map(([k, v]) => `when '${k}' then '${v}'`)
    .join(' ')} else ${column} end`;

export const contractQuality: ReportPage<Params, Queries> = {
  id: 'contract-quality',
  title: (_results, { params }) => `Data quality: ${params.contract}`,
  description: 'Data-quality issues to follow up for one contract, and its returns month by month.',
  queries: {
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
  },
  tables: {
    issues: { title: 'Data quality issues', query: 'issues', columns: qualityColumns },
    returns: { title: 'Returns by month', query: 'returns', columns: returnsColumns },
  },
  render(results, context) {
    const contract = context.params.contract;
    const link = (table: string, format: 'csv' | 'xlsx') =>
      context.downloadHref?.(contractQuality.id, table, format);
    return html`<span class="govuk-caption-l">Contract ${contract}</span>
<h1 class="govuk-heading-l">Data quality</h1>
<p class="govuk-body">Issues in this contract’s returns to follow up with the provider, and whether each month’s return came on time.</p>
${dataTable({
  caption: 'Data quality issues',
  columns: qualityColumns,
  rows: results.issues.rows,
  empty: 'No data quality issues have been found in this contract’s returns.',
  downloads: { csv: link('issues', 'csv'), xlsx: link('issues', 'xlsx') },
})}
${dataTable({
  caption: 'Returns by month',
  columns: returnsColumns,
  rows: results.returns.rows,
  empty: 'No returns are due for this contract yet.',
  downloads: { csv: link('returns', 'csv'), xlsx: link('returns', 'xlsx') },
})}`;
  },
};
