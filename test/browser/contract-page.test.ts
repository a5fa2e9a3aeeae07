/**
 * The contract page leads with what matters (issue 13): its headline figures and charts come
 * before any table, the long tables sit behind tabs that work without script (links to
 * anchored sections), and it passes axe at 1280 and 390 px wide. Screenshots in
 * test-output/screenshots/contract-page-*.png.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, webAppInBrowser } from './harness.js';

const web = webAppInBrowser();

const views = [
  { user: 'Ann Provider', contract: 'plp-test', width: 1280 },
  { user: 'Ann Provider', contract: 'plp-test', width: 390 },
  { user: 'Ada Admin', contract: 'vrs-south', width: 1280 },
] as const;

describe('the contract page, in Chromium', () => {
  for (const v of views)
    it(`${v.contract} at ${v.width} px as ${v.user}: figures and charts first, tables behind tabs, axe clean`, async () => {
      await web.context.clearCookies();
      const page = await web.context.newPage();
      await page.setViewportSize({ width: v.width, height: 900 });
      await page.goto(`${web.url}/sign-in`);
      await page.getByLabel(v.user, { exact: false }).check();
      await Promise.all([
        page.waitForURL(`${web.url}/`),
        page.getByRole('button', { name: /sign in/i }).click(),
      ]);
      await page.goto(`${web.url}/contracts/${v.contract}`);
      expect(await page.locator('h1').count()).toBe(1);
      const order = await page.evaluate(() => {
        const at = (selector: string) => {
          const all = [...document.querySelectorAll('main *')];
          const found = document.querySelector(selector);
          return found ? all.indexOf(found) : -1;
        };
        return {
          figures: at('main h2'),
          tabs: at('.govuk-tabs'),
          monthly: at('#by-month table'),
          width: document.documentElement.scrollWidth,
          scripts: document.querySelectorAll('script').length,
        };
      });
      expect(order.figures).toBeGreaterThan(-1);
      expect(order.tabs).toBeGreaterThan(order.figures);
      expect(order.monthly).toBeGreaterThan(order.tabs);
      expect(order.scripts).toBe(0);
      if (v.width === 390) expect(order.width).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({
        path: join(SCREENSHOTS, `contract-page-${v.contract}-${v.width}.png`),
        fullPage: true,
      });
      // A tab is a link to its section: following it lands on the section's heading.
      await page.click('a.govuk-tabs__tab[href="#standards"]');
      expect(new URL(page.url()).hash).toBe('#standards');
      await expect(page.locator('#standards h2').isVisible()).resolves.toBe(true);
      await page.close();
    });
});
