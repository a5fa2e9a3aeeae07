/**
 * The provider portal's pages for one contract's returns: the submission history, the upload
 * form and a receipt with its validation report. Pure functions of what the route looked up,
 * built with reports/ (the `html` tag escapes every value a provider sent).
 */
import { errorMessage, fileUploadField } from '../../components/form-fields.js';
import { caseloadMessage } from '../../../pipelines/ingest/caseload.js';
import type { Receipt } from '../../../pipelines/ingest/receipt.js';
import type { ChangeSummary } from '../../../pipelines/ingest/changes.js';
import {
  stateNames,
  type ReturnVersions,
  type VersionState,
} from '../../../pipelines/ingest/versions.js';
import type { Contract, ReferenceData } from '../../../pipelines/reference/schema.js';
import type { Review } from '../../../pipelines/review/review.js';
import { receiptLateness, type OwedReturn } from '../../../pipelines/returns/due.js';
import { errorSummary } from '../../components/error-summary.js';
import { validationReport } from '../../components/validation-report.js';
import { formatDate, formatNumber, formatPeriod } from '../../format.js';
import type { Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html, type Html } from '../../html.js';
import { layout, type NavItem } from '../../layout.js';
import { contractTitle } from '../../names.js';
import { withoutGroups } from '../../../pipelines/validate/report.js';
import type { ReturnState } from '../../../pipelines/review/approval.js';
import {
  returnStateSection,
  returnStateTag,
  returnStateWords,
  type ReopenForm,
} from '../../components/return-state.js';

/** Where the pages of a contract's returns live. */
export const returnsPaths = {
  contract: (c: Pick<Contract, 'id'>) => `/contracts/${encodeURIComponent(c.id)}`,
  history: (c: Pick<Contract, 'id'>) => `/contracts/${encodeURIComponent(c.id)}/returns`,
  upload: (c: Pick<Contract, 'id'>) => `/contracts/${encodeURIComponent(c.id)}/returns/new`,
  receipt: (r: Pick<Receipt, 'contract_id' | 'id'>) =>
    `/contracts/${encodeURIComponent(r.contract_id)}/returns/${encodeURIComponent(r.id)}`,
  review: (r: Pick<Receipt, 'contract_id' | 'id'>) =>
    `/contracts/${encodeURIComponent(r.contract_id)}/returns/${encodeURIComponent(r.id)}/review`,
  /** POST: reopen a locked or closed month (ADR 032). */
  reopen: (c: Pick<Contract, 'id'>, period: string) =>
    `/contracts/${encodeURIComponent(c.id)}/months/${encodeURIComponent(period)}/reopen`,
  /** POST: confirm, discard or withdraw the version (ADR 023). */
  version: (r: Pick<Receipt, 'contract_id' | 'id'>, action: 'confirm' | 'discard' | 'withdraw') =>
    `/contracts/${encodeURIComponent(r.contract_id)}/returns/${encodeURIComponent(r.id)}/${action}`,
};

/** What every page of a contract's returns knows about the contract and the caller. */
export interface ReturnsContext {
  contract: Contract;
  reference: ReferenceData;
  /** Whether the caller may send returns for the contract (policy canSubmitFor). */
  maySubmit: boolean;
}

type Current = 'history' | 'upload' | 'receipt';

function navigation(ctx: ReturnsContext, current: Current): NavItem[] {
  const items: NavItem[] = [
    { text: 'Your contracts', href: '/' },
    { text: 'Contract', href: returnsPaths.contract(ctx.contract) },
    {
      text: 'Returns sent',
      href: returnsPaths.history(ctx.contract),
      current: current === 'history',
    },
  ];
  if (ctx.maySubmit)
    items.push({
      text: 'Send a return',
      href: returnsPaths.upload(ctx.contract),
      current: current === 'upload',
    });
  return items;
}

function backLink(href: string, text: string): Html {
  return html`<a href="${href}" class="govuk-back-link">${text}</a>`;
}

/** "26 November 2026 at 12:00 (UTC)": receipts are stamped in UTC. */
export function formatReceived(iso: string): string {
  const time = /T(\d{2}:\d{2})/.exec(iso)?.[1];
  return time ? `${formatDate(iso)} at ${time}` : formatDate(iso);
}

