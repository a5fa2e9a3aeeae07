/**
 * The local sign-in page: pick one of the demo users. There are no passwords because locally
 * the only people at the keyboard are the ones running the app; in AWS, Cognito's hosted
 * sign-in replaces this page and its routes.
 */
import type { User } from '../../../pipelines/reference/schema.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';
import { roleNames } from '../../names.js';

export const signInPath = '/sign-in';

/** What the user's role lets them see, in words, for the radio hints. */
function scope(user: User): string {
  switch (user.role) {
    case 'provider':
      return `${roleNames.provider}, ${user.provider_id}`;
    case 'partner':
      return `${roleNames.partner}, ${user.provider_id} on contract ${user.contract_id}`;
    case 'contract_manager':
      return `${roleNames.contract_manager}, portfolio ${user.portfolio}`;
    case 'commissioner':
      return `${roleNames.commissioner}, ${user.programme_ids.join(', ')}`;
    case 'admin':
      return roleNames.admin;
  }
}

/** @example signInPage(reference.users, { error: 'Select who you are signing in as' }) */
export function signInPage(users: readonly User[], options: { error?: string } = {}): Html {
  const error = options.error;
  return layout({
    title: error ? 'Error: Sign in' : 'Sign in',
    signedIn: false,
    content: html`${
      error
        ? html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#user">${error}</a></li></ul></div></div></div>`
        : ''
    }
<h1 class="govuk-heading-l">Sign in</h1>
<p class="govuk-body">This copy of Outturn runs on your machine with demo users, so there is no password.</p>
<form method="post" action="${signInPath}" novalidate>
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<fieldset class="govuk-fieldset"${error ? html` aria-describedby="user-error"` : ''}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Who are you signing in as?</legend>
${error ? html`<p id="user-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ''}
<div class="govuk-radios" data-module="govuk-radios">
${users.map(
  (u, i) => html`<div class="govuk-radios__item">
<input class="govuk-radios__input" id="${i === 0 ? 'user' : `user-${i + 1}`}" name="user" type="radio" value="${u.id}" aria-describedby="user-${i + 1}-hint">
<label class="govuk-label govuk-radios__label" for="${i === 0 ? 'user' : `user-${i + 1}`}">${u.name}</label>
<div id="user-${i + 1}-hint" class="govuk-hint govuk-radios__hint">${scope(u)}</div>
</div>`,
)}
</div>
</fieldset>
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>
</form>`,
  });
}
