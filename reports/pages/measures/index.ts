/**
 * The programme's own measures (reference data, ADR 024) for a set of contracts: every figure
 * with its numerator and denominator, and the work-status transitions (status at referral ×
 * status at discharge), by any breakdown. Two versions from one definition: the true figures
 * (measure_values) for providers and contract managers, by any period grain; and the
 * suppressed figures to date (suppressed_measure_values) for commissioners and the published
 * site, where a hidden count reads "[c]".
 *
 * Parameters: `contracts` (comma-separated ids: authorisation is the web app's job),
 * `breakdown` (a breakdown of measure_values; all by default), `grain` (true figures: any;
 * suppressed: to date or programme year), `cohort` (true figures: event or referral; the
 * suppressed figures count people in the period of the measure's own date).
 */
import { martColumns, type Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html } from '../../html.js';
import type { QueryParams, ReportPage } from '../../page.js';

type Params = {
  contracts: string;
  breakdown: string;
  grain: string;
  cohort: string;
  title: string;
};
type Queries = 'figures' | 'transitions';

export const figureColumns: readonly Column[] = [
  ...martColumns('measure_values', [
    'contract_id',
    'measure_label',
    'statistic',
    'category',
    'breakdown_value',
    'period',
    'numerator',
    'denominator',
  ]),
  // The value in words: a share as a percentage, a count as a whole number.
  { key: 'figure', label: 'Value' },
];

/** A transition's own words for what measure_values holds generically (the query renames them). */
export const transitionColumns: readonly Column[] = [
  ...martColumns('measure_values', ['contract_id', 'breakdown_value']),
  { key: 'status_at_referral', label: 'Work status at referral' },
  { key: 'status_at_discharge', label: 'Work status at discharge' },
  { key: 'people', label: 'People' },
  { key: 'discharged', label: 'Out of' },
  { key: 'share', label: 'Share' },
];

const figure = (value: string) =>
  `case when unit = 'share' then printf('%.1f%%', 100 * ${value}) when statistic = 'count' or statistic = 'sum' then printf('%d', ${value}::bigint) else printf('%.1f', ${value}) end`;

function queries(suppressed: boolean) {
  const table = suppressed ? 'suppressed_measure_values' : 'measure_values';
  // Commissioners read the counts as shown ("[c]" when hidden), never the hidden numbers.
  const counts = suppressed
    ? `participants_display as numerator, coalesce(denominator_display, '') as denominator, coalesce(${figure('value')}, '[c]') as figure`
    : `numerator, denominator, ${figure('value')} as figure`;
  // One query per contract reads every breakdown and grain at once, each row naming its own
  // (`part`), and the page keeps the one asked (docs/decisions/043): another breakdown or grain,
  // or another set of contracts, costs no query once each contract's rows are kept.
  const where = `contract_id = $contract and cohort = ${suppressed ? "'event'" : '$cohort'}`;
  const each = (p: Params) =>
    [...new Set(p.contracts.split(',').map((c) => c.trim()))]
      .filter((c) => c !== '')
      .sort()
      .map((contract): QueryParams => (suppressed ? { contract } : { contract, cohort: p.cohort }));
  const part = { column: 'part', of: (p: Params) => `${p.breakdown}|${p.grain}` };
  const partOf = `breakdown || '|' || grain as part`;
  return {
    figures: {
      sql: `select ${partOf}, contract_id, measure_label, statistic, category, breakdown_value, period, ${counts}
            from ${table} where ${where} and group_value = 'all'
            order by breakdown, grain, contract_id, measure_id, period, breakdown_value, statistic, category`,
      each,
      part,
    },
    transitions: {
      sql: `select part, contract_id, breakdown_value, status_at_referral, status_at_discharge,
                   numerator as people, denominator as discharged, figure as share
            from (select ${partOf}, breakdown, grain, contract_id, breakdown_value, group_value as status_at_referral,
                         category as status_at_discharge, ${counts}, measure_id, period
                  from ${table} where ${where} and kind = 'distribution' and group_value <> 'all')
            order by breakdown, grain, contract_id, measure_id, period, breakdown_value, status_at_referral, status_at_discharge`,
      each,
      part,
    },
  };
}

