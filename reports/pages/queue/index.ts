/**
 * The contract manager's queue: across the portfolio, the returns waiting for a decision, the
 * returns late or missing, and the queries the providers have not yet answered. The route works
 * out which contracts are the manager's (pipelines/access) and their work (pipelines/returns).
 */
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import type { ContractWork } from '../../../pipelines/returns/worklist.js';
import type { Column, Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { formatNumber, formatPeriod } from '../../format.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';

export const queuePath = '/queue';

const enc = encodeURIComponent;

function names(work: ContractWork, reference: ReferenceData): Row {
  const c = work.contract;
  return {
    contract: c.id,
    provider: reference.providers.find((p) => p.id === c.provider_id)?.name ?? c.provider_id,
    area: c.area.name,
    programme: reference.programmes.find((p) => p.id === c.programme_id)?.name ?? c.programme_id,
  };
}

const who: readonly Column[] = [
  { key: 'provider', label: 'Provider', rowHeader: true },
  { key: 'area', label: 'Area' },
  { key: 'programme', label: 'Programme' },
];

/** @example queuePage(await worklist(store, contracts, today(now)), reference) */
export function queuePage(work: readonly ContractWork[], reference: ReferenceData): Html {
  const waiting = work.flatMap((w) =>
    w.awaitingReview.map((r) => ({
      ...names(w, reference),
      period: r.period,
      received: r.submitted_at.slice(0, 10),
      version: r.version,
      href: `/contracts/${enc(r.contract_id)}/returns/${enc(r.id)}#review`,
    })),
  );
  const overdue = work.flatMap((w) =>
    w.overdue.map((o) => ({
      ...names(w, reference),
      period: o.period,
      deadline: o.deadline,
      state: o.state === 'missing' ? 'Missing' : 'Sent, not accepted',
      days: o.days_late,
      href: `/contracts/${enc(o.contract_id)}/returns`,
    })),
  );
  const queried = work.flatMap((w) =>
    w.queries.map((q) => ({
      ...names(w, reference),
      period: q.receipt.period,
      asked: q.review.at.slice(0, 10),
      message: q.review.message ?? '',
      href: `/contracts/${enc(q.receipt.contract_id)}/returns/${enc(q.receipt.id)}`,
    })),
  );
  const link = (text: string) => (row: Row) =>
    html`<a class="govuk-link" href="${String(row.href)}">${text}<span class="govuk-visually-hidden"> for ${String(row.provider)}, ${String(row.area)}, ${formatPeriod(String(row.period))}</span></a>`;
  const content = html`<h1 class="govuk-heading-l">Your queue</h1>
<p class="govuk-body">${formatNumber(waiting.length)} ${waiting.length === 1 ? 'return is' : 'returns are'} waiting for your review, ${formatNumber(overdue.length)} ${overdue.length === 1 ? 'is' : 'are'} late or missing and ${formatNumber(queried.length)} ${queried.length === 1 ? 'query is' : 'queries are'} waiting for the provider, across ${formatNumber(work.length)} ${work.length === 1 ? 'contract' : 'contracts'}.</p>
<h2 class="govuk-heading-m" id="waiting">Waiting for your review</h2>
${dataTable({
  caption: 'Returns in force with no decision yet, oldest month first',
  columns: [
    ...who,
    { key: 'period', label: 'Month', format: 'period' },
    { key: 'received', label: 'Received', format: 'date' },
    { key: 'version', label: 'Version', format: 'number' },
    { key: 'open', label: 'Review', render: link('Review') },
  ],
  rows: waiting,
  empty: 'No returns are waiting for review.',
})}
<h2 class="govuk-heading-m" id="overdue">Late or missing</h2>
${dataTable({
  caption: 'Returns past their deadline with nothing accepted',
  columns: [
    ...who,
    { key: 'period', label: 'Month', format: 'period' },
    { key: 'deadline', label: 'Deadline', format: 'date' },
    { key: 'state', label: 'What was received' },
    { key: 'days', label: 'Days overdue', format: 'number' },
    { key: 'open', label: 'Returns', render: link('Returns sent') },
  ],
  rows: overdue,
  empty: 'Every return past its deadline has been accepted.',
})}
<h2 class="govuk-heading-m" id="queried">Queried, waiting for the provider</h2>
${dataTable({
  caption: 'Returns you or a colleague queried, with no corrected return yet',
  columns: [
    ...who,
    { key: 'period', label: 'Month', format: 'period' },
    { key: 'asked', label: 'Queried on', format: 'date' },
    { key: 'message', label: 'Query' },
    { key: 'open', label: 'Return', render: link('View') },
  ],
  rows: queried,
  empty: 'No queries are waiting for an answer.',
})}
<p class="govuk-body govuk-!-font-size-16">Deadlines are the working day each contract sets after the end of the month ; a return is judged by the day it arrived in England.</p>`;
  return layout({
    title: 'Your queue',
    navigation: [
      { text: 'Your contracts', href: '/' },
      { text: 'Queue', href: queuePath, current: true },
      { text: 'Portfolio', href: '/portfolio' },
    ],
    content,
  });
}
