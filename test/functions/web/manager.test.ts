import { beforeAll, describe, expect, it } from 'vitest';
import {
  newestCompleteQuarter,
  parseQuarter,
} from '../../../reports/pages/provider-review/quarter.js';
import { inflateText } from '../../../pipelines/xlsx/inflate.js';
import { inspectZip } from '../../../pipelines/xlsx/zip-guard.js';
import { webFixture, type WebFixture, type Who } from './fixture.js';
import { cachedBytes } from '../../../functions/web/page-cache.js';
import { writeCommentary } from '../../../pipelines/review/plans.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

async function get(who: Who, url: string): Promise<{ status: number; page: string }> {
  const res = await f.app.request(url, { headers: await f.as(who, url) });
  return { status: res.status, page: await res.text() };
}

/** A download as text: the CSV, or every part of the XLSX unzipped. */
function readable(bytes: Uint8Array, format: 'csv' | 'xlsx'): string {
  if (format === 'csv') return new TextDecoder().decode(bytes);
  const zip = inspectZip(bytes);
  if (!zip.ok) throw new Error('not a zip');
  return zip.entries
    .map((entry) => {
      const out = inflateText(bytes, entry, { remaining: 10_000_000 });
      if (!('text' in out)) throw new Error(`${entry.name} not inflated`);
      return out.text;
    })
    .join('\n');
}

/** The table row whose header cell links to the contract. */
function rowFor(page: string, contract: string): string {
  const m = new RegExp(
    `<tr class="govuk-table__row">\\s*<th scope="row"[^>]*><a class="govuk-link" href="/contracts/${contract}">[\\s\\S]*?</tr>`,
  ).exec(page);
  return m?.[0] ?? '';
}

const linkedContracts = (page: string) =>
  [
    ...page.matchAll(/<th scope="row"[^>]*><a class="govuk-link" href="\/contracts\/([^"]+)">/g),
  ].map((m) => m[1]);

