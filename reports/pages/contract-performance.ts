/**
 * One contract's outturn against profile: where each measure stands to date (with its RAG
 * status), referrals month by month against profile, and the full performance table.
 *
 * Parameters: `contract`, a contract id. Authorisation (may this user see this contract?) is
 * the web app's job and happens before the page is rendered.
 */
import type { Column, Row } from '../columns.js';
import { actualVsProfileChart, type PerformanceMonth } from '../charts/actual-vs-profile.js';
import { dataTable } from '../components/data-table.js';
import { headlineFigures, type HeadlineFigure } from '../components/headline-figures.js';
import { isRag } from '../components/rag-tag.js';
import { formatPeriod } from '../format.js';
import { html } from '../html.js';
import type { ReportPage } from '../page.js';

type Params = { contract: string };
type Queries = 'latest' | 'referrals' | 'performance';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

const byContract = (p: Params) => ({ contract: p.contract });

export const performanceColumns: readonly Column[] = [
  { key: 'period', label: 'Month', format: 'period' },
  { key: 'measure_label', label: 'Measure' },
  { key: 'actual', label: 'Actual', format: 'number' },
  { key: 'profile', label: 'Profile', format: 'number' },
  { key: 'variance', label: 'Variance', format: 'number' },
  { key: 'pct_of_profile', label: '% of profile', format: 'percent' },
  { key: 'cumulative_actual', label: 'Actual to date', format: 'number' },
  { key: 'cumulative_profile', label: 'Profile to date', format: 'number' },
  { key: 'cumulative_pct_of_profile', label: '% of profile to date', format: 'percent' },
  { key: 'rag', label: 'RAG status', format: 'rag' },
];

export const contractPerformance: ReportPage<Params, Queries> = {
  id: 'contract-performance',
  title: (_results, { params }) => `Performance: ${params.contract}`,
  description: 'Outturn against profile for one contract: each measure to date, referrals by month, and the performance table.',
  queries: {
    // Each measure in the newest month the marts hold for this contract (the newest return).
    latest: {
      sql: `select measure_id, measure_label, period, cumulative_actual, cumulative_profile, cumulative_pct_of_profile, rag
            from performance
            where contract_id = $contract
              and period = (select max(period) from performance where contract_id = $contract)
            order by measure_order`,
      params: byContract,
    },
    referrals: {
      sql: `select period, actual, profile, cumulative_actual, cumulative_profile
            from performance
            where contract_id = $contract and measure_id = 'referrals'
            order by period`,
      params: byContract,
    },
    performance: {
      sql: `select period, measure_label, actual, profile, variance, pct_of_profile,
                   cumulative_actual, cumulative_profile, cumulative_pct_of_profile, rag
            from performance
            where contract_id = $contract
            order by period desc, measure_order`,
      params: byContract,
    },
  },
  tables: {
    performance: { title: 'Performance', query: 'performance', columns: performanceColumns },
  },
  render(results, context) {
    const contract = context.params.contract;
    const latest = results.latest.rows;
    const heading = html`<span class="govuk-caption-l">Contract ${contract}</span>
<h1 class="govuk-heading-l">Performance against profile</h1>`;
    if (latest.length === 0) {
      return html`${heading}
<p class="govuk-body">There are no figures for this contract yet. They appear once a return has been accepted.</p>`;
    }
    const period = String(latest[0]?.period);
    const link = (format: 'csv' | 'xlsx') => context.downloadHref?.(contractPerformance.id, 'performance', format);
    return html`${heading}
<p class="govuk-body">Figures to the end of ${formatPeriod(period)}, from the newest accepted return. RAG status compares actual to date with profile to date.</p>
<h2 class="govuk-heading-m">To date</h2>
${headlineFigures(latest.map(headline))}
<h2 class="govuk-heading-m">Referrals by month</h2>
${actualVsProfileChart({ measure: 'Referrals', months: results.referrals.rows.map(toMonth) })}
${dataTable({
  caption: 'Performance by month and measure',
  columns: performanceColumns,
  rows: results.performance.rows,
  empty: 'There are no figures for this contract yet.',
  downloads: { csv: link('csv'), xlsx: link('xlsx') },
})}`;
  },
};

function headline(row: Row): HeadlineFigure {
  const actual = num(row.cumulative_actual);
  const profile = numOrNull(row.cumulative_profile);
  const label = String(row.measure_label ?? row.measure_id);
  if (!profile) return { label, value: actual, format: 'number', rag: null, hint: 'Actual to date' };
  return {
    label,
    value: numOrNull(row.cumulative_pct_of_profile),
    format: 'percent',
    of: { numerator: actual, denominator: profile, numeratorLabel: 'actual', denominatorLabel: 'profiled to date' },
    rag: isRag(row.rag) ? row.rag : null,
  };
}

function toMonth(row: Row): PerformanceMonth {
  return {
    period: String(row.period),
    actual: num(row.actual),
    profile: numOrNull(row.profile),
    cumulative_actual: num(row.cumulative_actual),
    cumulative_profile: numOrNull(row.cumulative_profile),
  };
}
