/**
 * The signed-in home page: where each kind of user starts. The route works out what the user
 * may open (the access rules live in one place, not here); this page only lays it out.
 */
import type {
  Contract,
  Programme,
  ReferenceData,
  User,
} from '../../../pipelines/reference/schema.js';
import type { Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';
import { contractTitle, roleNames } from '../../names.js';

/** Where the published dashboards are when this Outturn publishes them behind its sign-in (AWS). */
export const PUBLISHED_SITE = '/site/index.html';

/** What the user may open from home, as the route found it. */
export interface HomeView {
  user: User;
  reference: ReferenceData;
  contracts: readonly Contract[];
  /** Programmes whose overview the user may open. */
  programmes: readonly Programme[];
  portfolio: boolean;
  /** Whether the user manages reference data (programmes, contracts, profiles). */
  referenceData: boolean;
  analytics: boolean;
  publishedSite: boolean;
}

const contractColumns: readonly Column[] = [
  {
    key: 'title',
    label: 'Contract',
    href: (row) => `/contracts/${encodeURIComponent(String(row.id))}`,
  },
  { key: 'id', label: 'Id' },
  { key: 'runs', label: 'Runs' },
];

/** @example homePage({ user, reference, contracts, programmes: [], portfolio: true, referenceData: false, analytics: false, publishedSite: false }) */
export function homePage(view: HomeView): Html {
  const { user, reference } = view;
  const link = (href: string, text: string) =>
    html`<p class="govuk-body"><a class="govuk-link" href="${href}">${text}</a></p>`;
  const content = html`<h1 class="govuk-heading-l">Your contracts</h1>
<p class="govuk-body">You are signed in as ${user.name} (${roleNames[user.role]}).</p>
${
  view.programmes.length > 0 &&
  html`<h2 class="govuk-heading-m">Programme overviews</h2>
<ul class="govuk-list">${view.programmes.map(
    (p) =>
      html`<li><a class="govuk-link" href="/programmes/${encodeURIComponent(p.id)}">${p.name}: all providers compared</a></li>`,
  )}</ul>`
}
${view.portfolio && link('/portfolio', 'Portfolio overview: every contract against profile')}
${view.referenceData && link('/reference', 'Reference data: programmes, contracts and monthly profiles (download, edit, upload)')}
${view.analytics && link('/analytics', 'Query the marts: your own questions, in SQL')}
${view.publishedSite && link(PUBLISHED_SITE, 'Published dashboards: every programme compared, small numbers suppressed')}
${dataTable({
  caption: 'Contracts you can see',
  columns: contractColumns,
  rows: view.contracts.map((c) => ({
    id: c.id,
    title: contractTitle(c, reference),
    runs: `${c.start_period} to ${c.end_period}`,
  })),
  empty: 'There are no contracts you can see yet.',
})}
<p class="govuk-body"><a class="govuk-link" href="/templates/return.csv">Download the return template (CSV)</a> or <a class="govuk-link" href="/templates/return.xlsx">as a spreadsheet (XLSX)</a>.</p>`;
  return layout({ title: 'Your contracts', content });
}
