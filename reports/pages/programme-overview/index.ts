/**
 * A programme as its commissioners see it: every provider's contracts against profile, job entry
 * rates with their 95% intervals and a funnel plot, reporting rate and timeliness, and job entry
 * rates by a breakdown. It reads only the suppressed marts (suppressed_performance,
 * suppressed_outcomes, suppressed_costs) and provider_timeliness (counts of returns, not
 * people), so a hidden count is shown only as its display value ("[c]"), never as the true
 * figure. A contract whose months are mostly too small to show one by one has its trend drawn
 * by quarter instead (docs/decisions/021-suppression-that-holds.md).
 *
 * Parameters (bound by name, never pasted into SQL): `programme`; `contracts` and `providers`,
 * comma-separated ids of the contracts and providers to show (the area filter, worked out from
 * the reference data); `period`, a YYYY-MM month or '' for the newest; `breakdown`, a
 * breakdown field or '' for none. Who may see the programme is the web app's business.
 */
import { programmeLinks } from './links.js';
import { martColumns, type Column, type Row } from '../../columns.js';
import { funnelPlot } from '../../charts/funnel-plot.js';
import { lineChart } from '../../charts/line.js';
import type { RatePoint } from '../../charts/control-limits.js';
import { dataTable, type DataTableOptions } from '../../components/data-table.js';
import { errorSummary, type ErrorSummaryItem } from '../../components/error-summary.js';
import { isRag, ragTag } from '../../components/rag-tag.js';
import { formatNumber, formatPercent, formatPeriod } from '../../format.js';
import { html, type Html } from '../../html.js';
import type { PageContext, ReportPage } from '../../page.js';
import type { Filters } from './filters.js';

export type OverviewParams = {
  programme: string;
  contracts: string;
  providers: string;
  period: string;
  breakdown: string;
};
type Queries = 'performance' | 'outcomes' | 'timeliness' | 'breakdown' | 'trend' | 'costs';

export interface OverviewContract {
  id: string;
  providerId: string;
  providerName: string;
  areaCode: string;
  areaName: string;
}

/** What the page needs from the reference data and the request, beside the marts. */
export interface OverviewSetting {
  programme: { id: string; name: string };
  /** The programme's profiled measures, by id. */
  profiledMeasures: readonly string[];
  /** Every contract of the programme (the area filter picks among them). */
  contracts: readonly OverviewContract[];
  /** Breakdown fields present in suppressed_outcomes for the programme (not `all`). */
  breakdowns: readonly string[];
  /** The filters in force (invalid ones already dropped) and the values as the user typed them. */
  filters: Filters;
  entered: Filters;
  errors: readonly (ErrorSummaryItem & { field: keyof Filters })[];
  /** Where the providers ranked are (the web app's page; the static site has none). */
  rankingHref?: string;
}

const inContracts = `list_contains(string_split($contracts, ','), contract_id)`;

