/**
 * The quarterly Provider Performance Review for one contract, laid out to print as a pack: each
 * measure against profile for the quarter and to date, the standards, the payments due, and
 * whether the quarter's returns came on time. Each section has its own heading; the print
 * styles (reports/styles.ts) keep tables and figures whole on a sheet.
 *
 * Parameters: `contract`; `quarter` (e.g. 2025-Q1) and its first and last months `from` and `to`
 * (YYYY-MM). The web app checks the quarter and who may see the contract.
 */
import { martColumns, type Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { formatMoney, formatNumber, formatPeriod } from '../../format.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';
import { returnStatusColumn, returnStatusLabels } from '../portfolio/index.js';
import { quarterOfPeriod } from './quarter.js';

type Params = { contract: string; quarter: string; from: string; to: string };
type Queries = 'measures' | 'standards' | 'payments' | 'paymentTotals' | 'returns';

// Each query reads every quarter of the contract at once and the page keeps the one asked
// (docs/decisions/043): another quarter costs no query.
const byContract = (p: Params) => ({ contract: p.contract });
const ofQuarter = { column: 'quarter', of: (p: Params) => p.quarter };
const quarter = quarterOfPeriod('period');
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** The quarter's own figures, summed over its months by the queries below. */
export const measureColumns: readonly Column[] = [
  ...martColumns('performance', ['measure_label']),
  { key: 'quarter_actual', label: 'Actual in quarter', format: 'number' },
  { key: 'quarter_profile', label: 'Profile in quarter', format: 'number' },
  { key: 'quarter_pct', label: '% of profile in quarter', format: 'percent' },
  ...martColumns('performance', [
    'cumulative_actual',
    'cumulative_profile',
    'cumulative_pct_of_profile',
    'rag',
  ]),
];

export const standardColumns: readonly Column[] = [
  ...martColumns('standards', ['standard_label']),
  { key: 'quarter_numerator', label: 'Met the standard in quarter', format: 'number' },
  { key: 'quarter_denominator', label: 'Counted in quarter', format: 'number' },
  { key: 'quarter_rate', label: 'Rate in quarter', format: 'percent' },
  { key: 'bound', label: 'Must be' },
  { key: 'quarter_met', label: 'Standard met in quarter' },
  ...martColumns('standards', [
    'cumulative_numerator',
    'cumulative_denominator',
    'cumulative_rate',
    'cumulative_met',
  ]),
];

export const paymentColumns: readonly Column[] = martColumns('payments', [
  'period',
  'starts',
  'service_fees',
  'job_entries',
  'job_outcome_payments',
  'sustained_jobs',
  'sustained_payments',
  'total_due',
]);

export const reviewReturnColumns: readonly Column[] = [
  ...martColumns('returns_status', ['period', 'deadline']),
  returnStatusColumn,
  ...martColumns('returns_status', ['days_late']),
  // The version in force in words, worked out by the query.
  { key: 'version_label', label: 'Version in force' },
];

const yesNo = (column: string) =>
  `case when ${column} is null then 'Not judged' when ${column} then 'Yes' else 'No' end`;

export const providerReview: ReportPage<Params, Queries> = {
  id: 'provider-review',
  title: (_results, { params, contractName }) =>
    `Provider Performance Review: ${contractName?.(params.contract) ?? params.contract}, ${params.quarter}`,
  description: 'The quarterly Provider Performance Review for one contract, to print as a pack.',
  queries: {
    measures: {
      sql: `select ${quarter} as quarter, measure_id, any_value(measure_label) as measure_label, min(measure_order) as measure_order,
                   sum(actual)::integer as quarter_actual,
                   sum(profile)::integer as quarter_profile,
                   case when sum(profile) > 0 then sum(actual) / sum(profile) end as quarter_pct,
                   arg_max(cumulative_actual, period) as cumulative_actual,
                   arg_max(cumulative_profile, period) as cumulative_profile,
                   arg_max(cumulative_pct_of_profile, period) as cumulative_pct_of_profile,
                   arg_max(rag, period) as rag
            from performance
            where contract_id = $contract
            group by quarter, measure_id order by quarter, measure_order`,
      params: byContract,
      part: ofQuarter,
    },
    standards: {
      sql: `select ${quarter} as quarter, standard_id, any_value(standard_label) as standard_label,
                   sum(numerator)::integer as quarter_numerator, sum(denominator)::integer as quarter_denominator,
                   case when sum(denominator) > 0 then sum(numerator) / sum(denominator) end as quarter_rate,
                   case when any_value(min_rate) is not null then 'At least ' || round(any_value(min_rate) * 100)::integer || '%'
                        when any_value(max_rate) is not null then 'At most ' || round(any_value(max_rate) * 100)::integer || '%' end as bound,
                   case when sum(denominator) = 0 then 'Not judged'
                        when any_value(min_rate) is not null then (case when sum(numerator) / sum(denominator) >= any_value(min_rate) then 'Yes' else 'No' end)
                        when any_value(max_rate) is not null then (case when sum(numerator) / sum(denominator) <= any_value(max_rate) then 'Yes' else 'No' end)
                        else 'Not judged' end as quarter_met,
                   arg_max(cumulative_numerator, period) as cumulative_numerator,
                   arg_max(cumulative_denominator, period) as cumulative_denominator,
                   arg_max(cumulative_rate, period) as cumulative_rate,
                   ${yesNo('arg_max(cumulative_met, period)')} as cumulative_met
            from standards
            where contract_id = $contract
            group by quarter, standard_id order by quarter, standard_id`,
      params: byContract,
      part: ofQuarter,
    },
    payments: {
      sql: `select ${quarter} as quarter, period, starts, service_fees, job_entries, job_outcome_payments, sustained_jobs, sustained_payments, total_due
            from payments where contract_id = $contract order by period`,
      params: byContract,
      part: ofQuarter,
    },
    paymentTotals: {
      sql: `select ${quarter} as quarter, coalesce(sum(total_due), 0) as quarter_total, arg_max(cumulative_total_due, period) as to_date_total
            from payments where contract_id = $contract group by quarter`,
      params: byContract,
      part: ofQuarter,
    },
    returns: {
      sql: `select ${quarter} as quarter, period, strftime(deadline, '%Y-%m-%d') as deadline, status,
                   case status ${Object.entries(returnStatusLabels)
                     .map(([k, v]) => `when '${k}' then '${v}'`)
                     .join(' ')} else status end as status_label, days_late,
                   case
                       when version_in_force is null and status in ('held', 'withdrawn') then 'None'
                       when in_force_restores_version is not null
                           then format('{} (restores version {})', version_in_force, in_force_restores_version)
                       else cast(version_in_force as varchar)
                   end as version_label
            from returns_status where contract_id = $contract order by period`,
      params: byContract,
      part: ofQuarter,
    },
  },
  render(results, context) {
    const { contract, quarter, from, to } = context.params;
    const months = `${formatPeriod(from)} to ${formatPeriod(to)}`;
    const returns = results.returns.rows;
    const due = returns.filter((r) => r.status !== 'not_yet_due');
    const onTime = due.filter((r) => r.status === 'accepted_on_time').length;
    const totals = results.paymentTotals.rows[0];
    return html`<span class="govuk-caption-l">${context.contractName?.(contract) ?? `Contract ${contract}`}</span>
<h1 class="govuk-heading-l">Provider Performance Review: ${quarter}</h1>
<p class="govuk-body">${months}. Figures from the version of each return in force: a version held for the provider to confirm, or withdrawn, does not count. RAG status compares actual to date with profile to date at the end of the quarter’s newest month with figures.</p>
<section class="outturn-review-section" aria-labelledby="review-measures">
<h2 class="govuk-heading-m" id="review-measures">Against profile</h2>
${dataTable({ caption: `Measures against profile, ${quarter}`, captionSize: 's', columns: measureColumns, rows: results.measures.rows, empty: 'There are no figures for this quarter.', ragRule: () => context.ragRule?.(contract) })}
</section>
<section class="outturn-review-section" aria-labelledby="review-standards">
<h2 class="govuk-heading-m" id="review-standards">Standards</h2>
${dataTable({ caption: `Standards, ${quarter}`, captionSize: 's', columns: standardColumns, rows: results.standards.rows, empty: 'There are no standards figures for this quarter.' })}
</section>
<section class="outturn-review-section" aria-labelledby="review-payments">
<h2 class="govuk-heading-m" id="review-payments">Payments due</h2>
${totals && results.payments.rows.length > 0 && html`<p class="govuk-body">${formatMoney(num(totals.quarter_total))} due for the quarter; ${formatMoney(num(totals.to_date_total))} due from the start of the contract to the end of the quarter.</p>`}
${dataTable({ caption: `Payments due by month, ${quarter}`, captionSize: 's', columns: paymentColumns, rows: results.payments.rows, empty: 'There are no payments figures for this quarter.' })}
</section>
<section class="outturn-review-section" aria-labelledby="review-returns">
<h2 class="govuk-heading-m" id="review-returns">Returns</h2>
${due.length > 0 && html`<p class="govuk-body">${formatNumber(onTime)} of ${formatNumber(due.length)} returns due in the quarter came on time.</p>`}
${dataTable({ caption: `Returns, ${quarter}`, captionSize: 's', columns: reviewReturnColumns, rows: returns, empty: 'No returns are due for this quarter.' })}
</section>`;
  },
};
