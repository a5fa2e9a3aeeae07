/**
 * A RAG status as a GOV.UK tag that says the word. Colour alone fails people who cannot tell
 * red from green, and it vanishes on a black-and-white print.
 */
import { html, type Html } from '../html.js';

export type Rag = 'green' | 'amber' | 'red';

const TAGS: Record<Rag, { modifier: string; word: string }> = {
  green: { modifier: 'govuk-tag--green', word: 'Green' },
  amber: { modifier: 'govuk-tag--yellow', word: 'Amber' },
  red: { modifier: 'govuk-tag--red', word: 'Red' },
};

export function isRag(value: unknown): value is Rag {
  return value === 'green' || value === 'amber' || value === 'red';
}

/** `null` (nothing profiled, so nothing to judge) shows as a grey "No profile". */
export function ragTag(rag: Rag | null): Html {
  if (rag === null) return html`<strong class="govuk-tag govuk-tag--grey">No profile</strong>`;
  const tag = TAGS[rag];
  return html`<strong class="govuk-tag ${tag.modifier}">${tag.word}</strong>`;
}