export const programmeQueries = {
  // Cumulative % of profile by month for each contract's first profiled measure (hidden
  // months are null and leave a gap), for the trend chart; by quarter, its quarter ends. Every
  // month, whatever the month filter: the page keeps those up to it (`trendAsAt`), so the
  // query's result is the same for every month asked (ADR 034).
  trend: {
    sql: `select sp.contract_id, sp.measure_label, sp.period, sp.cumulative_actual_display, sp.cumulative_pct_of_profile
          from suppressed_performance sp
          where sp.programme_id = $programme and list_contains(string_split($contracts, ','), sp.contract_id)
            and sp.measure_id = (select m.measure_id from suppressed_performance m
                                 where m.programme_id = $programme and m.cumulative_profile > 0
                                 order by m.measure_order limit 1)
          order by sp.period, sp.contract_id`,
    params: (p: OverviewParams) => ({ programme: p.programme, contracts: p.contracts }),
  },
  costs: {
    sql: `select contract_id, period, cumulative_job_entries_display, cumulative_total_due, cost_per_job_entry, cost_per_sustained_job, suppressed
          from suppressed_costs
          where programme_id = $programme and list_contains(string_split($contracts, ','), contract_id)
          order by contract_id`,
    params: (p: OverviewParams) => ({ programme: p.programme, contracts: p.contracts }),
  },
  // Each profiled measure of each contract in its newest month, or the newest month up to $period.
  performance: {
    sql: `select sp.contract_id, sp.measure_id, sp.measure_label, sp.period,
                 sp.cumulative_actual_display, sp.cumulative_profile, sp.cumulative_pct_of_profile, sp.rag
          from suppressed_performance sp
          where sp.programme_id = $programme and list_contains(string_split($contracts, ','), sp.contract_id)
            and sp.period = (select max(s2.period) from suppressed_performance s2
                             where s2.contract_id = sp.contract_id and ($period = '' or s2.period <= $period))
          order by sp.contract_id, sp.measure_order`,
    params: (p: OverviewParams) => ({
      programme: p.programme,
      contracts: p.contracts,
      period: p.period,
    }),
  },
  outcomes: {
    sql: `select contract_id, starts, starts_display, job_entries, job_entries_display, sustained_jobs_display,
                 job_entry_rate, job_entry_rate_low, job_entry_rate_high, sustained_rate
          from suppressed_outcomes
          where programme_id = $programme and breakdown = 'all' and ${inContracts}
          order by contract_id`,
    params: (p: OverviewParams) => ({ programme: p.programme, contracts: p.contracts }),
  },
  timeliness: {
    sql: `select provider_id, provider_name, contracts, expected_returns, received_returns, on_time_returns,
                 late_returns, missing_returns, reporting_rate, timeliness_rate
          from provider_timeliness
          where programme_id = $programme and list_contains(string_split($providers, ','), provider_id)
          order by provider_name`,
    params: (p: OverviewParams) => ({ programme: p.programme, providers: p.providers }),
  },
  breakdown: {
    sql: `select contract_id, breakdown_value, starts_display, job_entries_display,
                 job_entry_rate, job_entry_rate_low, job_entry_rate_high
          from suppressed_outcomes
          where programme_id = $programme and $breakdown <> '' and breakdown = $breakdown and ${inContracts}
          order by contract_id, breakdown_value`,
    params: (p: OverviewParams) => ({
      programme: p.programme,
      contracts: p.contracts,
      breakdown: p.breakdown,
    }),
  },
} satisfies ReportPage<OverviewParams, Queries>['queries'];

/** The breakdown fields suppressed_outcomes holds for a programme: run before the page, to check `?breakdown=`. */
export const breakdownsQuery = `select distinct breakdown from suppressed_outcomes where programme_id = $programme and breakdown <> 'all' order by breakdown`;

/** The contract's area and provider by name, from the reference data (`named` below). */
const areaColumn: Column = { key: 'area', label: 'Area' };
const providerColumn: Column = { key: 'provider_name', label: 'Provider' };
/** The job entry rate's 95% interval in words, from its two bounds. */
const intervalColumn: Column = { key: 'interval', label: '95% confidence interval' };

/** The performance table as downloaded: one row per contract and measure, display values kept. */
export const performanceDownloadColumns: readonly Column[] = [
  areaColumn,
  providerColumn,
  ...martColumns('suppressed_performance', [
    'contract_id',
    'measure_label',
    'period',
    'cumulative_actual_display',
    'cumulative_profile',
    'cumulative_pct_of_profile',
    'rag',
  ]),
];

export const timelinessColumns: readonly Column[] = martColumns('provider_timeliness', [
  'provider_name',
  'contracts',
  'expected_returns',
  'received_returns',
  'reporting_rate',
  'on_time_returns',
  'timeliness_rate',
  'late_returns',
  'missing_returns',
]);

export const outcomeColumns: readonly Column[] = [
  areaColumn,
  providerColumn,
  ...martColumns('suppressed_outcomes', [
    'contract_id',
    'starts_display',
    'job_entries_display',
    'job_entry_rate',
  ]),
  intervalColumn,
  ...martColumns('suppressed_outcomes', ['sustained_jobs_display', 'sustained_rate']),
];

