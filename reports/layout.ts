/**
 * The page around every dashboard, upload form and report: the GOV.UK Design System template,
 * written out as markup so the server (and the static publish) can render it without Nunjucks.
 *
 * Outturn is not on GOV.UK, so the header is the service navigation with the service name
 * rather than the GOV.UK logo. There is no script: every page reads, and prints, without one.
 *
 * @example
 *   layout({ title: 'Contract performance', content: html`<h1 class="govuk-heading-l">…</h1>` }).toString()
 */
import { html, type Html, type HtmlValue } from './html.js';

export const SERVICE_NAME = 'Outturn';

export interface NavItem {
  text: string;
  href: string;
  /** The page being shown: marked with `aria-current="page"` as well as the active style. */
  current?: boolean;
}

export interface LayoutOptions {
  /** The page's own name; the browser tab reads "<title> – Outturn". */
  title: string;
  content: Html;
  navigation?: NavItem[];
  /** e.g. `{ tag: 'Beta', text: 'This is a new service.' }` */
  phase?: { tag: string; text: HtmlValue };
  /** Above the main content: breadcrumbs or a back link. */
  beforeContent?: Html;
  /**
   * Prefix for the home link and the assets: `/` when served (the default); a relative prefix
   * such as `../` in the static site, so it works from any folder or bucket.
   */
  basePath?: string;
  /** Links in the footer (accessibility statement, privacy notice). */
  footerLinks?: NavItem[];
  /**
   * Whether the page is for someone signed in, who gets a "Sign out" button in the header
   * (default true: every page of the app has one). False for the sign-in page, an error page
   * answered to someone without a session, and the static site, which has no session to end.
   */
  signedIn?: boolean;
}

/** Where the header's sign-out form posts; the app's route of that path ends the session. */
export const SIGN_OUT_PATH = '/sign-out';

export function layout(options: LayoutOptions): Html {
  const base = options.basePath ?? '/';
  const assets = `${base}assets`;
  return html`<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${options.title} – ${SERVICE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1d70b8">
<link rel="stylesheet" href="${assets}/govuk-frontend.min.css">
<link rel="stylesheet" href="${assets}/outturn.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-template__header">
${serviceNavigation(base, options.navigation ?? [], options.signedIn ?? true)}
</header>
<div class="govuk-width-container">
${options.phase && phaseBanner(options.phase)}
${options.beforeContent}
<main class="govuk-main-wrapper" id="main-content">
${options.content}
</main>
</div>
${footer(options.footerLinks ?? [])}
</body>
</html>
`;
}

/**
 * govuk-frontend 6's service navigation (components/service-navigation/template.njk), with the
 * sign-out in its inline end slot. No `data-module`: there is no script, so the menu never
 * collapses and no toggle button is rendered.
 */
function serviceNavigation(base: string, items: NavItem[], signedIn: boolean): Html {
  const list = items.length
    ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper">
<ul class="govuk-service-navigation__list" id="navigation">
${items.map(
  (
    item,
  ) => html`<li class="govuk-service-navigation__item${item.current ? ' govuk-service-navigation__item--active' : ''}">
<a class="govuk-service-navigation__link" href="${item.href}"${item.current ? html` aria-current="page"` : ''}>${
    item.current
      ? html`<strong class="govuk-service-navigation__active-fallback">${item.text}</strong>`
      : item.text
  }</a>
</li>
`,
)}</ul>
</nav>`
    : '';
  const signOut = signedIn
    ? html`<form method="post" action="${SIGN_OUT_PATH}" class="outturn-sign-out">
<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">Sign out</button>
</form>`
    : '';
  return html`<section aria-label="Service information" class="govuk-service-navigation">
<div class="govuk-width-container${signedIn ? ' govuk-service-navigation__inlining-container' : ''}">
<div class="govuk-service-navigation__container">
<span class="govuk-service-navigation__service-name"><a href="${base}" class="govuk-service-navigation__link">${SERVICE_NAME}</a></span>
${list}
</div>
${signOut}
</div>
</section>`;
}

function phaseBanner(phase: { tag: string; text: HtmlValue }): Html {
  return html`<div class="govuk-phase-banner">
<p class="govuk-phase-banner__content"><strong class="govuk-tag govuk-phase-banner__content__tag">${phase.tag}</strong> <span class="govuk-phase-banner__text">${phase.text}</span></p>
</div>`;
}

function footer(links: NavItem[]): Html {
  return html`<footer class="govuk-footer">
<div class="govuk-width-container">
<div class="govuk-footer__meta">
<div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
${
  links.length
    ? html`<h2 class="govuk-visually-hidden">Support links</h2>
<ul class="govuk-footer__inline-list">${links.map((l) => html`<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="${l.href}">${l.text}</a></li>`)}</ul>`
    : ''
}
<p class="govuk-body-s govuk-!-margin-bottom-0">${SERVICE_NAME}: outturn against profile for employment and health programmes.</p>
</div>
</div>
</div>
</footer>`;
}
