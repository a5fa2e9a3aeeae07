/**
 * A RAG status as a GOV.UK tag that says the word, and the threshold it stands for ("Red: below
 * 75% of profile"). Colour alone fails people who cannot tell red from green, and it vanishes
 * on a black-and-white print; a bare "Red" leaves the reader to guess how far off is red.
 */
import { formatPercent } from '../format.js';
import { html, type Html } from '../html.js';

export type Rag = 'green' | 'amber' | 'red';

/** A programme's thresholds on the share of profile to date (programmes.json `rag`). */
export interface RagRule {
  green_from: number;
  amber_from: number;
}

/** Each status in a word. */
export const ragWord: Record<Rag, string> = { green: 'Green', amber: 'Amber', red: 'Red' };

const TAGS: Record<Rag, { modifier: string; word: string }> = {
  green: { modifier: 'govuk-tag--green', word: ragWord.green },
  amber: { modifier: 'govuk-tag--yellow', word: ragWord.amber },
  red: { modifier: 'govuk-tag--red', word: ragWord.red },
};

export function isRag(value: unknown): value is Rag {
  return value === 'green' || value === 'amber' || value === 'red';
}

/**
 * What a status means under a programme's thresholds.
 *
 * @example ragThreshold('red', { green_from: 0.9, amber_from: 0.75 }) // 'below 75% of profile'
 */
export function ragThreshold(rag: Rag, rule: RagRule): string {
  if (rag === 'green') return `${formatPercent(rule.green_from)} of profile or more`;
  if (rag === 'amber')
    return `${formatPercent(rule.amber_from)} to under ${formatPercent(rule.green_from)} of profile`;
  return `below ${formatPercent(rule.amber_from)} of profile`;
}

/**
 * `null` (nothing profiled, so nothing to judge) shows as a grey "No profile". With the
 * programme's rule, the tag says its threshold: "Amber: 75% to under 90% of profile".
 */
export function ragTag(rag: Rag | null, rule?: RagRule): Html {
  if (rag === null) return html`<strong class="govuk-tag govuk-tag--grey">No profile</strong>`;
  const tag = TAGS[rag];
  const word = rule ? `${tag.word}: ${ragThreshold(rag, rule)}` : tag.word;
  return html`<strong class="govuk-tag ${tag.modifier}">${word}</strong>`;
}

/** Every status of a rule in one sentence, for a page's key. */
export function ragKey(rule: RagRule): string {
  return (['green', 'amber', 'red'] as const)
    .map((rag) => `${TAGS[rag].word}: ${ragThreshold(rag, rule)}`)
    .join('. ')
    .concat('.');
}
