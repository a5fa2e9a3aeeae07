/**
 * At 390 px wide (a phone held upright) every table scrolls sideways inside its own container
 * instead of widening the page, chart text stays readable (at least 12 px as drawn), the header
 * keeps its sign-out, and axe finds nothing serious. Screenshots in test-output/screenshots/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, webAppInBrowser } from './harness.js';

const web = webAppInBrowser();

/** The pages with the widest tables and the charts, and whom to see each as. */
const pages = [
  { user: 'Ann Provider', url: '/', shot: 'narrow-home' },
  { user: 'Ann Provider', url: '/contracts/plp-test', shot: 'narrow-contract' },
  { user: 'Ann Provider', url: '/contracts/plp-test/returns', shot: 'narrow-returns' },
  { user: 'Colin Manager', url: '/portfolio', shot: 'narrow-portfolio' },
  { user: 'Colin Manager', url: '/contracts/plp-test/quality', shot: 'narrow-quality' },
  { user: 'Carys Commissioner', url: '/programmes/plp', shot: 'narrow-programme' },
  {
    user: 'Carys Commissioner',
    url: '/programmes/plp?highlight=acme',
    shot: 'narrow-programme-highlight',
  },
  { user: 'Carys Commissioner', url: '/contracts/vrs-south', shot: 'narrow-contract-published' },
  { user: 'Ada Admin', url: '/admin/audit', shot: 'narrow-audit' },
  { user: 'Ada Admin', url: '/reference', shot: 'narrow-reference' },
] as const;

interface Measured {
  pageWidth: number;
  tables: { inWrapper: boolean; overflow: string; wider: boolean }[];
  smallestChartText: number | null;
  signOut: boolean;
}

describe('at 390 px wide, in Chromium', () => {
  for (const p of pages)
    it(`${p.url} as ${p.user}: tables scroll in their own container, chart text is readable`, async () => {
      await web.context.clearCookies();
      const page = await web.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${web.url}/sign-in`);
      await page.getByLabel(p.user, { exact: false }).check();
      await Promise.all([
        page.waitForURL(`${web.url}/`),
        page.getByRole('button', { name: /sign in/i }).click(),
      ]);
      await page.goto(`${web.url}${p.url}`);
      const measured = (await page.evaluate(() => {
        const tables = [...document.querySelectorAll('table')].map((t) => {
          const wrapper = t.parentElement!;
          return {
            inWrapper: wrapper.classList.contains('outturn-table-wrapper'),
            overflow: getComputedStyle(wrapper).overflowX,
            wider: t.scrollWidth > wrapper.clientWidth,
          };
        });
        // Text drawn in a visible chart, at the size it appears on screen.
        const sizes = [...document.querySelectorAll('.outturn-chart__image svg text')]
          .map((t) => t.getBoundingClientRect().height)
          .filter((h) => h > 0);
        return {
          pageWidth: document.documentElement.scrollWidth,
          tables,
          smallestChartText: sizes.length ? Math.min(...sizes) : null,
          signOut: document.querySelector('form[action="/sign-out"] button') !== null,
        };
      })) as Measured;
      await page.screenshot({ path: join(SCREENSHOTS, `${p.shot}.png`), fullPage: true });
      expect(measured.pageWidth, 'the page is no wider than the screen').toBeLessThanOrEqual(390);
      for (const t of measured.tables) {
        expect(t.inWrapper).toBe(true);
        expect(t.overflow).toBe('auto');
      }
      if (measured.smallestChartText !== null)
        expect(measured.smallestChartText).toBeGreaterThanOrEqual(12);
      expect(measured.signOut).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });

  it('a wide table on the programme page is wider than the screen, and scrolls', async () => {
    await web.context.clearCookies();
    const page = await web.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel('Carys Commissioner', { exact: false }).check();
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: /sign in/i }).click(),
    ]);
    await page.goto(`${web.url}/programmes/plp`);
    const scrolled = await page.evaluate(() => {
      const wrapper = [...document.querySelectorAll('.outturn-table-wrapper')].find(
        (w) => w.scrollWidth > w.clientWidth,
      );
      if (!wrapper) return null;
      wrapper.scrollLeft = 100;
      return wrapper.scrollLeft;
    });
    expect(scrolled).toBeGreaterThan(0);
    await page.close();
  });
});
