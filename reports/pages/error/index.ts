/**
 * The error page: what went wrong and what to do, in the words the refusal gave. Rendered by the
 * web boundary's one error type for every page request it refuses.
 */
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';

const titles: Record<number, string> = {
  400: 'There is a problem with your request',
  401: 'You need to sign in',
  403: 'You do not have access to this page',
  404: 'Page not found',
  422: 'There is a problem with your return',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

/**
 * @param signedIn whether the request came with a session, so the header offers to sign out.
 *
 * @example errorPage(404, 'There is no page at /x. Check the address.', { signedIn: false })
 */
export function errorPage(status: number, message: string, options: { signedIn: boolean }): Html {
  const title = titles[status] ?? 'There is a problem';
  return layout({
    title,
    signedIn: options.signedIn,
    content: html`<h1 class="govuk-heading-l">${title}</h1>
<p class="govuk-body">${message}</p>
<p class="govuk-body"><a href="/" class="govuk-link">Go to your contracts</a></p>`,
  });
}