/** Job entry rates as downloaded: the interval as its two bounds, each a number. */
export const outcomeDownloadColumns: readonly Column[] = [
  areaColumn,
  providerColumn,
  ...martColumns('suppressed_outcomes', [
    'contract_id',
    'starts_display',
    'job_entries_display',
    'job_entry_rate',
    'job_entry_rate_low',
    'job_entry_rate_high',
    'sustained_jobs_display',
    'sustained_rate',
  ]),
];

export const breakdownDownloadColumns: readonly Column[] = [
  areaColumn,
  providerColumn,
  ...martColumns('suppressed_outcomes', [
    'contract_id',
    'breakdown_value',
    'starts_display',
    'job_entries_display',
    'job_entry_rate',
    'job_entry_rate_low',
    'job_entry_rate_high',
  ]),
];

export const breakdownColumns: readonly Column[] = [
  areaColumn,
  providerColumn,
  ...martColumns('suppressed_outcomes', [
    'contract_id',
    'breakdown_value',
    'starts_display',
    'job_entries_display',
    'job_entry_rate',
  ]),
  intervalColumn,
];

export const costColumns: readonly Column[] = [
  areaColumn,
  providerColumn,
  ...martColumns('suppressed_costs', [
    'period',
    'cumulative_job_entries_display',
    'cumulative_total_due',
    'cost_per_job_entry',
    'cost_per_sustained_job',
  ]),
];

/** The overview's downloadable tables: the query each comes from and its columns as downloaded. */
export const programmeTables = {
  performance: {
    title: 'Performance against profile',
    query: 'performance',
    columns: performanceDownloadColumns,
  },
  costs: { title: 'Cost per outcome', query: 'costs', columns: costColumns },
  outcomes: { title: 'Job entry rates', query: 'outcomes', columns: outcomeDownloadColumns },
  timeliness: {
    title: 'Reporting rate and timeliness',
    query: 'timeliness',
    columns: timelinessColumns,
  },
  breakdown: {
    title: 'Job entry rates by breakdown',
    query: 'breakdown',
    columns: breakdownDownloadColumns,
  },
} satisfies ReportPage<OverviewParams, Queries>['tables'];

export type ProgrammeTable = keyof typeof programmeTables;

/**
 * A rate as downloaded: a percentage to one decimal place (25.3, not 0.2527...), under a heading
 * that says so, so a spreadsheet shows what the page shows.
 *
 * @example asPercentages(columns) // 'Job entry rate' becomes 'Job entry rate (%)'
 */
export function asPercentages(columns: readonly Column[]): Column[] {
  return columns.map((c) => (c.format === 'percent' ? { ...c, label: `${c.label} (%)` } : c));
}
export function percentValues(columns: readonly Column[], row: Row): Row {
  const out: Row = { ...row };
  for (const c of columns)
    if (c.format === 'percent' && typeof row[c.key] === 'number')
      out[c.key] = Math.round((row[c.key] as number) * 1000) / 10;
  return out;
}

/**
 * The tables as downloaded: area and provider by name, rates as percentages, the interval as
 * two numeric bounds, and a display count that is a plain number ("6") as a number, so a
 * spreadsheet can add it up; suppressed displays ("[c]") stay text. As on the page, the
 * performance table has the profiled measures only.
 */
function downloadableTables(
  setting: OverviewSetting,
  named: (row: Row) => Row,
): ReportPage<OverviewParams, Queries>['tables'] {
  const counts = (row: Row): Row => {
    const out: Row = { ...row };
    for (const [key, value] of Object.entries(row))
      if (key.endsWith('_display') && typeof value === 'string' && /^\d+$/.test(value))
        out[key] = Number(value);
    return out;
  };
  return Object.fromEntries(
    Object.entries(programmeTables).map(([name, table]) => {
      const prepare = (rows: Row[]) =>
        rows.map((r) => percentValues(table.columns, counts(named(r))));
      return [
        name,
        {
          ...table,
          columns: asPercentages(table.columns),
          prepare:
            name === 'performance'
              ? (rows: Row[]) =>
                  prepare(
                    rows.filter((r) => setting.profiledMeasures.includes(String(r.measure_id))),
                  )
              : prepare,
        },
      ];
    }),
  );
}

