/**
 * One contract's outturn against profile. It leads with what matters: each profiled measure to
 * date with its RAG status and threshold, the programme's own outcomes (a vocational
 * rehabilitation service's retention and return to work), why a measure is off profile (as a
 * funnel), and each profiled measure charted against its profile. The long tables (standards,
 * funnel by month of referral, payments, every measure by month) sit behind tabs.
 *
 * Parameters: `ContractPageParams` (the contract id and what the reference data says of it).
 * Authorisation (may this user see this contract?) is the web app's job and happens before the
 * page is rendered.
 */
import { martColumns, type Column, type Row } from '../../columns.js';
import { actualVsProfileChart, type PerformanceMonth } from '../../charts/actual-vs-profile.js';
import { dataTable } from '../../components/data-table.js';
import { headlineFigures, type HeadlineFigure } from '../../components/headline-figures.js';
import { isRag, ragKey, type RagRule } from '../../components/rag-tag.js';
import { tabs } from '../../components/tabs.js';
import { formatPeriod, formatValue } from '../../format.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';
import { funnelStepColumns, funnelSteps, offProfileReasons } from './against-profile.js';
import { outcomeFigures, outcomesSql } from './outcomes.js';
import type { ContractPageParams } from './params.js';
import { standardsColumns, standardsSql, tooEarlyNotes } from './standards.js';

export { contractPageParams, type ContractPageParams } from './params.js';
export { standardsColumns } from './standards.js';

type Params = ContractPageParams;
type Queries =
  'latest' | 'performance' | 'outcomes' | 'standards' | 'funnel' | 'payments' | 'restated';

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

const otherMeasureColumns: readonly Column[] = martColumns('performance', [
  { name: 'measure_label', rowHeader: true },
  'cumulative_actual',
]);

const tooEarly = (row: Row) =>
  num(row.job_entries) > 0 && num(row.job_entries_due_to_sustain) === 0;

