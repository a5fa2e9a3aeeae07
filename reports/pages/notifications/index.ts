/**
 * The preferences page (ADR 025): one task, choosing which email notices you get. Shows the
 * address they go to, from the reference data; a user with none is told so and gets none.
 */
import { noticeNames, type NoticeKind } from '../../../pipelines/notify/notices.js';
import type { User } from '../../../pipelines/reference/schema.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';

export const notificationsPath = '/notifications';

export function notificationsPage(
  user: User,
  offered: readonly NoticeKind[],
  chosen: ReadonlySet<NoticeKind>,
  options: { saved?: boolean } = {},
): Html {
  const box = (kind: NoticeKind, i: number) =>
    html`<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="notice${i === 0 ? '' : `-${i}`}" name="notice" type="checkbox" value="${kind}"${chosen.has(kind) ? html` checked` : ''} aria-describedby="notice-${kind}-hint"><label class="govuk-label govuk-checkboxes__label" for="notice${i === 0 ? '' : `-${i}`}">${noticeNames[kind].label}</label><div id="notice-${kind}-hint" class="govuk-hint govuk-checkboxes__hint">${noticeNames[kind].hint}</div></div>`;
  return layout({
    title: 'Choose which emails you get',
    navigation: [{ text: 'Your contracts', href: '/' }],
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${options.saved && html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="saved-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="saved-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Your choices have been saved.</p></div></div>`}
<h1 class="govuk-heading-l">Choose which emails you get</h1>
${
  user.email
    ? html`<p class="govuk-body">Emails are sent to ${user.email}. To change the address, ask your administrator.</p>`
    : html`<div class="govuk-inset-text">There is no email address for you in Outturn, so you get no emails. Ask your administrator to add one.</div>`
}
${
  offered.length === 0
    ? html`<p class="govuk-body">There are no emails for your role.</p>`
    : html`<form method="post" action="${notificationsPath}" novalidate>
<div class="govuk-form-group"><fieldset class="govuk-fieldset" aria-describedby="notice-hint">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Which emails do you want?</legend>
<div id="notice-hint" class="govuk-hint">Select all that apply.</div>
<div class="govuk-checkboxes" data-module="govuk-checkboxes">
${offered.map(box)}
</div></fieldset></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Save your choices</button>
</form>`
}
</div></div>`,
  });
}