function measuresPage(suppressed: boolean): ReportPage<Params, Queries> {
  const id = suppressed ? 'programme-measures' : 'contract-measures';
  return {
    id,
    title: (_r, { params }) => `Measures: ${params.title}`,
    description:
      'The programme’s own measures, each with its numerator and denominator, and the work-status transitions, by any breakdown.',
    queries: queries(suppressed),
    tables: {
      figures: { title: 'Measures', query: 'figures', columns: figureColumns },
      transitions: {
        title: 'Work status transitions',
        query: 'transitions',
        columns: transitionColumns,
      },
    },
    render(results, context) {
      const { params } = context;
      const link = (t: string, format: 'csv' | 'xlsx') => context.downloadHref?.(id, t, format);
      const by = params.breakdown === 'all' ? 'everyone' : params.breakdown.replaceAll('_', ' ');
      const period = grainWords[params.grain] ?? params.grain;
      const counted =
        params.cohort === 'referral'
          ? 'Each person is counted in the period they were referred in (the referral cohort), whenever the measure’s own date (for example their discharge) came.'
          : 'Each person is counted in the period of the measure’s own date (for example their discharge, or their assessment), not their referral.';
      return html`<span class="govuk-caption-l">${params.title}</span>
<h1 class="govuk-heading-l">Measures</h1>
<p class="govuk-body">The programme’s own measures, as its reference data defines them. ${counted} Figures are for ${by}, ${period}.</p>
${suppressed ? html`<p class="govuk-body">No count of 1 to 4 people is shown, nor any figure that would give one away: those read “[c]”.</p>` : html``}
<p class="govuk-body">Choose a breakdown by adding <code>?breakdown=support_tier</code> (or delivery_partner, sex, age_band, primary_condition_group, main_reason_for_referral, participant_type, simd_decile…) to the address, and a period with <code>&amp;grain=programme_year</code> (${suppressed ? 'programme_year or to_date' : 'month, quarter, financial_year, programme_year or to_date; months for everyone only'})${suppressed ? '' : html`; <code>&amp;cohort=referral</code> counts people in the period they were referred in`}.</p>
${dataTable({
  caption: 'Measures',
  columns: named(figureColumns, context.contractName),
  rows: results.figures.rows,
  empty: 'There are no figures for these measures yet.',
  downloads: { csv: link('figures', 'csv'), xlsx: link('figures', 'xlsx') },
})}
${dataTable({
  caption: 'Work status transitions: status at referral by status at discharge',
  columns: named(transitionColumns, context.contractName),
  rows: results.transitions.rows,
  empty: 'No one has been discharged with a work status recorded yet.',
  downloads: { csv: link('transitions', 'csv'), xlsx: link('transitions', 'xlsx') },
})}`;
    },
  };
}

/** The contract column in words on the page; the downloads keep the id. */
function named(columns: readonly Column[], name: ((id: string) => string) | undefined): Column[] {
  return columns.map((c) =>
    c.key === 'contract_id' && name ? { ...c, render: (row) => name(String(row.contract_id)) } : c,
  );
}

/** True figures: for a provider's own contracts and a contract manager's portfolio. */
export const contractMeasures = measuresPage(false);
/** Suppressed figures to date: for commissioners and the published site. */
export const programmeMeasures = measuresPage(true);

const grainWords: Record<string, string> = {
  month: 'by month',
  quarter: 'by quarter',
  financial_year: 'by financial year (April to March)',
  programme_year: 'by programme year',
  to_date: 'for the whole term to date',
};

const BREAKDOWN = /^[a-z0-9_]{1,64}$/;
const GRAINS = ['month', 'quarter', 'financial_year', 'programme_year', 'to_date'];
/** The periods commissioners see (ADR 035): one partition of the term, and the term. */
export const PUBLISHED_GRAINS = ['programme_year', 'to_date'];
const COHORTS = ['event', 'referral'];

/**
 * The breakdown, grain and cohort asked for in the URL, or null for one that cannot be (for
 * the suppressed figures, a grain commissioners are not given, or a cohort).
 */
export function measureFilters(
  breakdown: string | undefined,
  grain: string | undefined,
  cohort: string | undefined,
  suppressed = false,
): { breakdown: string; grain: string; cohort: string } | null {
  const b = breakdown ?? 'all';
  const g = grain ?? 'to_date';
  const c = cohort ?? 'event';
  if (!BREAKDOWN.test(b) || !(suppressed ? PUBLISHED_GRAINS : GRAINS).includes(g)) return null;
  if (!COHORTS.includes(c) || (suppressed && c !== 'event')) return null;
  return { breakdown: b, grain: g, cohort: c };
}
