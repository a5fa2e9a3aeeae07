/**
 * Each kind of user signs in through the page and looks at what they may see, in a real
 * browser; every page is checked with axe-core and photographed; nothing leaves 127.0.0.1.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, webAppInBrowser } from './harness.js';

const web = webAppInBrowser();

const journeys = [
  { user: 'acme-user', name: 'Ann Provider', contract: 'plp-test', notMine: 'vrs-south' },
  { user: 'cm-north', name: 'Colin Manager', contract: 'plp-test', notMine: 'vrs-south' },
  { user: 'comm', name: 'Carys Commissioner', contract: 'plp-test', notMine: 'agg-test' },
  { user: 'admin', name: 'Ada Admin', contract: 'vrs-south', notMine: null },
] as const;

describe('signing in and looking around, in Chromium', () => {
  for (const j of journeys)
    it(`${j.user} signs in, sees their contracts, and every page passes axe`, async () => {
      const page = await web.context.newPage();
      await web.context.clearCookies();
      await page.goto(`${web.url}/`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByLabel(j.name, { exact: false }).check();
      await Promise.all([
        page.waitForURL(`${web.url}/`),
        page.getByRole('button', { name: /sign in/i }).click(),
      ]);
      await expect(page.getByText(j.name).first().isVisible()).resolves.toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `${j.user}-home.png`), fullPage: true });

      await page.click(`a[href="/contracts/${j.contract}"]`);
      expect(new URL(page.url()).pathname).toBe(`/contracts/${j.contract}`);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `${j.user}-contract.png`), fullPage: true });

      if (j.notMine) {
        const res = await page.goto(`${web.url}/contracts/${j.notMine}`);
        expect(res?.status()).toBe(403);
        expect(await seriousViolations(page)).toEqual([]);
      }
      await page.close();
      expect(web.session.blocked).toEqual([]);
      expect(web.session.policyViolations).toEqual([]);
    });
});

describe('sending returns through the page, and the overviews, in Chromium', () => {
  it('a provider uploads a good return and a bad one, and reads each report', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { csvOf, participant } = await import('../fixtures/returns.js');
    const dir = await mkdtemp(join(tmpdir(), 'outturn-browser-'));
    const good = join(dir, 'february.csv');
    const bad = join(dir, 'february-bad.csv');
    // A February return for plp-test: the six January participants' ids are P-000001..6 in the
    // fixture; this adds two more referred in February.
    const people = Array.from({ length: 6 }, (_, i) =>
      participant({ participant_id: `P-${String(i + 1).padStart(6, '0')}` }),
    );
    await writeFile(
      good,
      csvOf([
        ...people,
        participant({
          participant_id: 'F-1',
          referral_date: '2025-02-03',
          first_contact_date: '2025-02-04',
          start_date: '',
        }),
        participant({
          participant_id: 'F-2',
          referral_date: '2025-02-10',
          first_contact_date: '',
          start_date: '',
        }),
      ]),
    );
    await writeFile(
      bad,
      csvOf([
        participant({ participant_id: 'AB123456C' }),
        participant({
          participant_id: 'F-3',
          referral_date: '2025-02-10',
          first_contact_date: '',
          start_date: '',
          job_entry_date: '2025-02-01',
        }),
      ]),
    );

    await web.context.clearCookies();
    const page = await web.context.newPage();
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel('Ann Provider', { exact: false }).check();
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: /sign in/i }).click(),
    ]);

    for (const [file, period, expectText] of [
      [good, '2025-02', /accepted/i],
      [bad, '2025-03', /not accepted/i],
    ] as const) {
      await page.goto(`${web.url}/contracts/plp-test/returns/new`);
      expect(await seriousViolations(page)).toEqual([]);
      // The month is a picker of the contract's ended months, each with its deadline.
      await page.getByLabel(/month/i).selectOption(period);
      await page.setInputFiles('input[type=file]', file);
      await Promise.all([
        page.waitForURL(/\/contracts\/plp-test\/returns\/(?!new)/),
        page.getByRole('button', { name: /check and send/i }).click(),
      ]);
      await expect(page.locator('h1').first().innerText()).resolves.toMatch(expectText);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `upload-${period}.png`), fullPage: true });
    }
    const report = await page.content();
    expect(report).toMatch(/participant_id/);
    expect(report).not.toContain('AB123456C');
    expect(report).toMatch(/job_entry_date/);

    // The good February return is in the dashboard now: 6 + 2 referrals to date.
    await page.goto(`${web.url}/contracts/plp-test`);
    await expect(page.getByText('8 actual of').first().isVisible()).resolves.toBe(true);
    await page.close();
    expect(web.session.blocked).toEqual([]);
    expect(web.session.policyViolations).toEqual([]);
  });

  it('a contract manager reads the portfolio, and a commissioner the programme overview', async () => {
    for (const [name, path, shot] of [
      ['Colin Manager', '/portfolio', 'portfolio'],
      ['Colin Manager', '/queue', 'queue'],
      ['Carys Commissioner', '/programmes/plp', 'programme-overview'],
    ] as const) {
      await web.context.clearCookies();
      const page = await web.context.newPage();
      await page.goto(`${web.url}/sign-in`);
      await page.getByLabel(name, { exact: false }).check();
      await Promise.all([
        page.waitForURL(`${web.url}/`),
        page.getByRole('button', { name: /sign in/i }).click(),
      ]);
      await page.click(`a[href="${path}"]`);
      expect(new URL(page.url()).pathname).toBe(path);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true });
      await page.close();
    }
    expect(web.session.blocked).toEqual([]);
    expect(web.session.policyViolations).toEqual([]);
  });
  it('a commissioner asks the marts a question in SQL, is refused a true-count table, and reads the answer', async () => {
    await web.context.clearCookies();
    const page = await web.context.newPage();
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel('Carys Commissioner', { exact: false }).check();
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: /sign in/i }).click(),
    ]);
    await Promise.all([
      page.waitForURL(`${web.url}/analytics`),
      page.click('a[href="/analytics"]'),
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    // A table with true small counts: refused, with the error summary naming what to change.
    await page
      .getByLabel('Query', { exact: true })
      .fill('SELECT contract_id, actual FROM performance LIMIT 5');
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('performance');
    expect(await seriousViolations(page)).toEqual([]);

    // The suppressed copy: answered, as a table.
    await page
      .getByLabel('Query', { exact: true })
      .fill(
        "SELECT contract_id, period, measure_id, actual_display FROM suppressed_performance WHERE contract_id = 'plp-test' ORDER BY measure_id LIMIT 5",
      );
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect.poll(() => page.locator('table').count()).toBeGreaterThan(0);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('table').first().textContent()).toContain('plp-test');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'analytics.png'), fullPage: true });
    await page.close();
    expect(web.session.blocked).toEqual([]);
    expect(web.session.policyViolations).toEqual([]);
  });
});