describe('the portfolio overview', () => {
  it('shows a provider only its own contracts, each linked to its page', async () => {
    const { status, page } = await get('acme-user', '/portfolio');
    expect(status).toBe(200);
    expect(page).toContain('<h1 class="govuk-heading-l">Your portfolio</h1>');
    expect(page).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Contracts in your portfolio</caption>',
    );
    expect(page).toMatch(
      /<th scope="col" class="govuk-table__header">Against profile to date<\/th>/,
    );
    expect(linkedContracts(page)).toEqual(['agg-test', 'plp-test']);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('shows the hand-worked figures for plp-test: 6 referrals of 20 profiled, 30%, red; 1 return of 25 on time; 3 possible duplicates', async () => {
    // plp-test's term runs October 2024 to October 2026: 25 returns have passed their deadlines by
    // 26 November 2026. Only January 2025 was sent (on time, 14 February deadline); the newest
    // due month, October 2026, is missing. Three of its six participants (P-000001 to 3) are
    // also in vrs-south's return, which data_quality flags as possible double claiming.
    const row = rowFor((await get('cm-north', '/portfolio')).page, 'plp-test');
    expect(row).toContain('Figures to January 2025');
    // The contract by name, not by its slug.
    expect(row).toContain('>Provider-led Pathways to Work, Test District (Acme Employment)</a>');
    expect(row).not.toContain('>plp-test</a>');
    expect(row).toMatch(
      /Referrals: 30% \(6 of 20 profiled\) <strong class="govuk-tag govuk-tag--red">Red: below 85% of profile<\/strong>/,
    );
    expect(row).not.toContain('Starts:'); // not profiled on plp-test
    expect(row).toContain('On time: 1 of 25 due');
    expect(row).toContain('Late: 0 of 25 due');
    expect(row).toContain('Missing: 24 of 25 due');
    expect(row).toContain('October 2026: Missing');
    expect(row).toContain('Possible duplicates: 3');
    expect(row).toContain('href="/contracts/plp-test/quality"');
    expect(row).toContain('href="/contracts/plp-test/review"');
  });

  it('names the contract in words on its measures page, where the download keeps the id', async () => {
    const { page } = await get('cm-north', '/contracts/plp-test/measures');
    expect(page).toContain(
      '<span class="govuk-caption-l">Provider-led Pathways to Work, Test District (Acme Employment)</span>',
    );
    expect(page).not.toMatch(/<td[^>]*>plp-test<\/td>/);
  });

  it('shows a contract manager their portfolio only, and a north provider its own contracts', async () => {
    expect(linkedContracts((await get('cm-north', '/portfolio')).page)).toEqual([
      'agg-test',
      'plp-test',
      'vrs-test',
    ]);
    expect(linkedContracts((await get('north-user', '/portfolio')).page)).toEqual([
      'vrs-south',
      'vrs-test',
    ]);
    expect(linkedContracts((await get('admin', '/portfolio')).page)).toEqual([
      'agg-test',
      'plp-test',
      'vrs-south',
      'vrs-test',
    ]);
  });

  it('says so for a contract with no figures yet', async () => {
    const row = rowFor((await get('cm-north', '/portfolio')).page, 'vrs-test');
    expect(row).toContain('No figures yet');
    expect(row).toContain('Missing: 25 of 25 due');
    expect(row).toContain('No issues');
  });

  it('refuses commissioners and sends the signed-out to sign in', async () => {
    const comm = await get('comm', '/portfolio');
    expect(comm.status).toBe(403);
    expect(comm.page).not.toContain('6 of 20');
    const res = await f.app.request('/portfolio');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/sign-in');
  });
});

describe('a contract’s data quality', () => {
  it('lists the issues and the return statuses by month', async () => {
    const { status, page } = await get('acme-user', '/contracts/plp-test/quality');
    expect(status).toBe(200);
    expect(page).toContain('<h1 class="govuk-heading-l">Data quality</h1>');
    expect(page).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Data quality issues</caption>',
    );
    expect(page).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Returns by month</caption>',
    );
    for (const th of [
      'Check',
      'Severity',
      'Participant',
      'What was found',
      'Before',
      'After',
      'Deadline',
      'Status',
      'Days late',
    ])
      expect(page).toMatch(
        new RegExp(`<th scope="col" class="govuk-table__header[^"]*">${th}</th>`),
      );
    expect(page.match(/Possible duplicates/g)).toHaveLength(3);
    expect(page).toContain(
      'Participant P-000001 is also in the newest return of another contract: possible double claiming',
    );
    // January 2025: due 14 February 2025, accepted on time; December 2024: missing, 680 days past 15 January 2025.
    expect(page).toMatch(
      /<td class="govuk-table__cell">January 2025<\/td><td class="govuk-table__cell">14 February 2025<\/td><td class="govuk-table__cell">Accepted on time<\/td>/,
    );
    expect(page).toMatch(
      /<td class="govuk-table__cell">December 2024<\/td><td class="govuk-table__cell">15 January 2025<\/td><td class="govuk-table__cell">Missing<\/td><td class="govuk-table__cell govuk-table__cell--numeric">680<\/td>/,
    );
    expect(page).toContain('href="/contracts/plp-test/quality?table=issues&amp;format=csv"');
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('shows the contract’s data-quality score by month, with its parts (ADR 051)', async () => {
    for (const who of ['acme-user', 'cm-north'] as const) {
      const { status, page } = await get(who, '/contracts/plp-test/quality');
      expect(status).toBe(200);
      expect(page).toContain('>Data quality score by month</caption>');
      // January 2025 (worked in commissioner.test.ts): score 62.5%, coverage 1 of 4 returns,
      // completeness 25%, validity 100%, not known 0%.
      expect(page).toMatch(
        /January 2025<\/td><td[^>]*>62\.5%<\/td><td[^>]*>25%<\/td><td[^>]*>25%<\/td><td[^>]*>100%<\/td><td[^>]*>0%<\/td><td[^>]*>1<\/td><td[^>]*>4<\/td>/,
      );
      expect(page).toContain('href="/contracts/plp-test/quality?table=scores&amp;format=xlsx"');
    }
  });

  it('tells a provider a participant is also under another contract, never which, on the page or in a download', async () => {
    // P-000001 to 3 are in the newest returns of plp-test (acme) and vrs-south (nhs-north).
    for (const [who, contract, other] of [
      ['acme-user', 'plp-test', /vrs-south|North NHS Trust|South District/],
      ['north-user', 'vrs-south', /plp-test|Acme|Test District/],
    ] as const) {
      const { status, page } = await get(who, `/contracts/${contract}/quality`);
      expect(status).toBe(200);
      expect(page).toContain('is also in the newest return of another contract');
      expect(page).not.toMatch(other);
      expect(page).not.toContain('Participants also under another contract');
      for (const format of ['csv', 'xlsx'] as const) {
        const url = `/contracts/${contract}/quality?table=issues&format=${format}`;
        const res = await f.app.request(url, { headers: await f.as(who, url) });
        expect(res.status).toBe(200);
        const body = readable(new Uint8Array(await res.arrayBuffer()), format);
        expect(body).toContain('P-000001');
        expect(body).not.toMatch(other);
      }
      const claims = `/contracts/${contract}/quality?table=claims&format=csv`;
      expect((await f.app.request(claims, { headers: await f.as(who, claims) })).status).toBe(404);
    }
  });

  it('names the other contract to the contract managers of both, and to admins', async () => {
    const claims = (page: string) =>
      page.slice(
        page.indexOf('>Participants also under another contract</caption>'),
        page.indexOf(
          '</table>',
          page.indexOf('>Participants also under another contract</caption>'),
        ),
      );
    const north = await get('cm-north', '/contracts/plp-test/quality');
    expect(claims(north.page)).toMatch(
      /P-000001<\/td><td[^>]*>January 2025<\/td><td[^>]*>vrs-south<\/td><td[^>]*>North NHS Trust<\/td><td[^>]*>January 2025<\/td>/,
    );
    expect(claims(north.page).match(/vrs-south/g)).toHaveLength(3);
    const url = '/contracts/vrs-south/quality';
    const south = await f.app.request(url, { headers: { cookie: await f.cookie('cm-south') } });
    expect(south.status).toBe(200);
    expect(claims(await south.text())).toMatch(
      /P-000003<\/td><td[^>]*>January 2025<\/td><td[^>]*>plp-test<\/td><td[^>]*>Acme Employment<\/td>/,
    );
    const csv = '/contracts/plp-test/quality?table=claims&format=csv';
    const download = await f.app.request(csv, { headers: await f.as('admin', csv) });
    expect(download.status).toBe(200);
    expect((await download.text()).split('\r\n').filter(Boolean)).toEqual([
      'Participant,In this contract’s return for,Also under contract,Provider,In that contract’s return for',
      'P-000001,2025-01,vrs-south,North NHS Trust,2025-01',
      'P-000002,2025-01,vrs-south,North NHS Trust,2025-01',
      'P-000003,2025-01,vrs-south,North NHS Trust,2025-01',
    ]);
  });

  it('downloads a table as CSV', async () => {
    const res = await f.app.request('/contracts/plp-test/quality?table=returns&format=csv', {
      headers: await f.as('cm-north', '/x'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await res.text()).toContain('Month');
  });

  it('is refused to a provider asking for another provider’s contract, and to commissioners', async () => {
    const other = await get('acme-user', '/contracts/vrs-south/quality');
    expect(other.status).toBe(403);
    expect(other.page).not.toContain('P-000001');
    expect((await get('cm-north', '/contracts/vrs-south/quality')).status).toBe(403);
    expect((await get('comm', '/contracts/plp-test/quality')).status).toBe(403);
  });
});

describe('the quarterly Provider Performance Review', () => {
  it('shows the quarter’s figures, section by section', async () => {
    const { status, page } = await get('cm-north', '/contracts/plp-test/review?quarter=2025-Q1');
    expect(status).toBe(200);
    expect(page).toContain(
      '<h1 class="govuk-heading-l">Provider Performance Review: Q4 2024/25</h1>',
    );
    // The provider's name, not its id; the regime, the level, the plan and the commentary.
    expect(page).toContain('Acme');
    for (const h of [
      'Performance over time',
      'Intervention level',
      'Improvement plan',
      'Commentary',
    ])
      expect(page).toMatch(new RegExp(`<h2 class="govuk-heading-m" id="[^"]+">${h}</h2>`));
    // The manager writes the commentary; the lock state of each month shows.
    expect(page).toContain('name="commentary"');
    expect(page).toMatch(/govuk-tag--(green|blue|grey|yellow)">(Open|Locked|Closed|Reopened)</);
    expect(page).toContain('January 2025 to March 2025');
    for (const h of ['Against profile', 'Standards', 'Payments due', 'Returns'])
      expect(page).toMatch(new RegExp(`<h2 class="govuk-heading-m" id="[^"]+">${h}</h2>`));
    expect(page).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--s">Measures against profile, Q4 2024/25</caption>',
    );
    // Referrals: 6 in the quarter against 20 profiled (30%), 6 of 20 to date, red.
    expect(page).toMatch(
      /<td class="govuk-table__cell">Referrals<\/td><td[^>]*>6<\/td><td[^>]*>20<\/td><td[^>]*>30%<\/td><td[^>]*>6<\/td><td[^>]*>20<\/td><td[^>]*>30%<\/td><td[^>]*><strong class="govuk-tag govuk-tag--red">Red: below 85% of profile<\/strong><\/td>/,
    );
    // First contact within 10 days: all 6 of 6 in January.
    expect(page).toMatch(/<td[^>]*>6<\/td><td[^>]*>6<\/td><td[^>]*>100%<\/td>/);
    // Payments: six starts in January at £300 each.
    expect(page).toContain('£1,800 due for the quarter; £1,800 due from the start of the contract');
    // Returns: January on time; February and March missing.
    expect(page).toContain('1 of 3 returns due in the quarter came on time.');
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('defaults to the newest complete quarter in the marts', async () => {
    // plp-test's marts hold October 2024 to January 2025: the last complete quarter is Q3 2024/25.
    const { status, page } = await get('acme-user', '/contracts/plp-test/review');
    expect(status).toBe(200);
    expect(page).toContain('Provider Performance Review: Acme Employment, Q3 2024/25');
  });

  it('says a bad quarter is a bad request', async () => {
    const { status, page } = await get('acme-user', '/contracts/plp-test/review?quarter=2025-Q5');
    expect(status).toBe(400);
    expect(page).toContain('like 2025-26-Q4');
    expect(
      (await get('acme-user', '/contracts/plp-test/review?quarter=%3Cscript%3E')).page,
    ).not.toContain('<script>');
  });

  it('is kept once drawn, and drawn again when the commentary changes', async () => {
    // Kept in the page cache (ADR 049): the second view adds nothing to it; the commentary is
    // read at every request and is part of the key, so a new one is a new page, not the old.
    const url = '/contracts/plp-test/review?quarter=2024-25-Q3';
    const first = (await get('cm-north', url)).page;
    expect(first).toContain('The contract manager has written no commentary for Q3 2024/25 yet.');
    const kept = cachedBytes();
    expect((await get('cm-north', url)).page).toBe(first);
    expect(cachedBytes()).toBe(kept);
    const written = await writeCommentary(
      f.pipeline.store,
      { contractId: 'plp-test', quarter: '2024-25-Q3', text: 'Referrals behind.', by: 'cm-north' },
      new Date('2026-11-26T10:00:00Z'),
    );
    expect(written.ok).toBe(true);
    const after = (await get('cm-north', url)).page;
    expect(after).toContain('<p class="govuk-body">Referrals behind.</p>');
    expect(after).not.toContain('has written no commentary for Q3 2024/25');
    expect(cachedBytes()).toBeGreaterThan(kept);
    // The provider does not write it: its page is its own, without the form.
    const provider = (await get('acme-user', url)).page;
    expect(provider).toContain('<p class="govuk-body">Referrals behind.</p>');
    expect(provider).not.toContain('name="commentary"');
  });

  it('is refused to commissioners and to other providers', async () => {
    expect((await get('comm', '/contracts/plp-test/review?quarter=2025-Q1')).status).toBe(403);
    expect((await get('north-user', '/contracts/plp-test/review?quarter=2025-Q1')).status).toBe(
      403,
    );
  });
});

describe('quarters', () => {
  it('parses YYYY-Qn and finds the newest complete one', () => {
    // Financial-year quarters: Q1 is April to June.
    expect(parseQuarter('2025-26-Q4')).toEqual({
      id: '2025-26-Q4',
      label: 'Q4 2025/26',
      from: '2026-01',
      to: '2026-03',
    });
    expect(parseQuarter('2024-25-Q1')).toEqual({
      id: '2024-25-Q1',
      label: 'Q1 2024/25',
      from: '2024-04',
      to: '2024-06',
    });
    expect(parseQuarter('2099-00-Q3')?.label).toBe('Q3 2099/00');
    // A calendar quarter in the old form is its three months.
    expect(parseQuarter('2025-Q1')).toEqual(parseQuarter('2024-25-Q4'));
    expect(parseQuarter('2024-Q4')?.id).toBe('2024-25-Q3');
    expect(parseQuarter('2025-27-Q1')).toBeNull();
    expect(parseQuarter('2025-Q0')).toBeNull();
    expect(parseQuarter('2025Q1')).toBeNull();
    expect(newestCompleteQuarter(['2024-10', '2024-11', '2024-12', '2025-01'])).toBe('2024-25-Q3');
    expect(newestCompleteQuarter(['2025-01'])).toBe('2024-25-Q4');
    expect(newestCompleteQuarter([])).toBeNull();
  });
});
