/**
 * One contract as its commissioners see it: its figures from the suppressed marts only
 * (suppressed_performance, suppressed_outcomes, suppressed_costs, and the intervention level from
 * suppressed_intervention_levels), read through the restricted
 * engine of ADR 020, so a count of 1 to 4, or one that would let such a count be worked out,
 * reads "[c]" here as on the programme overview. Parameters (bound by name): `contract`.
 */
import type { Column, Row } from '../../columns.js';
import { dataTable, type DataTableOptions } from '../../components/data-table.js';
import { html } from '../../html.js';
import {
  interventionLevelSection,
  levelChangeColumns,
} from '../../components/intervention-level.js';
import type { Intervention } from '../../../pipelines/reference/schema.js';
import type { ReportPage } from '../../page.js';
import {
  asPercentages,
  costColumns,
  percentValues,
  outcomeDownloadColumns,
  performanceColumns,
  performanceDownloadColumns,
} from '../programme-overview/index.js';

export type ContractPublishedParams = { contract: string };
type Queries = 'performance' | 'outcomes' | 'costs' | 'levels';

export interface ContractPublishedSetting {
  contractId: string;
  title: string;
  programme: { id: string; name: string };
  /** The programme's profiled measures, by id: the ones the performance table shows. */
  profiledMeasures: readonly string[];
  /** The programme's intervention levels and the rule that moves a contract between them. */
  rule: Intervention;
}

const queries = {
  // Each measure of the contract in its newest month.
  performance: {
    sql: `select sp.contract_id, sp.measure_id, sp.measure_label, sp.period,
                 sp.cumulative_actual_display, sp.cumulative_profile, sp.cumulative_pct_of_profile, sp.rag
          from suppressed_performance sp
          where sp.contract_id = $contract
            and sp.period = (select max(s2.period) from suppressed_performance s2 where s2.contract_id = $contract)
          order by sp.measure_order`,
    params: (p: ContractPublishedParams) => ({ contract: p.contract }),
  },
  outcomes: {
    sql: `select contract_id, starts, starts_display, job_entries, job_entries_display, sustained_jobs_display,
                 job_entry_rate, job_entry_rate_low, job_entry_rate_high, sustained_rate
          from suppressed_outcomes
          where contract_id = $contract and breakdown = 'all'`,
    params: (p: ContractPublishedParams) => ({ contract: p.contract }),
  },
  costs: {
    sql: `select contract_id, period, cumulative_job_entries_display, cumulative_total_due, cost_per_job_entry, cost_per_sustained_job
          from suppressed_costs
          where contract_id = $contract`,
    params: (p: ContractPublishedParams) => ({ contract: p.contract }),
  },
  // The contract's level month by month (ADR 039), oldest first.
  levels: {
    sql: `select contract_id, period, level, level_label, change
          from suppressed_intervention_levels
          where contract_id = $contract
          order by period`,
    params: (p: ContractPublishedParams) => ({ contract: p.contract }),
  },
} satisfies ReportPage<ContractPublishedParams, Queries>['queries'];

/** The programme pages' columns, less the area and provider the page's heading already names. */
const withoutContract = (columns: readonly Column[]) =>
  columns.filter((c) => !['area', 'provider_name', 'contract_id'].includes(c.key));

/** @example renderPage(contractPublishedPage(setting), restrictedDb, { params: { contract: 'plp-test' } }) */
export function contractPublishedPage(
  setting: ContractPublishedSetting,
): ReportPage<ContractPublishedParams, Queries> {
  const profiled = (rows: Row[]) =>
    rows.filter((r) => setting.profiledMeasures.includes(String(r.measure_id)));
  /** As the programme overview's downloads: rates as percentages. */
  const download = (
    title: string,
    query: Queries,
    columns: readonly Column[],
    keep = (rows: Row[]) => rows,
  ) => ({
    title,
    query,
    columns: asPercentages(withoutContract(columns)),
    prepare: (rows: Row[]) => keep(rows).map((r) => percentValues(columns, r)),
  });
  return {
    id: 'contract-published',
    title: setting.title,
    description:
      'One contract’s performance against profile, intervention level, job entry rates and costs, with small numbers suppressed.',
    queries,
    tables: {
      performance: download(
        'Performance against profile',
        'performance',
        performanceDownloadColumns,
        profiled,
      ),
      outcomes: download('Job entry rates', 'outcomes', outcomeDownloadColumns),
      costs: download('Cost per outcome', 'costs', costColumns),
      levels: download(
        'Months the intervention level changed',
        'levels',
        levelChangeColumns('suppressed_intervention_levels'),
        (rows) => rows.filter((r) => r.change !== null && r.change !== undefined),
      ),
    },
    render(results, context) {
      const downloads = (table: string): DataTableOptions['downloads'] =>
        context.downloadHref && {
          csv: context.downloadHref('contract-published', table, 'csv'),
          xlsx: context.downloadHref('contract-published', table, 'xlsx'),
        };
      const programme = `/programmes/${encodeURIComponent(setting.programme.id)}`;
      return html`<span class="govuk-caption-l">Contract ${setting.contractId}</span>
<h1 class="govuk-heading-l">${setting.title}</h1>
<p class="govuk-body">This contract’s figures as commissioners see them. No count of fewer than 5 people is shown, nor any figure that would let one be worked out: those read “[c]”. Compare it with the programme’s other providers on the <a class="govuk-link" href="${programme}">${setting.programme.name} overview</a>.</p>
<h2 class="govuk-heading-m">Performance against profile</h2>
<p class="govuk-body">Actual to date against profile to date for each profiled measure, at the newest month.</p>
${dataTable({ caption: '% of profile to date by measure', captionSize: 'hidden', columns: withoutContract(performanceColumns(context.ragRule)), rows: profiled(results.performance.rows), downloads: downloads('performance'), empty: 'There are no figures for this contract yet. They appear once a return has been accepted.' })}
${interventionLevelSection({ rows: results.levels.rows, rule: setting.rule, id: 'intervention-level', mart: 'suppressed_intervention_levels', downloads: downloads('levels') })}
<h2 class="govuk-heading-m">Job entry rates</h2>
<p class="govuk-body">Job entries as a share of starts, for every participant to date, with the 95% confidence interval.</p>
${dataTable({ caption: 'Job entry rate to date', captionSize: 'hidden', columns: withoutContract(outcomeDownloadColumns), rows: results.outcomes.rows, downloads: downloads('outcomes'), empty: 'There are no outcomes for this contract yet.' })}
<h2 class="govuk-heading-m">Cost per outcome</h2>
<p class="govuk-body">Payments due to date under the contract’s payment model, divided by its job entries and sustained jobs to date. Where any count behind a cost is 1 to 4, the cost is not shown.</p>
${dataTable({ caption: 'Cost per job entry and per sustained job, to date', captionSize: 'hidden', columns: withoutContract(costColumns), rows: results.costs.rows, downloads: downloads('costs'), empty: 'No payments are due yet for this contract.' })}`;
    },
  };
}
