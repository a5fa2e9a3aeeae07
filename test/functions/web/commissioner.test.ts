import { beforeAll, describe, expect, it } from 'vitest';
import { openCurated } from '../../../pipelines/transform/query.js';
import { webFixture, type WebFixture, type Who } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
}, 60_000);

async function get(who: Who, url: string): Promise<{ status: number; page: string }> {
  const res = await f.app.request(url, { headers: await f.as(who, url) });
  return { status: res.status, page: await res.text() };
}

/** The rows of the table with this caption. */
function tableRows(page: string, caption: string): string[] {
  const start = page.indexOf(`>${caption}</caption>`);
  expect(start, `a table captioned "${caption}"`).toBeGreaterThan(-1);
  const table = page.slice(start, page.indexOf('</table>', start));
  return table.split('<tbody')[1]!.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
}

describe('the programme overview', () => {
  it('shows each contract against profile, job entry rates with intervals, a funnel plot and timeliness', async () => {
    const { status, page } = await get('comm', '/programmes/plp');
    expect(status).toBe(200);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(page).toContain('<h1 class="govuk-heading-l">Programme overview</h1>');
    // plp-test, January 2025: 6 referrals against a profile of 20 = 30%, red.
    const [referrals] = tableRows(page, '% of profile to date by contract and measure');
    expect(referrals).toMatch(
      /Test District \(D01\)<\/td><td[^>]*>Acme Employment<\/td><td[^>]*>Referrals<\/td><td[^>]*>January 2025<\/td><td[^>]*>6<\/td><td[^>]*>20<\/td><td[^>]*>30%<\/td><td[^>]*><strong class="govuk-tag govuk-tag--red">Red: below 85% of profile<\/strong>/,
    );
    // The tag says its threshold, plp's in the reference data (green from 95%, amber from 85%).
    expect(page).not.toMatch(/>(Red|Amber|Green)<\/strong>/);
    expect(page).toMatch(
      /<th scope="col" class="govuk-table__header govuk-table__header--numeric">% of profile to date<\/th>/,
    );
    // 0 job entries of 6 starts: 0%, Wilson interval 0% to 39%.
    const [outcome] = tableRows(page, 'Job entry rates by contract');
    expect(outcome).toMatch(
      /plp-test<\/td><td[^>]*>6<\/td><td[^>]*>0<\/td><td[^>]*>0%<\/td><td[^>]*>0% to 39%<\/td>/,
    );
    expect(page).toContain(
      '<figcaption class="govuk-heading-s">Job entry rate against starts</figcaption>',
    );
    expect(page).toMatch(
      /role="img" aria-label="Funnel plot of job entry rate against starts for 1 providers\. Programme average 0%/,
    );
    expect(page).toContain('<svg');
    // acme: 25 plp returns due by 26 November 2026, 1 received and accepted on time: 4%.
    const [timely] = tableRows(page, 'Reporting rate and timeliness by provider');
    expect(timely).toMatch(
      /Acme Employment<\/td><td[^>]*>1<\/td><td[^>]*>25<\/td><td[^>]*>1<\/td><td[^>]*>4%<\/td><td[^>]*>1<\/td><td[^>]*>4%<\/td><td[^>]*>0<\/td><td[^>]*>24<\/td>/,
    );
    expect(page).not.toContain('North NHS Trust');
  });

  it('never shows a suppressed true value: vrs-south’s three participants appear only as “[c]”', async () => {
    const db = await openCurated(f.pipeline.store);
    try {
      const perf = (
        await db.query(`select s.cumulative_actual, s.cumulative_actual_display, p.cumulative_actual as truth
        from suppressed_performance s join performance p using (contract_id, measure_id, period)
        where contract_id = 'vrs-south' and measure_id = 'referrals' and period = '2025-01'`)
      ).rows[0]!;
      expect(perf).toEqual({ cumulative_actual: null, cumulative_actual_display: '[c]', truth: 3 });
      const out = (
        await db.query(`select s.starts, s.starts_display, o.starts as truth
        from suppressed_outcomes s join outcomes o using (contract_id, breakdown, breakdown_value)
        where contract_id = 'vrs-south' and breakdown = 'all'`)
      ).rows[0]!;
      expect(out).toEqual({ starts: null, starts_display: '[c]', truth: 3 });
    } finally {
      db.close();
    }
    const { status, page } = await get('comm', '/programmes/vrs?breakdown=sex');
    expect(status).toBe(200);
    const [perfRow] = tableRows(page, '% of profile to date by contract and measure');
    expect(perfRow).toContain('data-contract="vrs-south"');
    expect(perfRow).toMatch(/January 2025<\/td><td[^>]*>\[c\]<\/td>/);
    expect(perfRow).toContain('Suppressed</strong>');
    const [outRow] = tableRows(page, 'Job entry rates by contract');
    expect(outRow).toMatch(/vrs-south<\/td><td[^>]*>\[c\]<\/td>/);
    const [sexRow] = tableRows(page, 'Job entry rates by sex and contract');
    expect(sexRow).toMatch(/female<\/td><td[^>]*>\[c\]<\/td>/);
    expect(page).not.toMatch(/<td[^>]*>3<\/td>/);
    // Nothing to plot, and the page says why.
    expect(page).toContain('There are no unsuppressed job entry rates to plot.');
    expect(page).toContain(
      'Not in the chart, because their starts or job entries are too small to show: North NHS Trust, South District (D02).',
    );
  });

  it('keeps filters in the URL: an area narrows the rows, and a bad month is a 400 with an error summary', async () => {
    const all = await get('comm', '/programmes/vrs');
    expect(all.page).toContain('data-contract="vrs-south"');
    const d01 = await get('comm', '/programmes/vrs?area=D01');
    expect(d01.status).toBe(200);
    expect(d01.page).not.toContain('vrs-south');
    expect(d01.page).toContain('<option value="D01" selected>Test District</option>');
    const d02 = await get('comm', '/programmes/vrs?area=D02&period=2025-01');
    expect(d02.status).toBe(200);
    expect(d02.page).toContain('data-contract="vrs-south"');
    expect(d02.page).toContain('value="2025-01"');
    expect(d02.page).toContain('as at January 2025');

    const bad = await get('comm', '/programmes/vrs?period=January&area=Z99');
    expect(bad.status).toBe(400);
    expect(bad.page).toContain(
      '<title>Error: Programme overview: Vocational Rehabilitation Service – Outturn</title>',
    );
    expect(bad.page).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(bad.page).toContain(
      '<a href="#period">Enter the month as a year and month, for example 2025-01</a>',
    );
    expect(bad.page).toContain('<a href="#area">Select an area from the list</a>');
    expect(bad.page).toMatch(
      /<input class="govuk-input govuk-input--width-10 govuk-input--error" id="period" name="period" type="text" value="January" aria-describedby="period-hint period-error">/,
    );
    expect(bad.page).toContain('<form method="get" action="/programmes/vrs" novalidate>');
  });

  it('highlights one provider in the charts on request, and refuses a provider not in the programme', async () => {
    const plain = await get('comm', '/programmes/plp');
    const lit = await get('comm', '/programmes/plp?highlight=acme');
    expect(lit.status).toBe(200);
    expect(lit.page).toContain('<option value="acme" selected>Acme Employment</option>');
    expect(lit.page).toMatch(
      /role="img" aria-label="[^"]*Highlighted: Acme Employment \(plp-test\)\."/,
    );
    expect(plain.page).not.toContain('Highlighted:');
    expect(plain.page).toContain('href="/programmes/plp/ranking">See the providers ranked');
    // The tables and their downloads are the same: the highlight is not carried into them.
    expect(lit.page).toContain('href="/programmes/plp?table=outcomes&amp;format=csv"');
    // The month filter says which sections it governs.
    expect(lit.page).toContain(
      'The month applies to performance against profile and the trend only',
    );

    const other = await get('comm', '/programmes/plp?highlight=nhs-north');
    expect(other.status).toBe(400);
    expect(other.page).toContain(
      '<a href="#highlight">Select a provider to highlight from the list</a>',
    );
    expect(other.page).not.toContain('Highlighted:');
  });

  it('opens a contract at its suppressed figures, read through the restricted engine, and downloads them', async () => {
    const { status, page } = await get('comm', '/contracts/vrs-south');
    expect(status).toBe(200);
    expect(page).not.toContain('will appear here');
    expect(page).toContain('<h2 class="govuk-heading-m">Performance against profile</h2>');
    // Three participants: every count of them reads [c], never 3.
    const [referrals] = tableRows(page, '% of profile to date by measure');
    expect(referrals).toContain('>[c]<');
    expect(referrals).not.toMatch(/>3<\/td>/);
    expect(page).toContain('href="/contracts/vrs-south?table=outcomes&amp;format=csv"');
    const csv = await get('comm', '/contracts/vrs-south?table=outcomes&format=csv');
    expect(csv.status).toBe(200);
    const [header, row] = csv.page
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(header).toContain('Job entry rate (%),"Job entry rate, 95% interval from (%)"');
    expect(row).toContain('[c]');

    // plp-test's 6 referrals of 20 profiled (30%): red, below plp's amber_from of 85%.
    const plpPage = await get('comm', '/contracts/plp-test');
    const [plpReferrals] = tableRows(plpPage.page, '% of profile to date by measure');
    expect(plpReferrals).toMatch(
      /Referrals<\/td><td[^>]*>January 2025<\/td><td[^>]*>6<\/td><td[^>]*>20<\/td><td[^>]*>30%<\/td><td[^>]*><strong class="govuk-tag govuk-tag--red">Red: below 85% of profile<\/strong>/,
    );

    const plp = await get('comm', '/contracts/plp-test?table=outcomes&format=csv');
    // plp-test: 0 job entries of 6 starts; the interval 0% to 39% as two numbers (percentages).
    const [, plpRow] = plp.page
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(plpRow).toMatch(/^6,0,0,0,39(\.\d)?,/);
  });

  it('ranks the providers, sorted by links, a suppressed figure last, and refuses an unknown sort', async () => {
    const { status, page } = await get('comm', '/programmes/vrs/ranking?sort=starts&dir=desc');
    expect(status).toBe(200);
    // vrs-south's 3 participants are "[c]", with no rank (vrs-test has sent no return).
    const [south] = tableRows(page, 'Providers ranked by starts, highest first');
    expect(south).toContain('South District');
    expect(south).toContain('>[c]<');
    expect(south).toMatch(/^<tr[^>]*><td[^>]*><span aria-hidden="true">–<\/span>/);
    expect(page).toContain(
      'href="/programmes/vrs/ranking?sort=starts&amp;dir=asc" aria-current="true"',
    );
    expect(page).toContain('href="/programmes/vrs/ranking?sort=rate&amp;dir=desc"');
    const plp = await get('comm', '/programmes/plp/ranking');
    const [acme] = tableRows(plp.page, 'Providers ranked by job entry rate, highest first');
    expect(acme).toMatch(/^<tr[^>]*><td[^>]*>1<\/td><th scope="row"[^>]*>Acme Employment<\/th>/);
    const bad = await get('comm', '/programmes/vrs/ranking?sort=__proto__');
    expect(bad.status).toBe(400);
    expect(bad.page).toContain('Sort by one of rate, job_entries, starts, provider');
  });

  it('refuses a programme the commissioner does not commission, and any programme to a provider', async () => {
    expect((await get('comm', '/programmes/agg')).status).toBe(403);
    const provider = await get('acme-user', '/programmes/plp');
    expect(provider.status).toBe(403);
    expect(provider.page).not.toContain('Acme Employment');
    expect((await get('admin', '/programmes/agg')).status).toBe(200);
  });
});

