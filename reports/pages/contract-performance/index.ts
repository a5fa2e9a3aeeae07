/**
 * One contract's outturn against profile: where each measure stands to date (with its RAG
 * status), referrals month by month against profile, and the full performance table.
 *
 * Parameters: `contract`, a contract id. Authorisation (may this user see this contract?) is
 * the web app's job and happens before the page is rendered.
 */
import { martColumns, type Column, type Row } from '../../columns.js';
import { actualVsProfileChart, type PerformanceMonth } from '../../charts/actual-vs-profile.js';
import { dataTable } from '../../components/data-table.js';
import { headlineFigures, type HeadlineFigure } from '../../components/headline-figures.js';
import { isRag } from '../../components/rag-tag.js';
import { formatPeriod } from '../../format.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';

type Params = { contract: string };
type Queries =
  'latest' | 'referrals' | 'performance' | 'standards' | 'funnel' | 'payments' | 'restated';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

const byContract = (p: Params) => ({ contract: p.contract });

export const performanceColumns: readonly Column[] = martColumns('performance', [
  'period',
  'measure_label',
  'actual',
  'profile',
  'variance',
  'pct_of_profile',
  'cumulative_actual',
  'cumulative_profile',
  'cumulative_pct_of_profile',
  'rag',
]);

/** What the standard is, worked out from the mart's bounds: "at least" 80%, "at most" 10%. */
const boundColumns: readonly Column[] = [
  { key: 'bound_kind', label: 'Must be' },
  { key: 'bound', label: 'Required rate', format: 'percent' },
];

export const standardsColumns: readonly Column[] = [
  ...martColumns('standards', ['standard_label', 'numerator', 'denominator', 'rate']),
  ...boundColumns,
  ...martColumns('standards', [
    'met',
    'cumulative_numerator',
    'cumulative_denominator',
    'cumulative_rate',
    'cumulative_met',
  ]),
];

export const funnelColumns: readonly Column[] = martColumns('funnel', [
  'cohort_period',
  'referrals',
  'starts',
  'start_rate',
  'job_entries',
  'job_entry_rate',
  'sustained_jobs',
  'job_entries_due_to_sustain',
  'sustain_rate',
]);

export const paymentsColumns: readonly Column[] = martColumns('payments', [
  'period',
  'starts',
  'job_entries',
  'sustained_jobs',
  'total_due',
  'cumulative_total_due',
  'cost_per_job_entry',
  'cost_per_sustained_job',
]);

export const contractPerformance: ReportPage<Params, Queries> = {
  id: 'contract-performance',
  title: (_results, { params }) => `Performance: ${params.contract}`,
  description:
    'Outturn against profile for one contract: each measure to date, referrals by month, and the performance table.',
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
    // Each standard in the newest month, with the contract-to-date figure beside it.
    standards: {
      sql: `select standard_label, numerator, denominator, rate, coalesce(min_rate, max_rate) as bound,
                   case when kind = 'max_share' then 'at most' else 'at least' end as bound_kind,
                   case when met then 'Met' when not met then 'Not met' end as met,
                   cumulative_numerator, cumulative_denominator, cumulative_rate,
                   case when cumulative_met then 'Met' when not cumulative_met then 'Not met' end as cumulative_met
            from standards
            where contract_id = $contract
              and period = (select max(period) from standards where contract_id = $contract)
            order by standard_id`,
      params: byContract,
    },
    funnel: {
      sql: `select cohort_period, referrals, starts, start_rate, job_entries, job_entry_rate,
                   sustained_jobs, job_entries_due_to_sustain, sustain_rate
            from funnel where contract_id = $contract order by cohort_period desc`,
      params: byContract,
    },
    payments: {
      sql: `select period, starts, job_entries, sustained_jobs, total_due, cumulative_total_due,
                   cost_per_job_entry, cost_per_sustained_job
            from payments where contract_id = $contract order by period desc`,
      params: byContract,
    },
    restated: {
      sql: `select count(*)::integer as restated, count(distinct participant_id)::integer as participants
            from restatements where contract_id = $contract`,
      params: byContract,
    },
  },
  tables: {
    performance: { title: 'Performance', query: 'performance', columns: performanceColumns },
    standards: { title: 'Standards', query: 'standards', columns: standardsColumns },
    funnel: { title: 'Funnel', query: 'funnel', columns: funnelColumns },
    payments: { title: 'Payments', query: 'payments', columns: paymentsColumns },
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
    const link = (format: 'csv' | 'xlsx') =>
      context.downloadHref?.(contractPerformance.id, 'performance', format);
    const tableLink = (table: string, format: 'csv' | 'xlsx') =>
      context.downloadHref?.(contractPerformance.id, table, format);
    return html`${heading}
<p class="govuk-body">Figures to the end of ${formatPeriod(period)}, from the newest accepted return. RAG status compares actual to date with profile to date.</p>
<h2 class="govuk-heading-m">To date</h2>
${headlineFigures(latest.map(headline))}
<h2 class="govuk-heading-m">Referrals by month</h2>
${actualVsProfileChart({ measure: 'Referrals', months: results.referrals.rows.map(toMonth) })}
<h2 class="govuk-heading-m">Referrals to date</h2>
${actualVsProfileChart({ measure: 'Referrals', months: results.referrals.rows.map(toMonth), cumulative: true })}
${dataTable({
  caption: 'Performance by month and measure',
  columns: performanceColumns,
  rows: results.performance.rows,
  empty: 'There are no figures for this contract yet.',
  downloads: { csv: link('csv'), xlsx: link('xlsx') },
})}
${dataTable({
  caption: `Standards in ${formatPeriod(period)}, and to date`,
  columns: standardsColumns,
  rows: results.standards.rows,
  empty: 'This programme sets no standards.',
  downloads: { csv: tableLink('standards', 'csv'), xlsx: tableLink('standards', 'xlsx') },
})}
${dataTable({
  caption: 'Funnel by month of referral',
  columns: funnelColumns,
  rows: results.funnel.rows,
  empty: 'No one has been referred yet.',
  downloads: { csv: tableLink('funnel', 'csv'), xlsx: tableLink('funnel', 'xlsx') },
})}
${dataTable({
  caption: 'Payments due by month',
  columns: paymentsColumns,
  rows: results.payments.rows,
  empty: 'No payments are due yet.',
  downloads: { csv: tableLink('payments', 'csv'), xlsx: tableLink('payments', 'xlsx') },
})}
<h2 class="govuk-heading-m">Restated data</h2>
<p class="govuk-body">${restatedText(results.restated.rows[0])}</p>`;
  },
};

function restatedText(row: Row | undefined): string {
  const n = num(row?.restated ?? 0);
  if (!n) return 'No milestone date has been changed or taken away by a later return.';
  return `${n.toLocaleString('en-GB')} milestone date${n === 1 ? ' was' : 's were'} changed or taken away by a later return, for ${num(row?.participants).toLocaleString('en-GB')} participant${num(row?.participants) === 1 ? '' : 's'}. The data quality page lists them.`;
}

function headline(row: Row): HeadlineFigure {
  const actual = num(row.cumulative_actual);
  const profile = numOrNull(row.cumulative_profile);
  const label = String(row.measure_label ?? row.measure_id);
  if (!profile)
    return { label, value: actual, format: 'number', rag: null, hint: 'Actual to date' };
  return {
    label,
    value: numOrNull(row.cumulative_pct_of_profile),
    format: 'percent',
    of: {
      numerator: actual,
      denominator: profile,
      numeratorLabel: 'actual',
      denominatorLabel: 'profiled to date',
    },
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