const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v);
const interval = (row: Row): string | null => {
  const low = num(row.job_entry_rate_low);
  const high = num(row.job_entry_rate_high);
  return low === null || high === null ? null : `${formatPercent(low)} to ${formatPercent(high)}`;
};
/** A display value is suppressed when it is not a plain count. */
const suppressed = (display: unknown): boolean => !/^\d+$/.test(String(display));

/** The page for one programme, its contracts and the filters of one request. */
export function programmeOverview(setting: OverviewSetting): ReportPage<OverviewParams, Queries> {
  const byId = new Map(setting.contracts.map((c) => [c.id, c]));
  const highlighted = (contractId: unknown): boolean =>
    setting.filters.highlight !== '' &&
    byId.get(String(contractId))?.providerId === setting.filters.highlight;
  const named = (row: Row): Row => {
    const c = byId.get(String(row.contract_id));
    return {
      ...row,
      area: c ? `${c.areaName} (${c.areaCode})` : '',
      provider_name: c ? c.providerName : (row.provider_name ?? ''),
      interval: interval(row),
    };
  };
  return {
    id: 'programme-overview',
    title: `${setting.errors.length ? 'Error: ' : ''}Programme overview: ${setting.programme.name}`,
    description:
      'All providers of a programme: % of profile, job entry rates with a funnel plot, reporting rate and timeliness, and breakdowns, with small numbers suppressed.',
    queries: programmeQueries,
    tables: downloadableTables(setting, named),
    render(results, context) {
      const { filters } = setting;
      const downloads = (table: ProgrammeTable): DataTableOptions['downloads'] =>
        context.downloadHref && {
          csv: context.downloadHref('programme-overview', table, 'csv'),
          xlsx: context.downloadHref('programme-overview', table, 'xlsx'),
        };
      const errors = setting.errors.map(({ text, href }) => ({ text, href }));
      const outcomes = results.outcomes.rows.map(named);
      const points: RatePoint[] = [];
      const skipped: string[] = [];
      for (const row of outcomes) {
        const starts = num(row.starts);
        const jobs = num(row.job_entries);
        if (starts === null || jobs === null)
          skipped.push(`${String(row.provider_name)}, ${String(row.area)}`);
        else
          points.push({
            label: `${String(row.provider_name)} (${String(row.contract_id)})`,
            numerator: jobs,
            denominator: starts,
            highlighted: highlighted(row.contract_id),
          });
      }
      const shownPeriod = filters.period
        ? `as at ${formatPeriod(filters.period)}`
        : 'at each contract’s newest month';
      return html`${errors.length ? errorSummary({ errors }) : ''}<span class="govuk-caption-l">${setting.programme.name}</span>
<h1 class="govuk-heading-l">Programme overview</h1>
<p class="govuk-body">Every provider’s contracts in this programme. No count of fewer than 5 people is shown, nor any figure that would let one be worked out: those read “[c]”. Where a contract’s months are too small to show one by one, its figures are shown for the whole quarter, half year or year instead.</p>
${programmeLinks(setting.programme.id)}
${filterForm(setting)}
<h2 class="govuk-heading-m">Performance against profile</h2>
<p class="govuk-body">Actual to date against profile to date for each profiled measure, ${shownPeriod}.</p>
${performanceTable(results.performance.rows.filter((r) => setting.profiledMeasures.includes(String(r.measure_id))).map(named), downloads('performance'), context.ragRule)}
${trendSection(trendAsAt(results.trend.rows, filters.period).map(named), highlighted)}
<h2 class="govuk-heading-m">Cost per outcome</h2>
<p class="govuk-body">Payments due to date under each contract’s payment model, divided by its job entries and sustained jobs to date. Where any count behind a cost is 1 to 4, the cost is not shown.${filters.period ? ' The month filter does not apply here: these costs are to the newest return.' : ''}</p>
${dataTable({ caption: 'Cost per job entry and per sustained job, to date', columns: costColumns, rows: results.costs.rows.map(named), downloads: downloads('costs'), empty: 'No payments are due yet for these contracts.' })}
<h2 class="govuk-heading-m">Job entry rates</h2>
${setting.rankingHref ? html`<p class="govuk-body"><a class="govuk-link" href="${setting.rankingHref}">See the providers ranked by job entry rate</a></p>` : ''}
<p class="govuk-body">Job entries as a share of starts, for every participant to date, with the 95% confidence interval of each rate.${filters.period ? ' The month filter does not apply here: these rates are to the newest return.' : ''}</p>
${dataTable({ caption: 'Job entry rates by contract', columns: outcomeColumns, rows: outcomes, downloads: downloads('outcomes'), empty: 'There are no outcomes for these contracts yet.' })}
${points.length ? funnelPlot({ title: 'Job entry rate against starts', rateLabel: 'Job entry rate', numeratorLabel: 'Job entries', volumeLabel: 'Starts', points }) : html`<p class="govuk-body">There are no unsuppressed job entry rates to plot.</p>`}
${skipped.length ? html`<p class="govuk-body">Not in the chart, because their starts or job entries are too small to show: ${skipped.join('; ')}.</p>` : ''}
<h2 class="govuk-heading-m">Reporting rate and timeliness</h2>
<p class="govuk-body">Of the returns whose deadline has passed: how many were received (reporting rate) and how many were accepted by the deadline (timeliness rate). Each provider’s figures cover all its contracts in the programme.${filters.period ? ' The month filter does not apply here: these are to today.' : ''}</p>
${dataTable({ caption: 'Reporting rate and timeliness by provider', columns: timelinessColumns, rows: results.timeliness.rows, downloads: downloads('timeliness'), empty: 'No returns are due yet from these providers.' })}
${breakdownSection(filters.breakdown, results.breakdown.rows.map(named), downloads('breakdown'))}`;
    },
  };
}

