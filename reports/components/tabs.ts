/**
 * GOV.UK tabs for sections a reader chooses between (long tables behind the headline figures).
 * The pages run no script, and without govuk-frontend's script tabs are what the Design System
 * says they fall back to: a list of links to anchored sections, each under its own heading, so
 * every section is reachable, printable and read in order by a screen reader.
 *
 * @example tabs({ title: 'Tables', sections: [{ id: 'standards', label: 'Standards', content }] })
 */
import { html, type Html } from '../html.js';

export interface TabSection {
  /** The section's anchor: lower-case letters, digits and hyphens. */
  id: string;
  /** The tab's words, and the section's heading. */
  label: string;
  content: Html;
}

export function tabs(o: { title: string; sections: readonly TabSection[] }): Html {
  return html`<div class="govuk-tabs" data-module="govuk-tabs">
<h2 class="govuk-tabs__title">${o.title}</h2>
<ul class="govuk-tabs__list">
${o.sections.map(
  (s, i) =>
    html`<li class="govuk-tabs__list-item${i === 0 ? ' govuk-tabs__list-item--selected' : ''}"><a class="govuk-tabs__tab" href="#${s.id}">${s.label}</a></li>
`,
)}</ul>
${o.sections.map(
  (s, i) =>
    html`<div class="govuk-tabs__panel${i === 0 ? '' : ' govuk-tabs__panel--hidden'}" id="${s.id}">
<h2 class="govuk-heading-m">${s.label}</h2>
${s.content}</div>
`,
)}</div>
`;
}
