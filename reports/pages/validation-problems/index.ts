/**
 * The most common validation problems across a programme's providers, month by month
 * (validation_problems: counts only, never a cell value; 1 to 4 rows read "[c]"), so a
 * commissioner can see where the guidance needs fixing. Parameters: `programme`, `title`.
 */
import { martColumns } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';

type Params = { programme: string; title: string };

export const problemColumns = martColumns('validation_problems', [
  'period',
  'rank',
  'rule',
  'column_name',
  'rows_affected_display',
  'returns_affected',
  'providers_affected',
]);

export const validationProblemsPage: ReportPage<Params, 'problems'> = {
  id: 'validation-problems',
  title: (_r, { params }) => `Common problems in returns: ${params.title}`,
  description: 'The most common validation problems across providers, by month.',
  queries: {
    problems: {
      sql: `select period, rank, rule, column_name, rows_affected_display,
                   coalesce(returns_affected::varchar, '[c]') as returns_affected,
                   coalesce(providers_affected::varchar, '[c]') as providers_affected
            from validation_problems where programme_id = $programme and rank <= 10
            order by period desc, rank, rule, column_name`,
      params: (p: Params) => ({ programme: p.programme }),
    },
  },
  tables: { problems: { title: 'Common problems', query: 'problems', columns: problemColumns } },
  render(results, context) {
    const link = (format: 'csv' | 'xlsx') =>
      context.downloadHref?.('validation-problems', 'problems', format);
    return html`<span class="govuk-caption-l">${context.params.title}</span>
<h1 class="govuk-heading-l">Common problems in returns</h1>
<p class="govuk-body">The 10 problems found most often in each month’s accepted returns, across all providers. If many providers have the same problem, the guidance may need to be clearer.</p>
<p class="govuk-body">Only counts are shown, never what was in the return. Fewer than 5 rows reads “[c]”, and then so do its returns and providers.</p>
${dataTable({
  caption: 'Common problems by month',
  columns: problemColumns,
  rows: results.problems.rows,
  empty: 'No problems have been found in accepted returns.',
  downloads: { csv: link('csv'), xlsx: link('xlsx') },
})}`;
  },
};