export const funnelColumns: readonly Column[] = martColumns('funnel', [
  'cohort_period',
  'referrals',
  'starts',
  'start_rate',
  'job_entries',
  'job_entry_rate',
  'sustained_jobs',
  'job_entries_due_to_sustain',
  {
    name: 'sustain_rate',
    // A cohort whose job entries are all too recent to have lasted is not a 0% cohort.
    render: (row) =>
      tooEarly(row)
        ? 'Too early to tell'
        : row.sustain_rate === null
          ? html`<span aria-hidden="true">–</span><span class="govuk-visually-hidden">none</span>`
          : formatValue(row.sustain_rate, 'percent'),
    numeric: true,
  },
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
  title: (_results, { params }) => `Performance: ${params.title}`,
  description:
    'Outturn against profile for one contract: each profiled measure and outcome to date, why a measure is off profile, charts against profile, and the standards, funnel, payments and performance tables.',
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
    performance: {
      sql: `select measure_id, period, measure_label, actual, profile, variance, pct_of_profile,
                   cumulative_actual, cumulative_profile, cumulative_pct_of_profile, rag
            from performance
            where contract_id = $contract
            order by period desc, measure_order`,
      params: byContract,
    },
    outcomes: { sql: outcomesSql, params: byContract },
    // Each standard in the newest month, with the contract-to-date figure beside it.
    standards: {
      sql: standardsSql,
      params: (p) => ({ contract: p.contract, waits: p.waits }),
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
    const { contract, title } = context.params;
    const rule: RagRule = {
      green_from: context.params.green_from,
      amber_from: context.params.amber_from,
    };
    const latest = results.latest.rows;
    const heading = html`<span class="govuk-caption-l">${title}</span>
<h1 class="govuk-heading-l">Performance against profile</h1>`;
    if (latest.length === 0) {
      return html`${heading}
<p class="govuk-body">There are no figures for this contract yet. They appear once a return has been accepted.</p>`;
    }
    const period = String(latest[0]?.period);
    const tableLink = (table: string) => ({
      csv: context.downloadHref?.(contractPerformance.id, table, 'csv'),
      xlsx: context.downloadHref?.(contractPerformance.id, table, 'xlsx'),
    });
    const profiled = latest.filter((r) => r.cumulative_profile !== null);
    const unprofiled = latest.filter((r) => r.cumulative_profile === null);
    const outcomes = outcomeFigures(results.outcomes.rows);
    const steps = funnelSteps(latest);
    const monthly = [...results.performance.rows].reverse();
    const charts = profiled.map((m) =>
      actualVsProfileChart({
        measure: String(m.measure_label),
        months: monthly.filter((r) => r.measure_id === m.measure_id).map(toMonth),
        cumulative: true,
      }),
    );
    const measuresHref = `/contracts/${encodeURIComponent(contract)}/measures`;
    return html`${heading}
<p class="govuk-body">Figures to the end of ${formatPeriod(period)}, from the newest accepted return. RAG status compares actual to date with profile to date. ${ragKey(rule)}</p>
${
  profiled.length === 0
    ? html`<h2 class="govuk-heading-m">Against profile to date</h2>
<p class="govuk-body">No measure of this contract has a profile for these months, so there is nothing to judge against profile yet.</p>`
    : html`<h2 class="govuk-heading-m">Against profile to date</h2>
${headlineFigures(profiled.map((r) => headline(r, rule)))}
`
}
${
  outcomes.length > 0 &&
  html`<h2 class="govuk-heading-m">Outcomes to date</h2>
<p class="govuk-body">Of the people discharged or counted so far. <a class="govuk-link" href="${measuresHref}">See every measure by breakdown and period</a>.</p>
${headlineFigures(outcomes)}`
}
${
  profiled.length > 0 &&
  html`<h2 class="govuk-heading-m">Why each measure stands where it does</h2>
<p class="govuk-body">Each profiled measure is a step from the one before it. A step is off profile because fewer people reached the step before, or because fewer of them went on than the profile planned.</p>
${offProfileReasons(steps, rule)}
${dataTable({
  caption: 'Each step to date against its profile',
  captionSize: 's',
  columns: funnelStepColumns,
  rows: steps,
  ragRule: () => rule,
})}
<h2 class="govuk-heading-m">To date against profile</h2>
<div class="outturn-charts">
${charts}
</div>`
}
${tabs({
  title: 'Tables',
  sections: [
    {
      id: 'standards',
      label: 'Standards',
      content: html`${tooEarlyNotes(results.standards.rows, period, context.params.waits)}
${dataTable({
  caption: `Standards in ${formatPeriod(period)}, and to date`,
  captionSize: 'hidden',
  columns: standardsColumns,
  rows: results.standards.rows,
  empty: 'This programme sets no standards.',
  downloads: tableLink('standards'),
})}`,
    },
    {
      id: 'funnel',
      label: 'Funnel by month of referral',
      content: dataTable({
        caption: 'Funnel by month of referral',
        captionSize: 'hidden',
        columns: funnelColumns,
        rows: results.funnel.rows,
        empty: 'No one has been referred yet.',
        downloads: tableLink('funnel'),
      }),
    },
    {
      id: 'payments',
      label: 'Payments',
      content: dataTable({
        caption: 'Payments due by month',
        captionSize: 'hidden',
        columns: paymentsColumns,
        rows: results.payments.rows,
        empty: 'No payments are due yet.',
        downloads: tableLink('payments'),
      }),
    },
    {
      id: 'by-month',
      label: 'Every measure by month',
      content: html`${dataTable({
        caption: 'Measures without a profile, to date',
        captionSize: 's',
        columns: otherMeasureColumns,
        rows: unprofiled,
        empty: 'Every measure of this programme is profiled.',
      })}
${dataTable({
  caption: 'Performance by month and measure',
  captionSize: 's',
  columns: performanceColumns,
  rows: results.performance.rows,
  empty: 'There are no figures for this contract yet.',
  downloads: tableLink('performance'),
  ragRule: () => rule,
})}`,
    },
    {
      id: 'restated',
      label: 'Restated data',
      content: html`<p class="govuk-body">${restatedText(results.restated.rows[0])}</p>`,
    },
  ],
})}`;
  },
};

function restatedText(row: Row | undefined): string {
  const n = num(row?.restated ?? 0);
  if (!n) return 'No milestone date has been changed or taken away by a later return.';
  return `${n.toLocaleString('en-GB')} milestone date${n === 1 ? ' was' : 's were'} changed or taken away by a later return, for ${num(row?.participants).toLocaleString('en-GB')} participant${num(row?.participants) === 1 ? '' : 's'}. The data quality page lists them.`;
}

function headline(row: Row, rule: RagRule): HeadlineFigure {
  const actual = num(row.cumulative_actual);
  const profile = num(row.cumulative_profile);
  return {
    label: String(row.measure_label ?? row.measure_id),
    value: numOrNull(row.cumulative_pct_of_profile),
    format: 'percent',
    of: {
      numerator: actual,
      denominator: profile,
      numeratorLabel: 'actual',
      denominatorLabel: 'profiled to date',
    },
    rag: isRag(row.rag) ? row.rag : null,
    ragRule: rule,
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
