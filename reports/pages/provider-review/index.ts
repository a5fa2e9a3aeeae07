/**
 * The quarterly Provider Performance Review for one contract, laid out to print as a pack: each
 * measure against profile for the quarter and to date, charted; the performance regime (in
 * month, rolling 3 and 12 months, to date) and the intervention level (ADR 039); the
 * standards, the payments due, whether the quarter's returns came on time and whether they are
 * locked; the improvement plan's actions and the manager's commentary. Each section has its
 * own heading; the print styles (reports/styles.ts) keep tables and figures whole on a sheet.
 *
 * Parameters: `contract`; `quarter` (a financial-year quarter, e.g. 2025-26-Q4), its `label`
 * (Q4 2025/26) and its first and last months `from` and `to` (YYYY-MM). What is not in the
 * marts (the provider's name, the plan, the commentary, the months' lock states, the quarters
 * to pick from) comes in `ReviewExtras`. The web app checks the quarter and who may see it.
 */
import { martColumns, type Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { formatMoney, formatNumber, formatPeriod } from '../../format.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';
import { returnStatusColumn, returnStatusLabels } from '../portfolio/index.js';
import type { Contract, Intervention, ReferenceData } from '../../../pipelines/reference/schema.js';
import type { Commentary, PlanAction } from '../../../pipelines/review/plans.js';
import { dayWords, type ReturnState } from '../../../pipelines/review/approval.js';
import type { Row } from '../../columns.js';
import { actualVsProfileChart } from '../../charts/actual-vs-profile.js';
import { interventionLevelSection } from '../../components/intervention-level.js';
import { returnStateTag, returnStateWords } from '../../components/return-state.js';
import { planActionsTable, planPaths } from '../improvement-plan/index.js';
import type { Quarter } from './quarter.js';

type Params = { contract: string; quarter: string; label: string; from: string; to: string };
type Queries =
  | 'measures'
  | 'monthly'
  | 'regime'
  | 'levels'
  | 'standards'
  | 'payments'
  | 'paymentTotals'
  | 'returns';

/** What the review pack shows from outside the marts. */
export interface ReviewExtras {
  reference: ReferenceData;
  contract: Contract;
  rule: Intervention;
  actions: readonly PlanAction[];
  commentary: Commentary | null;
  /** Each month of the quarter's state for changes (ADR 032). */
  states: ReadonlyMap<string, ReturnState>;
  /** The quarters there are figures for, newest first, for the picker. */
  quarters: readonly Quarter[];
  /** Whether the caller writes the commentary (the contract's manager). */
  mayWrite: boolean;
  /** The commentary was just saved, to say so. */
  saved?: boolean;
}

export const regimeColumns: readonly Column[] = martColumns('regime_performance', [
  { name: 'measure_label', rowHeader: true },
  'in_month_actual',
  'in_month_profile',
  'in_month_pct',
  'rolling_3_actual',
  'rolling_3_profile',
  'rolling_3_pct',
  'rolling_12_actual',
  'rolling_12_profile',
  'rolling_12_pct',
  'cumulative_pct',
]);

/**
 * Each query reads every quarter of the contract at once, each row naming its financial-year
 * quarter in `review_quarter`, and the page keeps the quarter asked (`part`, ADR 043): one
 * result per contract, kept per build, answers every quarter of it with no new query.
 */
const ofContract = (p: Params) => ({ contract: p.contract });
const byQuarter = { column: 'review_quarter', of: (p: Params) => p.quarter };

/** The financial-year quarter (`2025-26-Q4`) of a `YYYY-MM` period, as `parseQuarter` names it. */
export const quarterSql = (period: string): string => {
  const year = `cast(left(${period}, 4) as integer)`;
  const month = `cast(substr(${period}, 6, 2) as integer)`;
  const fy = `(${year} - case when ${month} < 4 then 1 else 0 end)`;
  return `format('{}-{}-Q{}', ${fy}, lpad(cast((${fy} + 1) % 100 as varchar), 2, '0'), case when ${month} < 4 then 4 else (${month} - 1) // 3 end)`;
};
const QUARTER = quarterSql('period');
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

const enc = encodeURIComponent;

/** The review pack, with what it shows from outside the marts. */
export const providerReviewPage = (extras: ReviewExtras): ReportPage<Params, Queries> => ({
  id: 'provider-review',
  title: (_results, { params }) =>
    `Provider Performance Review: ${providerOf(extras)}, ${params.label}`,
  description: 'The quarterly Provider Performance Review for one contract, to print as a pack.',
  queries: {
    measures: {
      sql: `select ${QUARTER} as review_quarter, measure_id, any_value(measure_label) as measure_label, min(measure_order) as measure_order,
                   sum(actual)::integer as quarter_actual,
                   sum(profile)::integer as quarter_profile,
                   case when sum(profile) > 0 then sum(actual) / sum(profile) end as quarter_pct,
                   arg_max(cumulative_actual, period) as cumulative_actual,
                   arg_max(cumulative_profile, period) as cumulative_profile,
                   arg_max(cumulative_pct_of_profile, period) as cumulative_pct_of_profile,
                   arg_max(rag, period) as rag
            from performance
            where contract_id = $contract
            group by review_quarter, measure_id order by review_quarter, measure_order`,
      params: ofContract,
      part: byQuarter,
    },
    monthly: {
      sql: `select measure_id, measure_label, period, actual, profile, cumulative_actual, cumulative_profile
            from performance
            where contract_id = $contract and profile is not null
            order by measure_order, period`,
      // Every month of the contract: the page keeps those to the quarter's end.
      params: ofContract,
    },
    regime: {
      sql: `select *, ${QUARTER} as review_quarter from regime_performance
            where contract_id = $contract
            qualify period = max(period) over (partition by ${QUARTER})
            order by review_quarter, measure_order`,
      params: ofContract,
      part: byQuarter,
    },
    levels: {
      sql: `select period, level, level_label, change, status from intervention_levels
            where contract_id = $contract order by period`,
      // Every month of the contract: the page keeps those to the quarter's end.
      params: ofContract,
    },
    standards: {
      sql: `select ${QUARTER} as review_quarter, standard_id, any_value(standard_label) as standard_label,
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
            group by review_quarter, standard_id order by review_quarter, standard_id`,
      params: ofContract,
      part: byQuarter,
    },
    payments: {
      sql: `select ${QUARTER} as review_quarter, period, starts, service_fees, job_entries, job_outcome_payments, sustained_jobs, sustained_payments, total_due
            from payments where contract_id = $contract order by period`,
      params: ofContract,
      part: byQuarter,
    },
    paymentTotals: {
      // No row for a quarter without payments, where the page shows no totals either.
      sql: `select ${QUARTER} as review_quarter, coalesce(sum(total_due), 0) as quarter_total, arg_max(cumulative_total_due, period) as to_date_total
            from payments where contract_id = $contract group by review_quarter`,
      params: ofContract,
      part: byQuarter,
    },
    returns: {
      sql: `select ${QUARTER} as review_quarter, period, strftime(deadline, '%Y-%m-%d') as deadline, status,
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
      params: ofContract,
      part: byQuarter,
    },
  },
  render(results, context) {
    const { contract, quarter, label, from, to } = context.params;
    const months = `${formatPeriod(from)} to ${formatPeriod(to)}`;
    const returns: Row[] = results.returns.rows.map((r) => ({
      ...r,
      state: extras.states.get(String(r.period)),
    }));
    const due = returns.filter((r) => r.status !== 'not_yet_due');
    const onTime = due.filter((r) => r.status === 'accepted_on_time').length;
    const totals = results.paymentTotals.rows[0];
    const regimeAt = results.regime.rows[0]?.period as string | undefined;
    const byMeasure = new Map<string, Row[]>();
    for (const r of results.monthly.rows) {
      if (String(r.period) > to) continue;
      const list = byMeasure.get(String(r.measure_label)) ?? [];
      list.push(r);
      byMeasure.set(String(r.measure_label), list);
    }
    const c = extras.contract;
    const reviewHref = `/contracts/${enc(c.id)}/review`;
    return html`<span class="govuk-caption-l">${providerOf(extras)}, ${c.area.name} (contract ${contract})</span>
<h1 class="govuk-heading-l">Provider Performance Review: ${label}</h1>
${extras.saved && html`<div class="govuk-notification-banner govuk-notification-banner--success outturn-no-print" role="alert" aria-labelledby="saved-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="saved-title">Done</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">The commentary is saved: the provider can see it.</p></div></div>`}
${quarterPicker(reviewHref, extras.quarters, quarter)}
<p class="govuk-body">${months}. Figures from the version of each return in force: a version held for the provider to confirm, or withdrawn, does not count. RAG status compares actual to date with profile to date at the end of the quarter’s newest month with figures.</p>
<section class="outturn-review-section" aria-labelledby="review-measures">
<h2 class="govuk-heading-m" id="review-measures">Against profile</h2>
${dataTable({ caption: `Measures against profile, ${label}`, captionSize: 's', columns: measureColumns, rows: results.measures.rows, empty: 'There are no figures for this quarter.', ragRule: () => context.ragRule?.(contract) })}
${[...byMeasure.entries()].map(([measure, rows]) => actualVsProfileChart({ measure, months: rows.map(toMonth), cumulative: true }))}
</section>
<section class="outturn-review-section" aria-labelledby="review-regime">
<h2 class="govuk-heading-m" id="review-regime">Performance over time</h2>
${regimeAt && html`<p class="govuk-body">Each profiled measure at the end of ${formatPeriod(String(regimeAt))}: in the month, over the 3 and 12 months ending then, and to date. A window early in the contract holds the months there are.</p>`}
${dataTable({ caption: `In month, rolling and to date, ${label}`, captionSize: 's', columns: regimeColumns, rows: results.regime.rows, empty: 'There are no profiled figures for this quarter.' })}
</section>
${interventionLevelSection({ rows: results.levels.rows.filter((r) => String(r.period) <= to), rule: extras.rule, id: 'review-level' })}
<section class="outturn-review-section" aria-labelledby="review-standards">
<h2 class="govuk-heading-m" id="review-standards">Standards</h2>
${dataTable({ caption: `Standards, ${label}`, captionSize: 's', columns: standardColumns, rows: results.standards.rows, empty: 'There are no standards figures for this quarter.' })}
</section>
<section class="outturn-review-section" aria-labelledby="review-payments">
<h2 class="govuk-heading-m" id="review-payments">Payments due</h2>
${totals && results.payments.rows.length > 0 && html`<p class="govuk-body">${formatMoney(num(totals.quarter_total))} due for the quarter; ${formatMoney(num(totals.to_date_total))} due from the start of the contract to the end of the quarter.</p>`}
${dataTable({ caption: `Payments due by month, ${label}`, captionSize: 's', columns: paymentColumns, rows: results.payments.rows, empty: 'There are no payments figures for this quarter.' })}
</section>
<section class="outturn-review-section" aria-labelledby="review-returns">
<h2 class="govuk-heading-m" id="review-returns">Returns</h2>
${due.length > 0 && html`<p class="govuk-body">${formatNumber(onTime)} of ${formatNumber(due.length)} returns due in the quarter came on time.</p>`}
${dataTable({ caption: `Returns, ${label}`, captionSize: 's', columns: [...reviewReturnColumns, { key: 'lock', label: 'Changes', render: (r: Row) => (r.state ? html`${returnStateTag(r.state as ReturnState)} <span class="govuk-body-s">${returnStateWords(extras.reference, r.state as ReturnState)}</span>` : '') }], rows: returns, empty: 'No returns are due for this quarter.' })}
</section>
<section class="outturn-review-section" aria-labelledby="review-plan">
<h2 class="govuk-heading-m" id="review-plan">Improvement plan</h2>
${planActionsTable(extras.reference, extras.actions, { caption: 'Agreed actions, soonest due first' })}
<p class="govuk-body outturn-no-print"><a class="govuk-link" href="${planPaths.plan(c)}">Open the improvement plan</a> to add or update an action.</p>
</section>
<section class="outturn-review-section" aria-labelledby="commentary">
<h2 class="govuk-heading-m" id="commentary">Commentary</h2>
${
  extras.commentary && extras.commentary.text !== ''
    ? html`<div class="govuk-inset-text">${extras.commentary.text.split('\n').map((line) => html`<p class="govuk-body">${line}</p>`)}<p class="govuk-body-s">Written by ${nameOf(extras.reference, extras.commentary.by)} on ${dayWords(extras.commentary.at)}.</p></div>`
    : html`<p class="govuk-body">The contract manager has written no commentary for ${label} yet.</p>`
}
${
  extras.mayWrite &&
  html`<form method="post" action="${reviewHref}/commentary" class="outturn-no-print" novalidate>
<input type="hidden" name="quarter" value="${quarter}">
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="commentary-text">Your commentary on ${label}</label>
<div id="commentary-text-hint" class="govuk-hint">The provider sees it on this page. Say what went well, what did not and what was agreed.</div>
<textarea class="govuk-textarea" id="commentary-text" name="commentary" rows="6" aria-describedby="commentary-text-hint">${extras.commentary?.text ?? ''}</textarea>
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Save the commentary</button>
</form>`
}
</section>`;
  },
});

function providerOf(extras: ReviewExtras): string {
  return (
    extras.reference.providers.find((p) => p.id === extras.contract.provider_id)?.name ??
    extras.contract.provider_id
  );
}

function nameOf(reference: ReferenceData, id: string): string {
  return reference.users.find((u) => u.id === id)?.name ?? id;
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

function toMonth(row: Row) {
  return {
    period: String(row.period),
    actual: num(row.actual),
    profile: numOrNull(row.profile),
    cumulative_actual: num(row.cumulative_actual),
    cumulative_profile: numOrNull(row.cumulative_profile),
  };
}

/** A GET form to choose another quarter: works without script. */
function quarterPicker(action: string, quarters: readonly Quarter[], current: string) {
  if (quarters.length < 2) return html``;
  return html`<form method="get" action="${action}" class="outturn-no-print">
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="quarter">Quarter</label>
<select class="govuk-select" id="quarter" name="quarter">
${quarters.map((q) => html`<option value="${q.id}"${q.id === current ? ' selected' : ''}>${q.label}</option>`)}
</select>
<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Show the quarter</button>
</div>
</form>`;
}
