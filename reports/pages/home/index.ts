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
import type { ContractWork } from '../../../pipelines/returns/worklist.js';
import type { Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';
import { formatDate, formatNumber, formatPeriod } from '../../format.js';
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
  /** For a provider: the work on each contract it sends returns for (its to-do list). */
  work?: readonly ContractWork[];
  /** For a delivery partner's user: the contract whose participants' figures they see (ADR 042). */
  partnerOf?: Contract | null;
  /** Whether the user has a queue of returns to review (contract managers). */
  queue?: boolean;
}

const enc = encodeURIComponent;
const days = (n: number) => `${formatNumber(n)} ${n === 1 ? 'day' : 'days'}`;

/** One contract's to-do list: the next return, what is overdue, the queries to answer. */
function contractTodo(work: ContractWork, reference: ReferenceData): Html {
  const id = enc(work.contract.id);
  const items: Html[] = [];
  for (const q of work.queries)
    items.push(
      html`<li><strong class="govuk-tag govuk-tag--orange">Query</strong> ${formatPeriod(q.receipt.period)}: ${reference.users.find((u) => u.id === q.review.by)?.name ?? q.review.by} asked: “${q.review.message ?? ''}” <a class="govuk-link" href="/contracts/${id}/returns/${enc(q.receipt.id)}">Answer the query<span class="govuk-visually-hidden"> on the ${formatPeriod(q.receipt.period)} return</span></a></li>`,
    );
  // The newest overdue first; a long run of missing months is summarised, not listed.
  const overdue = [...work.overdue].reverse();
  const SHOWN = 5;
  for (const o of overdue.slice(0, SHOWN))
    items.push(
      html`<li><strong class="govuk-tag govuk-tag--red">${o.state === 'missing' ? 'Missing' : 'Not accepted'}</strong> ${formatPeriod(o.period)}: ${o.state === 'missing' ? 'nothing received' : `${formatNumber(o.sent)} ${o.sent === 1 ? 'file' : 'files'} sent, none accepted`}; the deadline was ${formatDate(o.deadline)}, ${days(o.days_late ?? 0)} ago. <a class="govuk-link" href="/contracts/${id}/returns/new?period=${o.period}">Send it<span class="govuk-visually-hidden"> for ${formatPeriod(o.period)}</span></a></li>`,
    );
  if (overdue.length > SHOWN)
    items.push(
      html`<li>And ${formatNumber(overdue.length - SHOWN)} more overdue, back to ${formatPeriod(overdue[overdue.length - 1]!.period)}. <a class="govuk-link" href="/contracts/${id}/returns">See the returns sent</a></li>`,
    );
  const next = work.next;
  return html`<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">${contractTitle(work.contract, reference)}</h3>
<ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action"><a class="govuk-link" href="/contracts/${id}">Open the contract<span class="govuk-visually-hidden"> ${work.contract.id}</span></a></li></ul></div>
<div class="govuk-summary-card__content">
${
  next === null
    ? html`<p class="govuk-body">Every return for this contract is in.</p>`
    : html`<p class="govuk-body govuk-!-font-weight-bold">Next return: ${formatPeriod(next.period)}, due by ${formatDate(next.deadline)}.</p>
<p class="govuk-body"><a class="govuk-link" href="/contracts/${id}/returns/new?period=${next.period}">Send the ${formatPeriod(next.period)} return</a></p>`
}
${items.length > 0 ? html`<ul class="govuk-list govuk-list--spaced">${items}</ul>` : html`<p class="govuk-body">Nothing is late or queried.</p>`}
${work.late.length > 0 && html`<p class="govuk-body govuk-!-font-size-16">${formatNumber(work.late.length)} ${work.late.length === 1 ? 'return was' : 'returns were'} accepted after the deadline, most recently ${formatPeriod(work.late[0]!.period)} (${days(work.late[0]!.days_late ?? 0)} late).</p>`}
</div></div>`;
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
  const work = view.work ?? [];
  const todo = work.reduce((n, w) => n + w.overdue.length + w.queries.length, 0);
  const content = html`<h1 class="govuk-heading-l">${work.length > 0 ? 'What to do' : 'Your contracts'}</h1>
<p class="govuk-body">You are signed in as ${user.name} (${roleNames[user.role]}).</p>
${
  work.length > 0 &&
  html`<p class="govuk-body">${todo === 0 ? 'Nothing is late or queried.' : `${formatNumber(todo)} ${todo === 1 ? 'thing needs' : 'things need'} doing: late or missing returns and queries from your contract manager.`}</p>
<h2 class="govuk-heading-m">Your returns, contract by contract</h2>
${work.map((w) => contractTodo(w, reference))}`
}
${view.partnerOf && link('/partner', `Your participants’ figures on ${contractTitle(view.partnerOf, reference)}`)}
${view.queue && link('/queue', 'Your queue: returns waiting for review, and late or missing returns')}
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
    runs: `${formatPeriod(c.start_period)} to ${formatPeriod(c.end_period)}`,
  })),
  empty: 'There are no contracts you can see yet.',
})}
<p class="govuk-body"><a class="govuk-link" href="/templates/return.csv">Download the return template (CSV)</a> or <a class="govuk-link" href="/templates/return.xlsx">as a spreadsheet (XLSX)</a>.</p>`;
  return layout({ title: work.length > 0 ? 'What to do' : 'Your contracts', content });
}
