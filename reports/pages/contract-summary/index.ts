/**
 * A contract's summary page: what a commissioner sees of one contract (whose unsuppressed
 * figures are not theirs to see), and anyone's when there are no marts yet.
 */
import type { Contract, ReferenceData } from '../../../pipelines/reference/schema.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';
import { contractTitle } from '../../names.js';

/** @example contractSummaryPage(contract, reference) */
export function contractSummaryPage(contract: Contract, reference: ReferenceData): Html {
  const title = contractTitle(contract, reference);
  return layout({
    title,
    content: html`<span class="govuk-caption-l">Contract ${contract.id}</span>
<h1 class="govuk-heading-l">${title}</h1>
<p class="govuk-body">Performance, returns and standards for this contract will appear here.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Back to your contracts</a></p>`,
  });
}
