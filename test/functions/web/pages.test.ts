import { beforeAll, describe, expect, it } from 'vitest';
import { webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

describe('the contract page', () => {
  it('shows the contract’s outturn against profile from the marts, styled by the app’s own assets', async () => {
    // plp-test, January 2025: six participants referred and started; the referral profile for
    // January is 20, so referrals to date are 6 of 20 = 30%, red (green from 95%, amber from 85%).
    const res = await f.app.request('/contracts/plp-test', {
      headers: await f.as('acme-user', '/contracts/plp-test'),
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<link rel="stylesheet" href="/assets/govuk-frontend.min.css">');
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(page).toMatch(
      /Referrals<\/dt>\s*<dd[^>]*>30%<\/dd>\s*<dd[^>]*>6 actual of 20 profiled to date/,
    );
    expect(page.match(/<!DOCTYPE html>/g)).toHaveLength(1);
    expect(page).toMatch(/<strong class="govuk-tag[^"]*">Red: below 85% of profile<\/strong>/);
    const css = await f.app.request('/assets/govuk-frontend.min.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('shows standards, the funnel and payments due, worked out by hand', async () => {
    // Six participants referred on 6 January 2025, first contact on the 8th (2 days), started on
    // the 20th: first contact within 10 days is 6 of 6 = 100%, met (at least 90%). The January
    // cohort: 6 referred, 6 started (100%). Payments: 6 starts × £300 service fee = £1,800.
    const page = await (
      await f.app.request('/contracts/plp-test', {
        headers: await f.as('cm-north', '/contracts/plp-test'),
      })
    ).text();
    const row = (caption: string) =>
      page.slice(page.indexOf(caption), page.indexOf('</table>', page.indexOf(caption)));
    expect(row('Standards in January 2025')).toMatch(
      /First contact within 10 days<\/td>\s*<td[^>]*>6<\/td>\s*<td[^>]*>6<\/td>\s*<td[^>]*>100%<\/td>[\s\S]*?Met/,
    );
    expect(row('Funnel by month of referral</caption>')).toMatch(
      /January 2025<\/td>\s*<td[^>]*>6<\/td>\s*<td[^>]*>6<\/td>\s*<td[^>]*>100%<\/td>/,
    );
    expect(row('Payments due by month')).toMatch(
      /January 2025<\/td>\s*<td[^>]*>6<\/td>[\s\S]*?£1,800/,
    );
    expect(page).toContain('No milestone date has been changed or taken away by a later return.');
  });

  it('is refused to a provider asking for another provider’s contract by URL', async () => {
    const res = await f.app.request('/contracts/plp-test', {
      headers: await f.as('north-user', '/contracts/plp-test'),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('6 actual of 20');
  });

  it('shows a commissioner no unsuppressed figures', async () => {
    const res = await f.app.request('/contracts/plp-test', {
      headers: await f.as('comm', '/contracts/plp-test'),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('6 actual of 20');
  });
});

describe('downloads from the contract page', () => {
  it('links every table to its CSV and XLSX download, and the links work', async () => {
    const headers = await f.as('acme-user', '/contracts/plp-test');
    const page = await (await f.app.request('/contracts/plp-test', { headers })).text();
    const links = [...page.matchAll(/href="(\/contracts\/plp-test\?table=[^"]+)"/g)].map((m) =>
      m[1]!.replaceAll('&amp;', '&'),
    );
    expect(links).toContain('/contracts/plp-test?table=performance&format=csv');
    expect(links).toContain('/contracts/plp-test?table=payments&format=xlsx');
    for (const link of links)
      expect((await f.app.request(link, { headers })).status, link).toBe(200);
    const csv = await (
      await f.app.request('/contracts/plp-test?table=performance&format=csv', { headers })
    ).text();
    expect(csv).toMatch(/2025-01,Referrals,6,20,-14,0\.3,6,20,0\.3,red/);
  });
});