function userName(reference: ReferenceData, id: string): string {
  return reference.users.find((u) => u.id === id)?.name ?? id;
}

const stateColours: Record<VersionState, string> = {
  in_force: 'green',
  superseded: 'grey',
  held: 'yellow',
  discarded: 'grey',
  withdrawn: 'grey',
};

function statusTag(r: Receipt, state?: VersionState): Html {
  if (r.status !== 'accepted')
    return html`<strong class="govuk-tag govuk-tag--red">Not accepted</strong>`;
  const s = state ?? 'in_force';
  const words = s === 'in_force' ? 'in force' : s === 'held' ? 'held' : stateNames[s].toLowerCase();
  return html`<strong class="govuk-tag govuk-tag--${stateColours[s]}">Accepted, version ${r.version}: ${words}</strong>`;
}

function templateLinks(): Html {
  return html`<p class="govuk-body">Download the return template as <a class="govuk-link" href="/templates/return.csv" download>CSV</a> or <a class="govuk-link" href="/templates/return.xlsx" download>XLSX (spreadsheet)</a>.</p>`;
}

/** The review status of a receipt, for the history table: only accepted returns are reviewed. */
function reviewStatus(r: Receipt, review: Review | undefined): Html | string {
  if (r.status !== 'accepted') return 'Not needed';
  if (!review) return html`<strong class="govuk-tag govuk-tag--grey">Not reviewed</strong>`;
  return review.decision === 'accepted'
    ? html`<strong class="govuk-tag govuk-tag--green">Accepted</strong>`
    : html`<strong class="govuk-tag govuk-tag--orange">Queried</strong>`;
}

/** Every receipt for the contract, newest first, with the decision that counts on each (by receipt id). */
export function historyPage(
  ctx: ReturnsContext,
  receipts: readonly Receipt[],
  reviews: ReadonlyMap<string, Review> = new Map(),
  states: ReadonlyMap<string, VersionState> = new Map(),
  months: ReadonlyMap<string, ReturnState> = new Map(),
): Html {
  const title = contractTitle(ctx.contract, ctx.reference);
  const monthRows = [...months].sort((a, b) => (a[0] < b[0] ? 1 : -1));
  const monthsTable =
    monthRows.length > 0 &&
    dataTable({
      caption: 'Changes to each month’s return, newest first',
      columns: [
        { key: 'period', label: 'Month', format: 'period' },
        { key: 'tag', label: 'Changes', render: (r) => r.tag as Html },
        { key: 'words', label: 'Why' },
      ],
      rows: monthRows.map(([period, state]) => ({
        period,
        tag: returnStateTag(state),
        words: returnStateWords(ctx.reference, state),
      })),
      empty: '',
    });
  const newest = [...receipts].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const columns: Column[] = [
    { key: 'received', label: 'Received', render: (r) => formatReceived(String(r.submitted_at)) },
    { key: 'period', label: 'Month', format: 'period' },
    { key: 'sent_by', label: 'Sent by' },
    { key: 'file', label: 'File' },
    { key: 'rows', label: 'Rows', format: 'number' },
    {
      key: 'status',
      label: 'Status',
      render: (r) => statusTag(r.receipt as Receipt, states.get((r.receipt as Receipt).id)),
    },
    { key: 'errors', label: 'Errors', format: 'number' },
    { key: 'warnings', label: 'Warnings', format: 'number' },
    { key: 'review', label: 'Review', render: (r) => r.review as Html },
    {
      key: 'report',
      label: 'Report',
      render: (r) =>
        html`<a class="govuk-link" href="${returnsPaths.receipt(r.receipt as Receipt)}">View report<span class="govuk-visually-hidden"> for ${String(r.file)}, received ${formatReceived(String(r.submitted_at))}</span></a>`,
    },
  ];
  const table = dataTable({
    caption: `Returns sent for contract ${ctx.contract.id}, newest first`,
    columns,
    rows: newest.map((r) => ({
      receipt: r,
      submitted_at: r.submitted_at,
      period: r.period,
      sent_by: userName(ctx.reference, r.submitted_by),
      file: r.file.name,
      rows: r.counts.rows,
      errors: r.counts.errors,
      warnings: r.counts.warnings,
      review: reviewStatus(r, reviews.get(r.id)),
    })),
    empty: 'No returns have been sent for this contract yet.',
  });
  return layout({
    title: `Returns sent – ${ctx.contract.id}`,
    navigation: navigation(ctx, 'history'),
    beforeContent: backLink(returnsPaths.contract(ctx.contract), 'Back to the contract'),
    content: html`<span class="govuk-caption-l">${title}</span>
<h1 class="govuk-heading-l">Returns sent</h1>
${ctx.maySubmit && html`<p class="govuk-body"><a class="govuk-button" href="${returnsPaths.upload(ctx.contract)}">Send a return</a></p>`}
${templateLinks()}
${table}
${monthsTable}`,
  });
}

