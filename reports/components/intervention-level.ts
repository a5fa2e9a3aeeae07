/**
 * A contract's intervention level (ADR 039): where it stands now, why, and the months it moved.
 * The same section on the contract page, the improvement plan and the quarterly review pack, and
 * on the commissioner's contract page (from `suppressed_intervention_levels`, the same columns
 * less what each month was judged from). The rows are the contract's levels, oldest first.
 */
import { formatPeriod, formatPercent } from '../format.js';
import { html, type Html } from '../html.js';
import type { Row } from '../columns.js';
import { martColumns } from '../columns.js';
import { dataTable, type DataTableOptions } from './data-table.js';
import {
  regimeWindowWords as windowWords,
  type Intervention,
} from '../../pipelines/reference/schema.js';

/** The programme's rule in one sentence. */
export function levelRuleWords(rule: Intervention): string {
  return `A contract moves up one level after ${rule.up_after} ${rule.up_after === 1 ? 'month' : 'months'} in a row below ${formatPercent(rule.below)} of profile ${windowWords[rule.window]} on any measure it is judged on, and down one after ${rule.down_after} ${rule.down_after === 1 ? 'month' : 'months'} in a row at or above it.`;
}

/** The level as a tag: green at no intervention, red at the programme's highest, orange between. */
export function levelTag(row: Row, rule: Intervention): Html {
  const level = Number(row.level);
  const colour = level === 0 ? 'green' : level >= rule.levels.length - 1 ? 'red' : 'orange';
  return html`<strong class="govuk-tag govuk-tag--${colour}">${String(row.level_label)}</strong>`;
}

/** The months a contract's level changed, as the section's table and its downloads show them. */
export const levelChangeColumns = (
  mart: 'intervention_levels' | 'suppressed_intervention_levels' = 'intervention_levels',
) =>
  martColumns(mart, [
    { name: 'period', rowHeader: true },
    'level_label',
    {
      name: 'change',
      render: (r: Row) =>
        r.change === 'up' ? 'Up one level' : r.change === 'down' ? 'Down one level' : '',
    },
  ]);

/**
 * @param headingLevel the section's heading: `h2` on its own page's sections.
 * @param planHref where the improvement plan is, to link to; omitted, no link.
 */
export function interventionLevelSection(options: {
  rows: readonly Row[];
  rule: Intervention;
  id: string;
  planHref?: string;
  /** Where the rows are from: the commissioner's page reads the published copy. */
  mart?: 'intervention_levels' | 'suppressed_intervention_levels';
  /** Links to download the months it changed (the commissioner's page). */
  downloads?: DataTableOptions['downloads'];
}): Html {
  const { rows, rule } = options;
  const now = rows.at(-1);
  const changes = rows.filter((r) => r.change !== null && r.change !== undefined);
  const level = now ? Number(now.level) : 0;
  const description = rule.levels[level]?.description ?? '';
  return html`<section class="outturn-review-section" aria-labelledby="${options.id}">
<h2 class="govuk-heading-m" id="${options.id}">Intervention level</h2>
${
  now
    ? html`<p class="govuk-body">${levelTag(now, rule)} at the end of ${formatPeriod(String(now.period))}. ${description}</p>`
    : html`<p class="govuk-body">There is no level yet: it is worked out once a return has been accepted.</p>`
}
<p class="govuk-body">${levelRuleWords(rule)}</p>
${options.planHref && html`<p class="govuk-body"><a class="govuk-link" href="${options.planHref}">See the improvement plan</a></p>`}
${
  changes.length > 0 &&
  dataTable({
    caption: 'Months the level changed',
    captionSize: 's',
    columns: levelChangeColumns(options.mart),
    rows: changes,
    ...(options.downloads ? { downloads: options.downloads } : {}),
  })
}
</section>`;
}
