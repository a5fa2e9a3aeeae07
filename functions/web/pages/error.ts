import { html } from 'hono/html';
import { layout, type Markup } from './layout.js';

const titles: Record<number, string> = {
  400: 'There is a problem with your request',
  401: 'You need to sign in',
  403: 'You do not have access to this page',
  404: 'Page not found',
  422: 'There is a problem with your return',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

export function errorPage(status: number, message: string): Markup {
  const title = titles[status] ?? 'There is a problem';
  return layout(
    title,
    html`<h1 class="govuk-heading-l">${title}</h1>
<p class="govuk-body">${message}</p>
<p class="govuk-body"><a href="/" class="govuk-link">Go to your contracts</a></p>`,
  );
}