describe('the trend and cost per outcome sections', () => {
  it('shows payments due and costs where no count is small, and hides them where one is', async () => {
    const g = await webFixture();
    // plp-test: six starts in January at £300 each = £1,800 due, no job entries yet, so no cost
    // per job entry. vrs-south: three starts, a small count, so its money is hidden too; its
    // job entries to date, 0, stay shown (hiding them would protect nothing).
    const plp = await (
      await g.app.request('/programmes/plp', { headers: await g.as('comm', '/programmes/plp') })
    ).text();
    const costs = plp.slice(
      plp.indexOf('Cost per job entry and per sustained job, to date'),
      plp.indexOf('</table>', plp.indexOf('Cost per job entry and per sustained job, to date')),
    );
    expect(costs).toMatch(/plp-test|Acme Employment/);
    expect(costs).toContain('£1,800');
    expect(plp).toMatch(/Referrals: % of profile to date, by month/);
    const vrs = await (
      await g.app.request('/programmes/vrs', { headers: await g.as('comm', '/programmes/vrs') })
    ).text();
    const vrsCosts = vrs.slice(
      vrs.indexOf('Cost per job entry and per sustained job, to date'),
      vrs.indexOf('</table>', vrs.indexOf('Cost per job entry and per sustained job, to date')),
    );
    expect(vrsCosts).toMatch(/January 2025<\/td><td[^>]*>0<\/td>/);
    expect(vrsCosts).not.toMatch(/£\d/);
  });
});

