/**
 * A short list of links to the pages that go further than this one, under a heading: how a
 * page leads to the others of its area without a menu.
 *
 * @example
 *   relatedLinks('More about this programme', [{ text: 'Fair comparison', href: '/programmes/plp/fair-comparison' }]);
 */
import { html, type Html } from '../html.js';

export interface RelatedLink {
  text: string;
  href: string;
}

export function relatedLinks(heading: string, links: readonly RelatedLink[]): Html {
  return html`<h2 class="govuk-heading-s">${heading}</h2>
<ul class="govuk-list">
${links.map((l) => html`<li><a class="govuk-link" href="${l.href}">${l.text}</a></li>`)}
</ul>`;
}
