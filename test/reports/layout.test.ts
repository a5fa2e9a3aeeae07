import { describe, expect, it } from 'vitest';
import { html } from '../../reports/html.js';
import { layout } from '../../reports/layout.js';
import { assertWellFormed } from './markup.js';

describe('layout', () => {
  const page = layout({
    title: 'Acme <Ltd> & "Partners"',
    content: html`<h1 class="govuk-heading-l">Hello</h1>`,
    navigation: [
      { text: 'Overview', href: '/', current: false },
      { text: 'Contracts & <more>', href: '/contracts?a=1&b=2', current: true },
    ],
    phase: { tag: 'Beta', text: 'This is a new service.' },
  }).toString();

  it('is a GOV.UK template page in British English with the service name', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en-GB" class="govuk-template">')).toBe(
      true,
    );
    expect(page).toContain('<body class="govuk-template__body">');
    expect(page).toMatch(
      /<a href="#main-content" class="govuk-skip-link">Skip to main content<\/a>/,
    );
    expect(page).toMatch(
      /<header class="govuk-template__header">[\s\S]*govuk-service-navigation__service-name[\s\S]*>Outturn<\/a>/,
    );
    expect(page).toMatch(
      /<main class="govuk-main-wrapper" id="main-content">\s*<h1 class="govuk-heading-l">Hello<\/h1>/,
    );
    expect(page).toContain('<footer class="govuk-footer">');
    expect(page).toContain(
      '<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>',
    );
    assertWellFormed(page);
  });

  it('escapes the title and navigation, and marks the current page', () => {
    expect(page).toContain('<title>Acme &lt;Ltd&gt; &amp; &quot;Partners&quot; – Outturn</title>');
    expect(page).toContain('href="/contracts?a=1&amp;b=2" aria-current="page"');
    expect(page).toContain('Contracts &amp; &lt;more&gt;');
    expect(page.match(/aria-current/g)).toHaveLength(1);
  });

  it('links only its own stylesheets, and has no script', () => {
    expect(page).toContain('<link rel="stylesheet" href="/assets/govuk-frontend.min.css">');
    expect(page).toContain('<link rel="stylesheet" href="/assets/outturn.css">');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('uses a relative base path for the static site', () => {
    const out = layout({ title: 'x', content: html``, basePath: '../' }).toString();
    expect(out).toContain('href="../assets/govuk-frontend.min.css"');
    expect(out).toMatch(/href="\.\.\/" class="govuk-service-navigation__link">Outturn/);
    expect(out).not.toContain('<nav');
    expect(out).not.toContain('govuk-phase-banner');
  });
});

describe('the header', () => {
  it('is govuk-frontend 6’s service navigation, with a sign-out form in its inline end slot', () => {
    const page = layout({ title: 'x', content: html`` }).toString();
    expect(page).toContain(
      '<div class="govuk-width-container govuk-service-navigation__inlining-container">',
    );
    expect(page).toMatch(
      /<form method="post" action="\/sign-out" class="outturn-sign-out">\s*<button type="submit" class="govuk-button govuk-button--secondary[^"]*">Sign out<\/button>\s*<\/form>/,
    );
    expect(page).not.toMatch(/govuk-header__/);
    assertWellFormed(page);
  });

  it('has no sign-out where no one is signed in', () => {
    const page = layout({ title: 'x', content: html``, signedIn: false }).toString();
    expect(page).not.toContain('sign-out');
    expect(page).not.toContain('inlining-container');
  });
});