/** The trend's months up to `period` (every month when it is ''), in the query's order. */
export function trendAsAt(rows: readonly Row[], period: string): Row[] {
  return period ? rows.filter((r) => String(r.period) <= period) : [...rows];
}

/** A contract's trend is drawn by quarter when fewer than half of its months show a figure. */
const mostlyHidden = (rows: readonly Row[]): boolean =>
  rows.filter((r) => suppressed(r.cumulative_actual_display)).length * 2 > rows.length;

/** `2025-02` → `2025-Q1`. */
const quarterOf = (period: string): string =>
  `${period.slice(0, 4)}-Q${Math.ceil(Number(period.slice(5, 7)) / 3)}`;

/** "Jan to Mar 2025" for the months of a quarter that have figures. */
const quarterLabel = (from: string, to: string): string =>
  from === to
    ? formatPeriod(to, 'short')
    : `${formatPeriod(from, 'short').split(' ')[0]} to ${formatPeriod(to, 'short')}`;

/**
 * One line per contract: cumulative % of profile month by month; and, for the contracts whose
 * months are mostly hidden, a second chart of the same figure at the end of each quarter.
 */
function trendSection(rows: readonly Row[], highlighted: (contractId: string) => boolean): Html {
  if (!rows.length) return html``;
  const measure = String(rows[0]!.measure_label);
  const contracts = [...new Set(rows.map((r) => String(r.contract_id)))];
  const rowsOf = new Map(contracts.map((id) => [id, rows.filter((r) => r.contract_id === id)]));
  const name = (id: string) => `${String(rowsOf.get(id)![0]!.provider_name)} (${id})`;
  const byQuarter = contracts.filter((id) => mostlyHidden(rowsOf.get(id)!));
  const byMonth = contracts.filter((id) => !byQuarter.includes(id));
  const share = (r: Row | undefined) => num(r?.cumulative_pct_of_profile);

  const periods = [...new Set(rows.map((r) => String(r.period)))].sort();
  const monthly = byMonth.length
    ? lineChart({
        title: `${measure}: % of profile to date, by month`,
        categoryLabel: 'Month',
        categories: periods.map((p) => formatPeriod(p, 'short')),
        series: byMonth.map((id) => ({
          name: name(id),
          highlighted: highlighted(id),
          values: periods.map((p) => share(rowsOf.get(id)!.find((r) => r.period === p))),
        })),
        valueLabel: '% of profile to date',
        format: 'percent',
      })
    : html``;

  const quarters = [...new Set(periods.map(quarterOf))];
  const monthsOf = (q: string) => periods.filter((p) => quarterOf(p) === q);
  const quarterly = byQuarter.length
    ? html`<p class="govuk-body">${byQuarter.map(name).join('; ')}: in most months the numbers were too small to show one by one, so ${byQuarter.length === 1 ? 'this contract is' : 'these contracts are'} shown by quarter, at the end of each quarter. A gap is a quarter whose figures are too small to show.</p>
${lineChart({
  title: `${measure}: % of profile to date, by quarter`,
  categoryLabel: 'Quarter',
  categories: quarters.map((q) => quarterLabel(monthsOf(q)[0]!, monthsOf(q).at(-1)!)),
  series: byQuarter.map((id) => ({
    name: name(id),
    highlighted: highlighted(id),
    values: quarters.map((q) =>
      share(
        rowsOf
          .get(id)!
          .filter((r) => quarterOf(String(r.period)) === q)
          .at(-1),
      ),
    ),
  })),
  valueLabel: '% of profile to date',
  format: 'percent',
})}`
    : html``;

  return html`<h2 class="govuk-heading-m">Trend</h2>
<p class="govuk-body">${measure}: actual to date as a share of profile to date, for each contract. A gap is a month whose figures are too small to show.</p>
${monthly}
${quarterly}`;
}

