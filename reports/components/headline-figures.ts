/**
 * The few numbers at the top of a page. A rate never stands alone: its numerator and
 * denominator sit beside it (DESIGN §8), because "50%" of 2 and "50%" of 2,000 are different
 * news and a commissioner must be able to tell which one they are reading.
 *
 * @example
 *   headlineFigures([{ label: 'Referrals', value: 6 / 7, format: 'percent', of: { numerator: 6, denominator: 7, numeratorLabel: 'referrals', denominatorLabel: 'profiled' }, rag: 'amber' }])
 */
import { formatNumber, formatValue, type ValueFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { ragTag, type Rag, type RagRule } from './rag-tag.js';

export interface HeadlineFigure {
  label: string;
  /** Null shows as "No data" rather than a misleading 0. */
  value: number | null;
  format?: Extract<ValueFormat, 'number' | 'percent' | 'money'>;
  /** Required in spirit for any rate: what it is a share of. */
  of?: {
    numerator: number;
    denominator: number;
    numeratorLabel?: string;
    denominatorLabel?: string;
  };
  /** Shown when present; `null` means "not profiled" and shows as such. */
  rag?: Rag | null;
  /** The thresholds the status was judged by, so its tag says them. */
  ragRule?: RagRule;
  /** A line of context, e.g. "to the end of March 2025". */
  hint?: string;
}

export function headlineFigures(figures: readonly HeadlineFigure[]): Html {
  return html`<dl class="outturn-figures">
${figures.map(figure)}</dl>
`;
}

function figure(f: HeadlineFigure): Html {
  const value = f.value === null ? 'No data' : formatValue(f.value, f.format ?? 'number');
  return html`<div class="outturn-figure">
<dt class="govuk-body outturn-figure__label">${f.label}</dt>
<dd class="govuk-body outturn-figure__value">${value}</dd>
${f.of && html`<dd class="govuk-body-s outturn-figure__detail">${formatNumber(f.of.numerator)}${f.of.numeratorLabel ? ` ${f.of.numeratorLabel}` : ''} of ${formatNumber(f.of.denominator)}${f.of.denominatorLabel ? ` ${f.of.denominatorLabel}` : ''}</dd>`}
${f.rag !== undefined && html`<dd class="govuk-body-s outturn-figure__detail">${ragTag(f.rag, f.ragRule)}</dd>`}
${f.hint && html`<dd class="govuk-body-s govuk-!-margin-bottom-0 outturn-figure__detail">${f.hint}</dd>`}
</div>
`;
}