/** What the upload form was given, and what was wrong with it. */
export interface UploadForm {
  /** The month asked for (`?period=`) or sent; undefined to choose the next one due. */
  period?: string;
  errors?: { period?: string; file?: string };
}

/** How a month stands, for the month picker. */
function dueWords(o: OwedReturn): string {
  switch (o.state) {
    case 'on_time':
      return 'accepted';
    case 'late':
      return 'accepted late';
    case 'refused':
      return 'overdue: sent, not accepted';
    case 'missing':
      return 'overdue: not sent';
    case 'open':
      return o.sent > 0 ? 'sent, not accepted' : 'not sent yet';
  }
}

/**
 * The upload form: the month (picked from the contract's ended months), the file, one button.
 * The month chosen at first is the one asked for, else the oldest still to send, else the newest.
 *
 * @param fileRule how large a file may be, in words (functions/web/body-limits.ts fileSizeRule).
 * @param periods the contract's ended months, oldest first (pipelines/returns/due.ts returnsOwed).
 */
export function uploadPage(
  ctx: ReturnsContext,
  form: UploadForm,
  fileRule: string,
  periods: readonly OwedReturn[] = [],
): Html {
  const errors = form.errors ?? {};
  const selected =
    form.period !== undefined
      ? form.period
      : (periods.find((o) => o.state === 'open' || o.state === 'missing' || o.state === 'refused')
          ?.period ??
        periods[periods.length - 1]?.period ??
        '');
  const summary = [
    errors.period && { text: errors.period, href: '#period' },
    errors.file && { text: errors.file, href: '#file' },
  ].filter((e): e is { text: string; href: string } => Boolean(e));
  const describedBy = (id: string, error: string | undefined) =>
    `${id}-hint${error ? ` ${id}-error` : ''}`;
  return layout({
    title: `${summary.length ? 'Error: ' : ''}Send a return – ${ctx.contract.id}`,
    navigation: navigation(ctx, 'upload'),
    beforeContent: backLink(returnsPaths.history(ctx.contract), 'Back to returns sent'),
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${summary.length > 0 && errorSummary({ errors: summary })}
<span class="govuk-caption-l">${contractTitle(ctx.contract, ctx.reference)}</span>
<h1 class="govuk-heading-l">Send a return</h1>
<p class="govuk-body">Send one month’s return for contract ${ctx.contract.id} as a CSV or XLSX file made from the template. It is checked as soon as you send it, and you will see what, if anything, needs fixing.</p>
${templateLinks()}
<form method="post" action="${returnsPaths.upload(ctx.contract)}" enctype="multipart/form-data" novalidate>
<div class="govuk-form-group${errors.period ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="period">Which month is the return for?</label>
<div id="period-hint" class="govuk-hint">The months of the contract that have ended, newest first, with each one’s deadline</div>
${errorMessage('period', errors.period)}
<select class="govuk-select${errors.period ? ' govuk-select--error' : ''}" id="period" name="period" aria-describedby="${describedBy('period', errors.period)}">
<option value=""${selected === '' ? html` selected` : ''}>Choose a month</option>
${[...periods].reverse().map((o) => html`<option value="${o.period}"${o.period === selected ? html` selected` : ''}>${formatPeriod(o.period)}: due by ${formatDate(o.deadline)}, ${dueWords(o)}</option>`)}
</select>
</div>
${fileUploadField({ id: 'file', label: 'Upload the return', hint: `A CSV or XLSX file. ${fileRule}`, error: errors.file })}
<button type="submit" class="govuk-button" data-module="govuk-button">Check and send</button>
</form>
</div></div>`,
  });
}

export interface ReceiptView {
  /** Whether the caller may see the problem rows, which quote cells of the return. */
  showProblems: boolean;
  /** These bytes had been sent before: this is the earlier receipt. */
  duplicate?: boolean;
  /** These bytes are the version in force: nothing changed. */
  unchanged?: boolean;
  /** The return's versions and their states (ADR 023); null for a rejected receipt. */
  versions?: ReturnVersions | null;
  /** Whether the caller may withdraw the version in force (policy canWithdrawFor). */
  mayWithdraw?: boolean;
  /** The action just done on this version (confirm, discard, withdraw), to say so. */
  done?: string | null;
  /** The return was accepted but the marts could not be rebuilt. */
  rebuildFailed?: boolean;
  /** The decision that counts on the receipt, if any; shown to everyone who may see it. */
  review?: Review | null;
  /** Whether the caller may accept or query the return (only ever true for an accepted receipt). */
  mayReview?: boolean;
  /** What the review form was sent, and what was wrong with it. */
  reviewForm?: ReviewForm;
  /** The page of the problem list shown (`?page=N`), from 1. */
  page?: number;
  /** Where the receipt's month stands for changes (ADR 032). */
  returnState?: ReturnState | null;
  /** Whether the caller may reopen a locked or closed month (the contract's manager, admins). */
  mayReopen?: boolean;
  reopenForm?: ReopenForm;
  /** The month was just reopened, to say so. */
  reopened?: boolean;
  /** What changed since the return before this one (ADR 031 change records), for the reviewer. */
  changes?: ChangeSummary | null;
}

/** What the review form was given, and what was wrong with it. */
export interface ReviewForm {
  decision?: string;
  message?: string;
  errors?: { decision?: string; message?: string };
}

/** The GOV.UK notification banner saying the decision that counts. */
function reviewBanner(ctx: ReturnsContext, review: Review): Html {
  const who = userName(ctx.reference, review.by);
  const success = review.decision === 'accepted';
  return html`<div class="govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}" role="region" aria-labelledby="review-banner-title" data-module="govuk-notification-banner">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="review-banner-title">${success ? 'Return accepted' : 'Return queried'}</h2></div>
<div class="govuk-notification-banner__content">
${
  success
    ? html`<p class="govuk-notification-banner__heading">Accepted by ${who} on ${formatDate(review.at)}</p>${
        review.message &&
        html`
<p class="govuk-body review-message">${review.message}</p>`
      }`
    : html`<p class="govuk-notification-banner__heading">Queried by ${who}: ${review.message ?? ''}</p>
<p class="govuk-body">Queried on ${formatDate(review.at)}. Check the return and, if it needs correcting, send a corrected one.</p>`
}
</div>
</div>
`;
}

const count = (n: number, one: string, many: string) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** What changed since the return before, in words, before the reviewer decides. */
function changesSection(changes: ChangeSummary | null | undefined): Html | '' {
  if (changes === undefined) return '';
  if (changes === null)
    return html`<p class="govuk-body">This is the contract’s first return, so there is nothing to compare it with.</p>`;
  const before = `${formatPeriod(changes.before.period)} (version ${changes.before.version})`;
  const row = (key: string, value: string) =>
    html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;
  return html`<h3 class="govuk-heading-s">What changed since the return for ${before}</h3>
<dl class="govuk-summary-list" id="changes">
${row('Participants added', count(changes.added, 'participant', 'participants'))}
${row('Participants removed', count(changes.removed, 'participant', 'participants'))}
${row('Milestones restated', changes.restated === 0 ? 'None: every date given before is the same' : `${count(changes.restated, 'date', 'dates')} given before changed or taken away, for ${count(changes.restatedParticipants, 'participant', 'participants')}`)}
</dl>`;
}

/** The contract manager's form: what changed, then accept or query with a message for the provider. */
function reviewFormSection(
  receipt: Receipt,
  form: ReviewForm,
  changes?: ChangeSummary | null,
): Html {
  const errors = form.errors ?? {};
  const checked = (value: string) => (form.decision === value ? html` checked` : '');
  return html`<h2 class="govuk-heading-m" id="review">Review this return</h2>
${changesSection(changes)}
<form method="post" action="${returnsPaths.review(receipt)}" novalidate>
<div class="govuk-form-group${errors.decision ? ' govuk-form-group--error' : ''}">
<fieldset class="govuk-fieldset"${errors.decision ? html` aria-describedby="decision-error"` : ''}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Do you accept this return?</legend>
${errors.decision && html`<p id="decision-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${errors.decision}</p>`}
<div class="govuk-radios" data-module="govuk-radios">
<div class="govuk-radios__item"><input class="govuk-radios__input" id="decision" name="decision" type="radio" value="accepted"${checked('accepted')}><label class="govuk-label govuk-radios__label" for="decision">Accept it</label></div>
<div class="govuk-radios__item"><input class="govuk-radios__input" id="decision-queried" name="decision" type="radio" value="queried"${checked('queried')}><label class="govuk-label govuk-radios__label" for="decision-queried">Query it with the provider</label></div>
</div>
</fieldset>
</div>
<div class="govuk-form-group${errors.message ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="message">Message to the provider</label>
<div id="message-hint" class="govuk-hint">Needed if you query the return: say what to check or correct. Up to 2,000 characters.</div>
${errors.message && html`<p id="message-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${errors.message}</p>`}
<textarea class="govuk-textarea${errors.message ? ' govuk-textarea--error' : ''}" id="message" name="message" rows="4" aria-describedby="message-hint${errors.message ? ' message-error' : ''}">${form.message ?? ''}</textarea>
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Save decision</button>
</form>
`;
}

/** One receipt: the verdict, who sent what and when, and the validation report. */
export function receiptPage(ctx: ReturnsContext, receipt: Receipt, view: ReceiptView): Html {
  const report = view.showProblems
    ? receipt.report
    : { ...withoutGroups(receipt.report), problems: [], unlisted: 0 };
  const here = returnsPaths.receipt(receipt);
  const formErrors = view.reviewForm?.errors ?? {};
  const summary = [
    formErrors.decision && { text: formErrors.decision, href: '#decision' },
    formErrors.message && { text: formErrors.message, href: '#message' },
    view.reopenForm?.error && { text: view.reopenForm.error, href: '#reason' },
  ].filter((e): e is { text: string; href: string } => Boolean(e));
  const problems = receipt.counts.errors + receipt.counts.warnings;
  const row = (key: string, value: Html | string) =>
    html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>
`;
  const notices = html`${view.duplicate && html`<div class="govuk-inset-text">You have sent this exact file for ${formatPeriod(receipt.period)} before, so nothing new was stored. This is the receipt from when it was first sent.</div>`}
${view.unchanged && html`<div class="govuk-inset-text">This exact file is the version of the return for ${formatPeriod(receipt.period)} in force, so nothing changed.</div>`}
${view.rebuildFailed && html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> The return was accepted, but the dashboards could not be updated yet. They will include it after the next rebuild; you do not need to send it again.</strong></div>`}`;
  return layout({
    title: `${summary.length ? 'Error: ' : ''}${receipt.status === 'accepted' ? 'Return accepted' : 'Return not accepted'} – ${receipt.file.name}`,
    navigation: navigation(ctx, 'receipt'),
    beforeContent: backLink(returnsPaths.history(ctx.contract), 'Back to returns sent'),
    content: html`${summary.length > 0 && errorSummary({ errors: summary })}
${view.review && reviewBanner(ctx, view.review)}
${view.reopened && html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="reopened-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="reopened-title">Done</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">You reopened the return for ${formatPeriod(receipt.period)}: the provider can send a corrected one.</p></div></div>`}
${validationReport(report, {
  page: view.page ?? 1,
  href: (n) => `${here}?page=${n}`,
  ...(view.showProblems && { csvHref: `${here}?format=csv` }),
})}
${notices}
${lateNotice(ctx, receipt, view)}
${receipt.status === 'accepted' && versionSection(ctx, receipt, view)}
${
  view.returnState &&
  returnStateSection(ctx.reference, receipt.period, view.returnState, {
    mayReopen: view.mayReopen === true,
    action: returnsPaths.reopen(ctx.contract, receipt.period),
    receiptId: receipt.id,
    form: view.reopenForm,
  })
}
<h2 class="govuk-heading-m">Receipt</h2>
<dl class="govuk-summary-list">
${row('Contract', `${contractTitle(ctx.contract, ctx.reference)} (${ctx.contract.id})`)}
${row('Month', formatPeriod(receipt.period))}
${row('Status', receipt.status === 'accepted' ? html`${statusTag(receipt, stateOf(receipt, view))} This is version ${receipt.version} of the return for ${formatPeriod(receipt.period)}.` : html`${statusTag(receipt)} ${formatNumber(problems)} ${problems === 1 ? 'problem' : 'problems'} found: ${formatNumber(receipt.counts.errors)} ${receipt.counts.errors === 1 ? 'error' : 'errors'} and ${formatNumber(receipt.counts.warnings)} ${receipt.counts.warnings === 1 ? 'warning' : 'warnings'}.`)}
${row('File', `${receipt.file.name} (${formatNumber(receipt.counts.rows)} ${receipt.counts.rows === 1 ? 'row' : 'rows'})`)}
${row('Sent by', userName(ctx.reference, receipt.submitted_by))}
${row('Received', formatReceived(receipt.submitted_at))}
${row('Deadline', deadlineWords(ctx, receipt, view))}
${row('Receipt number', receipt.id)}
</dl>
${!view.showProblems && problems > 0 && html`<p class="govuk-body">The rows with problems are not shown to commissioners, because they quote what the provider sent. The contract manager and the provider can see them.</p>`}
${view.mayReview && receipt.status === 'accepted' && reviewFormSection(receipt, view.reviewForm ?? {}, view.changes)}
${ctx.maySubmit && html`<p class="govuk-body"><a class="govuk-link" href="${returnsPaths.upload(ctx.contract)}">${receipt.status === 'accepted' ? 'Send a corrected return' : 'Fix the file and send it again'}</a></p>`}
<p class="govuk-body"><a class="govuk-link" href="${returnsPaths.history(ctx.contract)}">See every return sent for this contract</a></p>`,
  });
}

