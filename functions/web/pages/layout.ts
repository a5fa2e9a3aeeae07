/**
 * A minimal GOV.UK-style page shell for the sign-in, home and placeholder pages. The real
 * layout, assets and components come from the page renderer in reports/; swap this for it then.
 * `html` escapes every interpolated value, so user and reference data cannot inject markup.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export function layout(title: string, body: Markup, options: { signedInAs?: string } = {}): Markup {
  return html`<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Outturn</title>
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
<link rel="stylesheet" href="/assets/outturn.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" role="banner">
<div class="govuk-header__container govuk-width-container">
<a href="/" class="govuk-header__link govuk-header__service-name">Outturn</a>
${
  options.signedInAs
    ? html`<form method="post" action="/sign-out" class="govuk-header__content"><span>${options.signedInAs}</span> <button type="submit" class="govuk-button govuk-button--secondary">Sign out</button></form>`
    : ''
}
</div>
</header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content" role="main">
${body}
</main>
</div>
</body>
</html>`;
}