describe('data quality by provider', () => {
  it('shows each provider’s monthly score and its parts, withholding them for a return under five people, and downloads them', async () => {
    const { status, page } = await get('comm', '/programmes/plp/data-quality');
    expect(status).toBe(200);
    // plp-test, January 2025: 6 participants, each with 1 of the 4 expected fields (work status
    // at referral) and 4 coded answers, none "not known", no warnings; the term starts in
    // October 2024, so 1 of 4 returns received. Score (25% + 25% + 100% + 100%) / 4 = 62.5%.
    const rows = tableRows(page, 'Data quality by provider and month');
    const january = rows.find((r) => r.includes('January 2025'));
    expect(january).toMatch(
      /Acme Employment<\/td><td[^>]*>plp-test<\/td><td[^>]*>January 2025<\/td><td[^>]*>62\.5%<\/td><td[^>]*>25%<\/td><td[^>]*>25%<\/td><td[^>]*>100%<\/td><td[^>]*>0%<\/td><td[^>]*>1<\/td><td[^>]*>4<\/td>/,
    );
    // vrs-south's January return has three participants: coverage only (score, completeness,
    // validity and not known none).
    const vrs = tableRows(
      (await get('comm', '/programmes/vrs/data-quality')).page,
      'Data quality by provider and month',
    );
    const vrsJanuary = vrs.find((r) => r.includes('January 2025'))!;
    expect(vrsJanuary).toContain('vrs-south');
    expect(vrsJanuary.match(/<span class="govuk-visually-hidden">none<\/span>/g)).toHaveLength(4);
    const csv = await get('comm', '/programmes/plp/data-quality?table=scores&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.page).toMatch(/plp-test,2025-01,0\.625,0\.25,0\.25,1,0,1,4/);
  });
});