/** When the return counts as received: its first accepted version (a correction keeps the first's date). */
function firstAccepted(receipt: Receipt, view: ReceiptView): Receipt {
  const first = view.versions?.versions[0]?.receipt;
  return first && first.submitted_at < receipt.submitted_at ? first : receipt;
}

/** The deadline, and whether this return met it (judged by the day it arrived in England). */
function deadlineWords(ctx: ReturnsContext, receipt: Receipt, view: ReceiptView): string {
  const counted = firstAccepted(receipt, view);
  const { deadline, late, days } = receiptLateness(ctx.contract, counted);
  const when = formatDate(deadline);
  const sent = receiptLateness(ctx.contract, receipt);
  if (receipt.status !== 'accepted')
    return sent.late
      ? `${when}. This file came ${formatNumber(sent.days)} ${sent.days === 1 ? 'day' : 'days'} after it, and was not accepted.`
      : `${when}. There is still time to send a corrected file.`;
  if (counted !== receipt)
    return `${when}. The first version came ${late ? `${formatNumber(days)} ${days === 1 ? 'day' : 'days'} late` : 'on time'}; a correction does not change that.`;
  return late
    ? `${when}. This return was late: it came ${formatNumber(days)} ${days === 1 ? 'day' : 'days'} after the deadline.`
    : `${when}. This return came on time.`;
}

