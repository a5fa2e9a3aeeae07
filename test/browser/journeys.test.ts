/**
 * Each kind of user signs in through the page and looks at what they may see, in a real
 * browser; every page is checked with axe-core and photographed; nothing leaves 127.0.0.1.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webFixture } from '../functions/web/fixture.js';
import { openBrowser, SCREENSHOTS, seriousViolations, serveApp, type BrowserSession } from './harness.js';

let server: Awaited<ReturnType<typeof serveApp>>;
let session: BrowserSession;

beforeAll(async () => {
  const f = await webFixture();
  server = await serveApp(f.app.fetch);
  session = await openBrowser();
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

const journeys = [
  { user: 'acme-user', name: 'Ann Provider', contract: 'plp-test', notMine: 'vrs-south' },
  { user: 'cm-north', name: 'Colin Manager', contract: 'plp-test', notMine: 'vrs-south' },
  { user: 'comm', name: 'Carys Commissioner', contract: 'plp-test', notMine: 'agg-test' },
  { user: 'admin', name: 'Ada Admin', contract: 'vrs-south', notMine: null },
] as const;

describe('signing in and looking around, in Chromium', () => {
  for (const j of journeys)
    it(`${j.user} signs in, sees their contracts, and every page passes axe`, async () => {
      const page = await session.context.newPage();
      await session.context.clearCookies();
      await page.goto(`${server.url}/`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByLabel(j.name, { exact: false }).check();
      await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: /sign in/i }).click()]);
      await expect(page.getByText(j.name).first().isVisible()).resolves.toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `${j.user}-home.png`), fullPage: true });

      await page.click(`a[href="/contracts/${j.contract}"]`);
      expect(new URL(page.url()).pathname).toBe(`/contracts/${j.contract}`);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `${j.user}-contract.png`), fullPage: true });

      if (j.notMine) {
        const res = await page.goto(`${server.url}/contracts/${j.notMine}`);
        expect(res?.status()).toBe(403);
        expect(await seriousViolations(page)).toEqual([]);
      }
      await page.close();
      expect(session.blocked).toEqual([]);
    });
});
