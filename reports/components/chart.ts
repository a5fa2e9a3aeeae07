/**
 * A chart as a figure a screen reader, a keyboard user and a printer can all read: the SVG with
 * a text alternative, a caption, and the same numbers as a table in a `<details>`.
 *
 * `role="img"` and the `aria-label` sit on the element around the SVG, not on the `<figure>`:
 * the children of an element with role img are hidden from assistive technology, and that would
 * hide the data table too. Around it, a focusable container that scrolls sideways on a narrow
 * screen, where the drawing keeps a minimum width so its text stays readable (outturn.css).
 *
 * @example
 *   chart({ title: 'Referrals by month', alt: 'Referrals rose from 3 to 6…', svg, table: { columns, rows } })
 */
import type { Column, Row } from '../columns.js';
import { html, type Html } from '../html.js';
import { dataTable } from './data-table.js';

export interface ChartOptions {
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two with the key numbers. */
  alt: string;
  /** From `renderSvg`. */
  svg: Html;
  /** The numbers behind the chart. */
  table: { columns: readonly Column[]; rows: readonly Row[] };
}

export function chart(options: ChartOptions): Html {
  return html`<figure class="outturn-chart">
<figcaption class="govuk-heading-s">${options.title}</figcaption>
<div class="outturn-chart__scroll" role="region" aria-label="Chart: ${options.title}" tabindex="0">
<div class="outturn-chart__image" role="img" aria-label="${options.alt}">
${options.svg}
</div>
</div>
<details class="govuk-details">
<summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show the figures in this chart</span></summary>
<div class="govuk-details__text">
${dataTable({ caption: options.title, captionSize: 's', columns: options.table.columns, rows: options.table.rows })}
</div>
</details>
</figure>
`;
}
