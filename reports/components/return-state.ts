/**
 * Where a month's return stands for changes (ADR 032): locked once the contract manager has
 * approved it, closed some days after its deadline, reopened with a reason. The same words on
 * the receipt, the returns sent and the contract's page.
 */
import { periodLabel } from '../../pipelines/calendar/periods.js';
import type { ReferenceData } from '../../pipelines/reference/schema.js';
import { dayWords, REASON_MAX, type ReturnState } from '../../pipelines/review/approval.js';
import { html, type Html } from '../html.js';

function nameOf(reference: ReferenceData, id: string): string {
  return reference.users.find((u) => u.id === id)?.name ?? id;
}

/** A tag: Locked, Closed, Reopened or Open. */
export function returnStateTag(state: ReturnState): Html {
  if (state.state === 'locked')
    return html`<strong class="govuk-tag govuk-tag--blue">Locked</strong>`;
  if (state.state === 'closed')
    return html`<strong class="govuk-tag govuk-tag--grey">Closed</strong>`;
  if (state.reopened) return html`<strong class="govuk-tag govuk-tag--yellow">Reopened</strong>`;
  return html`<strong class="govuk-tag govuk-tag--green">Open</strong>`;
}

/** One sentence: why it is locked, closed or open, and until when. */
export function returnStateWords(reference: ReferenceData, state: ReturnState): string {
  if (state.state === 'locked')
    return `Approved by ${nameOf(reference, state.approval.by)} on ${dayWords(state.approval.at)}: no new return can be sent for this month unless it is reopened.`;
  if (state.state === 'closed')
    return `Closed on ${dayWords(state.closesOn)}, after the deadline of ${dayWords(state.deadline)}: no new return can be sent for this month unless it is reopened.`;
  if (state.reopened)
    return 'reason' in state.reopened
      ? `Reopened by ${nameOf(reference, state.reopened.by)} on ${dayWords(state.reopened.at)}: “${state.reopened.reason}”. A corrected return can be sent until it is approved again.`
      : `Queried by ${nameOf(reference, state.reopened.by)} on ${dayWords(state.reopened.at)}, after the month closed: a corrected return can be sent until it is approved.`;
  return state.closesOn
    ? `Open: returns can be sent until ${dayWords(state.closesOn)}, or until it is approved.`
    : 'Open: returns can be sent until it is approved.';
}

export interface ReopenForm {
  reason?: string;
  error?: string;
}

/**
 * The receipt page's section: the month's state, and for its manager the form to reopen it.
 * @param action where the form posts (the reopen route).
 */
export function returnStateSection(
  reference: ReferenceData,
  period: string,
  state: ReturnState,
  options: { mayReopen: boolean; action: string; receiptId?: string; form?: ReopenForm },
): Html {
  const form = options.form ?? {};
  const canReopen = options.mayReopen && state.state !== 'open';
  return html`<h2 class="govuk-heading-m" id="changes">Changes to the return for ${periodLabel(period)}</h2>
<p class="govuk-body">${returnStateTag(state)} ${returnStateWords(reference, state)}</p>
${
  canReopen &&
  html`<form method="post" action="${options.action}" novalidate>
${options.receiptId && html`<input type="hidden" name="receipt" value="${options.receiptId}">`}
<div class="govuk-form-group${form.error ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="reason">Why are you reopening it?</label>
<div id="reason-hint" class="govuk-hint">The provider sees this. Up to ${REASON_MAX} characters; kept in the audit log.</div>
${form.error && html`<p id="reason-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${form.error}</p>`}
<textarea class="govuk-textarea${form.error ? ' govuk-textarea--error' : ''}" id="reason" name="reason" rows="2" aria-describedby="reason-hint${form.error ? ' reason-error' : ''}">${form.reason ?? ''}</textarea>
</div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Reopen the return for ${periodLabel(period)}</button>
</form>`
}`;
}

/** Months grouped by state, for the contract's page: "Locked: January 2025 and February 2025." */
export function returnStatesSummary(states: ReadonlyMap<string, ReturnState>): Html | '' {
  const groups: Record<'locked' | 'closed' | 'reopened', string[]> = {
    locked: [],
    closed: [],
    reopened: [],
  };
  for (const [period, s] of [...states].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (s.state === 'locked') groups.locked.push(period);
    else if (s.state === 'closed') groups.closed.push(period);
    else if (s.reopened) groups.reopened.push(period);
  }
  const list = (periods: string[]) => {
    const shown = periods.slice(-4).map(periodLabel);
    const more = periods.length - shown.length;
    return more > 0 ? `${shown.join(', ')} and ${more} earlier` : shown.join(', ');
  };
  const lines = [
    groups.locked.length && `Locked (approved): ${list(groups.locked)}.`,
    groups.closed.length && `Closed: ${list(groups.closed)}.`,
    groups.reopened.length && `Reopened: ${list(groups.reopened)}.`,
  ].filter((l): l is string => Boolean(l));
  if (!lines.length) return '';
  return html`<div class="govuk-inset-text" id="return-states"><p class="govuk-body">Changes to returns: a locked or closed month takes no new return unless its contract manager reopens it.</p>
<ul class="govuk-list">${lines.map((l) => html`<li>${l}</li>`)}</ul></div>`;
}
