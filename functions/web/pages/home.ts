import { html } from 'hono/html';
import type { Contract, ReferenceData, User } from '../../../pipelines/reference/schema.js';
import {
  canSeeParticipantRows,
  manageableProgrammes,
  queryableTables,
  readsProgrammeOverviews,
  visibleProgrammes,
} from '../../../pipelines/access/index.js';
import { layout, type Markup } from './layout.js';
import { roleNames } from './sign-in.js';

/**
 * A contract's name in words: contracts have ids, not names, so name it by programme, area and provider.
 *
 * @example contractTitle(contract, reference) // 'Provider-led Pathways to Work, Test District (Acme Employment)'
 */
export function contractTitle(contract: Contract, reference: ReferenceData): string {
  const programme =
    reference.programmes.find((p) => p.id === contract.programme_id)?.name ?? contract.programme_id;
  const provider =
    reference.providers.find((p) => p.id === contract.provider_id)?.name ?? contract.provider_id;
  return `${programme}, ${contract.area.name} (${provider})`;
}

/** Where the published dashboards are when this Outturn publishes them behind its sign-in (AWS). */
export const PUBLISHED_SITE = '/site/index.html';

export function homePage(
  user: User,
  contracts: readonly Contract[],
  reference: ReferenceData,
  options: { publishedSite?: boolean } = {},
): Markup {
  return layout(
    'Your contracts',
    html`<h1 class="govuk-heading-l">Your contracts</h1>
<p class="govuk-body">You are signed in as ${user.name} (${roleNames[user.role]}).</p>
${
  readsProgrammeOverviews(user)
    ? html`<h2 class="govuk-heading-m">Programme overviews</h2>
<ul class="govuk-list">${visibleProgrammes(user, reference).map(
        (p) =>
          html`<li><a class="govuk-link" href="/programmes/${encodeURIComponent(p.id)}">${p.name}: all providers compared</a></li>`,
      )}</ul>`
    : ''
}
${canSeeParticipantRows(user) ? html`<p class="govuk-body"><a class="govuk-link" href="/portfolio">Portfolio overview: every contract against profile</a></p>` : ''}
${manageableProgrammes(user) !== null ? html`<p class="govuk-body"><a class="govuk-link" href="/reference">Reference data: programmes, contracts and monthly profiles (download, edit, upload)</a></p>` : ''}
${queryableTables(user) ? html`<p class="govuk-body"><a class="govuk-link" href="/analytics">Query the marts: your own questions, in SQL</a></p>` : ''}
${options.publishedSite ? html`<p class="govuk-body"><a class="govuk-link" href="${PUBLISHED_SITE}">Published dashboards: every programme compared, small numbers suppressed</a></p>` : ''}
${
  contracts.length === 0
    ? html`<p class="govuk-body">There are no contracts you can see yet.</p>`
    : html`<table class="govuk-table">
<caption class="govuk-table__caption govuk-table__caption--m">Contracts you can see</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Contract</th><th scope="col" class="govuk-table__header">Id</th><th scope="col" class="govuk-table__header">Runs</th></tr></thead>
<tbody class="govuk-table__body">
${contracts.map(
  (c) =>
    html`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/contracts/${encodeURIComponent(c.id)}">${contractTitle(c, reference)}</a></td><td class="govuk-table__cell">${c.id}</td><td class="govuk-table__cell">${c.start_period} to ${c.end_period}</td></tr>`,
)}
</tbody>
</table>`
}
<p class="govuk-body"><a class="govuk-link" href="/templates/return.csv">Download the return template (CSV)</a> or <a class="govuk-link" href="/templates/return.xlsx">as a spreadsheet (XLSX)</a>.</p>`,
    { signedInAs: user.name },
  );
}

/** A placeholder until the contract page from reports/ replaces it. */
export function contractPage(user: User, contract: Contract, reference: ReferenceData): Markup {
  const title = contractTitle(contract, reference);
  return layout(
    title,
    html`<span class="govuk-caption-l">Contract ${contract.id}</span>
<h1 class="govuk-heading-l">${title}</h1>
<p class="govuk-body">Performance, returns and standards for this contract will appear here.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Back to your contracts</a></p>`,
    { signedInAs: user.name },
  );
}