/** A warning at the top of the receipt when the return counts as late. */
function lateNotice(ctx: ReturnsContext, receipt: Receipt, view: ReceiptView): Html | '' {
  if (receipt.status !== 'accepted' || firstAccepted(receipt, view) !== receipt) return '';
  const { deadline, late, days } = receiptLateness(ctx.contract, receipt);
  if (!late) return '';
  return html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> This return was late. The deadline for ${formatPeriod(receipt.period)} was ${formatDate(deadline)}, and it came ${formatNumber(days)} ${days === 1 ? 'day' : 'days'} after it.</strong></div>`;
}

function stateOf(receipt: Receipt, view: ReceiptView): VersionState | undefined {
  return view.versions?.versions.find((v) => v.receipt.id === receipt.id)?.state;
}

const doneWords: Record<string, string> = {
  confirm: 'You confirmed this version: it is now the version in force.',
  discard: 'You discarded this version: it stays stored, but its rows do not count.',
  withdraw: 'You withdrew this version: the one before it is in force again, if there is one.',
};

/**
 * Where this version stands (ADR 023): held with the counts and the confirm and discard
 * buttons; in force with the withdraw button; restored, replaced, discarded or withdrawn.
 */
function versionSection(
  ctx: ReturnsContext,
  receipt: Extract<Receipt, { status: 'accepted' }>,
  view: ReceiptView,
): Html {
  const state = stateOf(receipt, view) ?? 'in_force';
  const inForce = view.versions?.inForce ?? null;
  const caseload = receipt.caseload ? caseloadMessage(receipt.caseload) : null;
  const reasonField = (id: string, label: string) =>
    html`<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="${id}">${label}</label><div id="${id}-hint" class="govuk-hint">Optional. Up to 500 characters; kept with the record of this step.</div><textarea class="govuk-textarea" id="${id}" name="reason" rows="2" maxlength="500" aria-describedby="${id}-hint"></textarea></div>`;
  const done = view.done && doneWords[view.done];
  const history = view.versions?.actions.length
    ? html`<h3 class="govuk-heading-s">What has been done to the versions of this return</h3>
<ul class="govuk-list govuk-list--bullet">${view.versions.actions.map(
        (a) =>
          html`<li>${formatReceived(a.at)}: ${userName(ctx.reference, a.by)}: version ${a.version} ${a.action === 'confirm' ? 'confirmed' : a.action === 'discard' ? 'discarded' : 'withdrawn'}${a.reason ? html` (“${a.reason}”)` : ''}. ${a.in_force_after === null ? 'No version in force after it.' : `Version ${a.in_force_after} in force after it.`}</li>`,
      )}</ul>`
    : '';
  return html`<h2 class="govuk-heading-m" id="version">This version</h2>
${done && html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="version-done-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="version-done-title">Done</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${done}</p></div></div>`}
${receipt.restores && html`<p class="govuk-body">This version restores version ${receipt.restores.version}: the same file was sent again to put it back in force. It is a new version; the earlier one is kept as it was.</p>`}
${
  state === 'held'
    ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> This version is held: it is not in force, and the dashboards do not use it.</strong></div>
<p class="govuk-body">${caseload ?? ''}</p>
${
  ctx.maySubmit
    ? html`<form method="post" action="${returnsPaths.version(receipt, 'confirm')}" novalidate>
${reasonField('confirm-reason', 'Why should these participants be removed?')}
<button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Confirm and put this version in force</button>
</form>
<form method="post" action="${returnsPaths.version(receipt, 'discard')}" novalidate>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Discard this version</button>
</form>`
    : html`<p class="govuk-body">The provider must confirm or discard it.</p>`
}`
    : state === 'in_force'
      ? html`<p class="govuk-body">This version is in force: its rows are the return for ${formatPeriod(receipt.period)}.</p>
${caseload && html`<p class="govuk-body">${caseload}</p>`}
${
  view.mayWithdraw &&
  html`<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Withdraw this version</span></summary><div class="govuk-details__text">
<p class="govuk-body">Withdrawing it puts the version before it back in force${(view.versions?.versions.filter((v) => v.state === 'superseded').length ?? 0) === 0 ? html`; there is none, so the return will have no version in force` : ''}. Nothing is deleted.</p>
<form method="post" action="${returnsPaths.version(receipt, 'withdraw')}" novalidate>
${reasonField('withdraw-reason', 'Why is it being withdrawn?')}
<button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Withdraw version ${receipt.version}</button>
</form></div></details>`
}`
      : html`<p class="govuk-body">${
          state === 'superseded'
            ? `This version has been replaced by a later one${inForce ? ` (version ${inForce.version} is in force)` : ''}. To put it back in force, send the same file again.`
            : state === 'discarded'
              ? `This version was discarded, or replaced before it was confirmed: its rows do not count. To put it in force, send the same file again.`
              : `This version was withdrawn: its rows do not count${inForce ? ` (version ${inForce.version} is in force)` : ''}. To put it back in force, send the same file again.`
        }</p>`
}
${history}`;
}
