/**
 * The commissioner's month in Chromium at desktop width (issue 13): the programme overview with a
 * provider highlighted from the filter form, its download links, and a contract opened at its
 * suppressed figures and intervention level. axe finds nothing serious; screenshots in
 * test-output/screenshots/ (the same pages at 390 px are in narrow.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, webAppInBrowser } from './harness.js';

const web = webAppInBrowser();

describe('a commissioner at 1280 px, in Chromium', () => {
  it('highlights a provider from the filters, downloads a table, and opens a contract at its suppressed figures', async () => {
    const page = await web.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel('Carys Commissioner', { exact: false }).check();
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: /sign in/i }).click(),
    ]);
    await page.goto(`${web.url}/programmes/plp`);
    await page.getByLabel('Highlight a provider in the charts').selectOption('acme');
    await Promise.all([
      page.waitForURL(/highlight=acme/),
      page.getByRole('button', { name: 'Apply filters' }).click(),
    ]);
    await expect
      .poll(() => page.locator('[role="img"][aria-label*="Highlighted: Acme Employment"]').count())
      .toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({
      path: join(SCREENSHOTS, 'commissioner-programme-highlight.png'),
      fullPage: true,
    });
    // Every table's download is a visible link.
    const links = page.getByRole('link', { name: /Download this table as CSV/ });
    expect(await links.count()).toBeGreaterThanOrEqual(3);
    const href = (await links.first().getAttribute('href'))!;
    expect(href).not.toContain('highlight');
    const csv = await page.request.get(`${web.url}${href}`);
    expect(csv.status()).toBe(200);

    await page.goto(`${web.url}/contracts/vrs-south`);
    await expect.poll(() => page.getByText('[c]').count()).toBeGreaterThan(0);
    expect(await page.getByText('will appear here').count()).toBe(0);
    // The contract's intervention level (ADR 039), from the commissioners' own table.
    await expect
      .poll(() => page.getByRole('heading', { name: 'Intervention level' }).count())
      .toBe(1);
    expect(await page.getByText('No intervention').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({
      path: join(SCREENSHOTS, 'commissioner-contract-published.png'),
      fullPage: true,
    });
    await page.close();
  });
});
