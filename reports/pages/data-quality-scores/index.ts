/**
 * Data-quality scores of a programme's providers, month by month (data_quality_scores, after
 * NHS England's DQMI: docs/methods/data-quality-score.md), for commissioners. The mart holds
 * shares of values and counts of returns, never a participant's value or a count of people, and
 * withholds the shares of a return of fewer than five participants (ADR 051).
 *
 * Parameters (bound by name): `programme`, the programme id; `title`, the caption.
 * `scoreColumns` is also the contract quality page's table of the same figures.
 */
import { martColumns, type Column, type Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';
import { SMALLEST_SHOWN } from '../../../pipelines/transform/models/suppressed/rule.js';

type Params = { programme: string; title: string };

/** The score and its parts, as every page shows them. */
export const scoreColumns: readonly Column[] = martColumns('data_quality_scores', [
  'period',
  'score',
  'coverage',
  'completeness',
  'validity',
  'not_known',
  'returns_received',
  'returns_due',
]);

const providerColumn: Column = { key: 'provider_name', label: 'Provider' };
const contractColumn: Column = { key: 'contract_id', label: 'Contract' };

export const providerScoreColumns: readonly Column[] = [
  providerColumn,
  contractColumn,
  ...scoreColumns,
];

/** What the score is, in words, for every page that shows it. */
export const scoreExplained = html`<p class="govuk-body">Each month’s score is the average of four parts, after the NHS Data Quality Maturity Index:</p>
<ul class="govuk-list govuk-list--bullet">
  <li>coverage: returns received out of returns due, from the start of the contract to that month</li>
  <li>completeness: how many of the optional details expected for every participant were filled in (referral source, claimant group, support tier and work status at referral)</li>
  <li>validity: how many values had no warning on them</li>
  <li>not known: how many coded answers were “not known” or “not stated”, where lower is better, so it counts as 100% less this share</li>
</ul>
<p class="govuk-body">A month with no return in force has coverage only, and no score. An aggregate return has coverage and validity only. For a participant return of fewer than ${SMALLEST_SHOWN} people, only coverage is shown: the other parts would be shares of the records of one to four people.</p>
<p class="govuk-body">The parts are counted once, when each return is accepted; coverage is worked out again each day, as returns fall due.</p>`;

export function dataQualityScoresPage(
  providerNames: Readonly<Record<string, string>>,
): ReportPage<Params, 'scores'> {
  const named = (rows: Row[]): Row[] =>
    rows.map((r) => ({
      ...r,
      provider_name: providerNames[String(r.provider_id)] ?? String(r.provider_id),
    }));
  return {
    id: 'data-quality-scores',
    title: (_r, { params }) => `Data quality by provider: ${params.title}`,
    description: 'Each provider’s monthly data-quality score and its four parts.',
    queries: {
      scores: {
        sql: `select provider_id, contract_id, period, score, coverage, completeness, validity, not_known,
                     returns_received, returns_due
              from data_quality_scores where programme_id = $programme
              order by period desc, provider_id, contract_id`,
        params: (p: Params) => ({ programme: p.programme }),
      },
    },
    tables: {
      scores: {
        title: 'Data quality by provider',
        query: 'scores',
        columns: providerScoreColumns,
        prepare: named,
      },
    },
    render(results, context) {
      const link = (format: 'csv' | 'xlsx') =>
        context.downloadHref?.('data-quality-scores', 'scores', format);
      return html`<span class="govuk-caption-l">${context.params.title}</span>
<h1 class="govuk-heading-l">Data quality by provider</h1>
${scoreExplained}
<p class="govuk-body">These are shares of values and counts of returns, never what a return said about a person or how many people it holds.</p>
${dataTable({
  caption: 'Data quality by provider and month',
  columns: providerScoreColumns,
  rows: named(results.scores.rows),
  empty: 'No returns are due yet.',
  downloads: { csv: link('csv'), xlsx: link('xlsx') },
})}`;
    },
  };
}