/**
 * The performance table as shown: a suppressed count reads as its display value, RAG as
 * "Suppressed"; with each contract's RAG rule (`PageContext.ragRule`), a tag says its threshold
 * ("Red: below 85% of profile").
 */
export function performanceColumns(ragRule?: PageContext['ragRule']): Column[] {
  return [
    areaColumn,
    providerColumn,
    ...martColumns('suppressed_performance', [
      { name: 'measure_label', render: (r) => String(r.measure_label ?? r.measure_id) },
      'period',
      { name: 'cumulative_actual_display', render: (r) => String(r.cumulative_actual_display) },
      'cumulative_profile',
      {
        name: 'cumulative_pct_of_profile',
        render: (r) => {
          const pct = num(r.cumulative_pct_of_profile);
          return suppressed(r.cumulative_actual_display)
            ? String(r.cumulative_actual_display)
            : pct === null
              ? dash()
              : formatPercent(pct);
        },
      },
      {
        name: 'rag',
        render: (r) =>
          suppressed(r.cumulative_actual_display)
            ? html`<strong class="govuk-tag govuk-tag--grey">Suppressed</strong>`
            : ragTag(isRag(r.rag) ? r.rag : null, ragRule?.(String(r.contract_id))),
      },
    ]),
  ];
}

function performanceTable(
  rows: readonly Row[],
  downloads: DataTableOptions['downloads'],
  ragRule: PageContext['ragRule'],
): Html {
  return dataTable({
    caption: '% of profile to date by contract and measure',
    columns: performanceColumns(ragRule),
    rows,
    downloads,
    rowData: (r) => ({ contract: String(r.contract_id) }),
    empty:
      'There are no figures for these contracts yet. They appear once a return has been accepted.',
  });
}

