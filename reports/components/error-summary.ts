/**
 * The GOV.UK error summary: at the top of the page, each problem a link to where it is. Works
 * without script (the Design System's script only moves focus to it).
 *
 * @example
 *   errorSummary({ errors: [{ text: 'Enter a referral date in the format 31/01/2009', href: '#rule-cell-date' }] })
 */
import { html, type Html } from '../html.js';

export interface ErrorSummaryItem {
  text: string;
  /** A fragment on the same page, e.g. `#rule-cell-date`. */
  href?: string;
}

export function errorSummary(options: {
  title?: string;
  description?: string;
  errors: readonly ErrorSummaryItem[];
}): Html {
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary">
<div role="alert">
<h2 class="govuk-error-summary__title">${options.title ?? 'There is a problem'}</h2>
<div class="govuk-error-summary__body">
${options.description && html`<p>${options.description}</p>`}
<ul class="govuk-list govuk-error-summary__list">
${options.errors.map(
  (e) => html`<li>${e.href ? html`<a href="${e.href}">${e.text}</a>` : e.text}</li>
`,
)}</ul>
</div>
</div>
</div>
`;
}
