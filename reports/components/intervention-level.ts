/**
 * A contract's intervention level (ADR 039): where it stands now, why, and the months it moved.
 * The same section on the contract page, the improvement plan and the quarterly review pack.
 * The rows are the contract's `intervention_levels`, oldest first.
 */
import { formatPeriod, formatPercent } from '../format.js';
import { html, type Html } from '../html.js';
import type { Row } from '../columns.js';
import { martColumns } from '../columns.js';
import { dataTable } from './data-table.js';
import {
  regimeWindowWords as windowWords,
  type Intervention,
} from '../../pipelines/reference/schema.js';

/** The programme's rule in one sentence. */
export function levelRuleWords(rule: Intervention): string {
  return `A contract moves up one level after ${rule.up_after} ${rule.up_after === 1 ? 'month' : 'months'} in a row below ${formatPercent(rule.below)} of profile ${windowWords[rule.window]} on any measure it is judged on, and down one after ${rule.down_after} ${rule.down_after === 1 ? 'month' : 'months'} in a row at or above it.`;
}

const changeColumns = martColumns('intervention_levels', [
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
    ? html`<p class="govuk-body"><strong class="govuk-tag ${level === 0 ? 'govuk-tag--green' : level >= rule.levels.length - 1 ? 'govuk-tag--red' : 'govuk-tag--orange'}">${String(now.level_label)}</strong> at the end of ${formatPeriod(String(now.period))}. ${description}</p>`
    : html`<p class="govuk-body">There is no level yet: it is worked out once a return has been accepted.</p>`
}
<p class="govuk-body">${levelRuleWords(rule)}</p>
${options.planHref && html`<p class="govuk-body"><a class="govuk-link" href="${options.planHref}">See the improvement plan</a></p>`}
${
  changes.length > 0 &&
  dataTable({
    caption: 'Months the level changed',
    captionSize: 's',
    columns: changeColumns,
    rows: changes,
  })
}
</section>`;
}