const dash = (): Html =>
  html`<span aria-hidden="true">–</span><span class="govuk-visually-hidden">none</span>`;

function breakdownSection(
  breakdown: string,
  rows: readonly Row[],
  downloads: DataTableOptions['downloads'],
): Html {
  if (!breakdown)
    return html`<h2 class="govuk-heading-m">Breakdowns</h2>
<p class="govuk-body">Choose a breakdown in the filters to see job entry rates by, for example, sex or age band.</p>`;
  const label = breakdown.replaceAll('_', ' ');
  return html`<h2 class="govuk-heading-m">Job entry rates by ${label}</h2>
${dataTable({ caption: `Job entry rates by ${label} and contract`, columns: breakdownColumns, rows, downloads, empty: `There are no figures by ${label} for these contracts.` })}`;
}

function filterForm(setting: OverviewSetting): Html {
  const error = (field: string) => setting.errors.find((e) => e.field === field);
  const group = (field: string) =>
    `govuk-form-group${error(field) ? ' govuk-form-group--error' : ''}`;
  const message = (field: string) => {
    const e = error(field);
    return e
      ? html`<p id="${field}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${e.text}</p>`
      : '';
  };
  const describedBy = (field: string, hint?: string) => {
    const ids = [hint, error(field) ? `${field}-error` : undefined].filter(Boolean).join(' ');
    return ids ? html` aria-describedby="${ids}"` : '';
  };
  const areas = [...new Map(setting.contracts.map((c) => [c.areaCode, c.areaName])).entries()].sort(
    (a, b) => a[1].localeCompare(b[1]),
  );
  const providers = [
    ...new Map(setting.contracts.map((c) => [c.providerId, c.providerName])).entries(),
  ].sort((a, b) => a[1].localeCompare(b[1]));
  const option = (value: string, text: string, chosen: string) =>
    html`<option value="${value}"${value === chosen ? html` selected` : ''}>${text}</option>`;
  return html`<form method="get" action="/programmes/${setting.programme.id}" novalidate>
<fieldset class="govuk-fieldset">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">Filter this programme</h2></legend>
<div class="${group('area')}">
<label class="govuk-label" for="area">Area</label>
${message('area')}
<select class="govuk-select${error('area') ? ' govuk-select--error' : ''}" id="area" name="area"${describedBy('area')}>
${option('', 'All areas', setting.entered.area)}
${areas.map(([code, name]) => option(code, name, setting.entered.area))}
</select>
</div>
<div class="${group('period')}">
<label class="govuk-label" for="period">Month</label>
<div id="period-hint" class="govuk-hint">For example 2025-01. The month applies to performance against profile and the trend only: cost per outcome, job entry rates and reporting are always to the newest return. Leave blank for the newest month.</div>
${message('period')}
<input class="govuk-input govuk-input--width-10${error('period') ? ' govuk-input--error' : ''}" id="period" name="period" type="text" value="${setting.entered.period}"${describedBy('period', 'period-hint')}>
</div>
<div class="${group('breakdown')}">
<label class="govuk-label" for="breakdown">Breakdown</label>
${message('breakdown')}
<select class="govuk-select${error('breakdown') ? ' govuk-select--error' : ''}" id="breakdown" name="breakdown"${describedBy('breakdown')}>
${option('', 'No breakdown', setting.entered.breakdown)}
${setting.breakdowns.map((b) => option(b, b.replaceAll('_', ' '), setting.entered.breakdown))}
</select>
</div>
<div class="${group('highlight')}">
<label class="govuk-label" for="highlight">Highlight a provider in the charts</label>
${message('highlight')}
<select class="govuk-select${error('highlight') ? ' govuk-select--error' : ''}" id="highlight" name="highlight"${describedBy('highlight')}>
${option('', 'No provider', setting.entered.highlight)}
${providers.map(([id, name]) => option(id, name, setting.entered.highlight))}
</select>
</div>
</fieldset>
<button type="submit" class="govuk-button" data-module="govuk-button">Apply filters</button>
</form>`;
}
