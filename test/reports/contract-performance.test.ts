import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReferenceData } from '../../pipelines/reference/load.js';
import { openCurated, type CuratedDb } from '../../pipelines/transform/query.js';
import { readFirstSheet } from '../../pipelines/xlsx/read.js';
import { contractPerformance } from '../../reports/pages/contract-performance/index.js';
import { renderDownload, renderPage, runQueries } from '../../reports/page.js';
import { pipelineWith, type PipelineFixture } from '../fixtures/pipeline.js';
import { testReference } from '../fixtures/reference.js';
import { participant } from '../fixtures/returns.js';
import { assertWellFormed, tableRows, textOf } from './markup.js';

/**
 * One contract (plp-test, term from 2024-10), one return for 2025-03 holding everyone:
 *
 *   P-1 referred 2025-01-06, started 2025-01-20, job entry 2025-03-10
 *   P-2 referred 2025-01-15, started 2025-02-03
 *   P-3 referred 2025-01-28
 *   P-4 referred 2025-02-10, started 2025-02-24
 *   P-5 referred 2025-03-03
 *
 * Referrals: Jan 3, Feb 1, Mar 1 (cumulative 3, 4, 5) against a profile of Jan 2, Feb 2,
 * Mar 2 (cumulative 2, 4, 6). March: 1 of 2 = 50%; to date 5 of 6 = 83.3%, which is red
 * (below the programme's amber threshold of 85%). Starts: 1, 2, 0 against a profile of 1 a
 * month: to date 3 of 3 = 100%, green. Job entries are not profiled in this test: 1 to date.
 */
const none = { first_contact_date: '', start_date: '' };
const rows = [
  participant({
    ...none,
    participant_id: 'P-1',
    referral_date: '2025-01-06',
    start_date: '2025-01-20',
    job_entry_date: '2025-03-10',
  }),
  participant({
    ...none,
    participant_id: 'P-2',
    referral_date: '2025-01-15',
    start_date: '2025-02-03',
  }),
  participant({ ...none, participant_id: 'P-3', referral_date: '2025-01-28' }),
  participant({
    ...none,
    participant_id: 'P-4',
    referral_date: '2025-02-10',
    start_date: '2025-02-24',
  }),
  participant({ ...none, participant_id: 'P-5', referral_date: '2025-03-03' }),
];

function reference() {
  const r = testReference();
  const profile = (measure_id: string, period: string, target: number) => ({
    contract_id: 'plp-test',
    measure_id,
    period,
    target,
  });
  return parseReferenceData({
    ...r,
    profiles: [
      profile('referrals', '2025-01', 2),
      profile('referrals', '2025-02', 2),
      profile('referrals', '2025-03', 2),
      profile('starts', '2025-01', 1),
      profile('starts', '2025-02', 1),
      profile('starts', '2025-03', 1),
    ],
  });
}

let pipeline: PipelineFixture;
let db: CuratedDb;
beforeAll(async () => {
  pipeline = await pipelineWith(reference(), [{ contractId: 'plp-test', period: '2025-03', rows }]);
  db = await openCurated(pipeline.store);
});
afterAll(() => db?.close());

const params = {
  contract: 'plp-test',
  title: 'Provider-led Pathways to Work, Test District (Acme Employment)',
  green_from: 0.95,
  amber_from: 0.85,
  waits: '',
};
const context = {
  params,
  downloadHref: (page: string, table: string, format: string) =>
    `/reports/${page}/${table}.${format}?contract=plp-test`,
};

describe('contract performance page', () => {
  it('renders a whole, well-formed page with no script', async () => {
    const page = (await renderPage(contractPerformance, db, context)).toString();
    assertWellFormed(page);
    expect(page).toContain(
      '<title>Performance: Provider-led Pathways to Work, Test District (Acme Employment) – Outturn</title>',
    );
    expect(page).not.toMatch(/<script/i);
    expect(textOf(page)).toContain('Figures to the end of March 2025');
  });

  it('leads with each profiled measure to date: percentage, numerator and denominator, RAG and its threshold', async () => {
    const page = (await renderPage(contractPerformance, db, context)).toString();
    const figures = /<dl class="outturn-figures">([\s\S]*?)<\/dl>/.exec(page)?.[1] ?? '';
    expect(textOf(figures)).toBe(
      'Referrals 83.3% 5 actual of 6 profiled to date Red: below 85% of profile ' +
        'Starts 100% 3 actual of 3 profiled to date Green: 95% of profile or more',
    );
  });

  it('charts each profiled measure to date against profile, with the numbers alongside', async () => {
    const page = (await renderPage(contractPerformance, db, context)).toString();
    const figure = /<figure class="outturn-chart">[\s\S]*?<\/figure>/.exec(page)?.[0] ?? '';
    expect(figure).toContain('By March 2025: 5 actual against 6 profiled (83.3%).');
    expect(figure).toMatch(/<svg[\s\S]*>Actual<\/text>[\s\S]*>Profile<\/text>/);
    // Months from the start of the term; profile blank before it begins.
    expect(tableRows(figure)).toEqual([
      ['Oct 2024', '0', '– none'],
      ['Nov 2024', '0', '– none'],
      ['Dec 2024', '0', '– none'],
      ['Jan 2025', '3', '2'],
      ['Feb 2025', '4', '4'],
      ['Mar 2025', '5', '6'],
    ]);
    expect(page).toContain('Starts: actual against profile, cumulative');
    // Job entries have no profile here: counted to date in a table, not judged.
    expect(page).not.toContain('Job entries: actual against profile');
    const other =
      /<caption[^>]*>Measures without a profile, to date[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    expect(tableRows(other)).toEqual([['Job entries', '1']]);
  });

  it('tabulates performance, newest month first, with download links', async () => {
    const page = (await renderPage(contractPerformance, db, context)).toString();
    const table =
      /<table class="govuk-table">\s*<caption[^>]*>Performance by month and measure[\s\S]*?<\/table>/.exec(
        page,
      )?.[0] ?? '';
    expect(tableRows(table).slice(0, 3)).toEqual([
      [
        'March 2025',
        'Referrals',
        '1',
        '2',
        '-1',
        '50%',
        '5',
        '6',
        '83.3%',
        'Red: below 85% of profile',
      ],
      [
        'March 2025',
        'Starts',
        '0',
        '1',
        '-1',
        '0%',
        '3',
        '3',
        '100%',
        'Green: 95% of profile or more',
      ],
      [
        'March 2025',
        'Job entries',
        '1',
        '– none',
        '– none',
        '– none',
        '1',
        '– none',
        '– none',
        'No profile',
      ],
    ]);
    expect(page).toContain(
      'href="/reports/contract-performance/performance.csv?contract=plp-test" download',
    );
    expect(page).toContain(
      'href="/reports/contract-performance/performance.xlsx?contract=plp-test" download',
    );
  });

  it('downloads the same table as CSV and XLSX', async () => {
    const csv = new TextDecoder().decode(
      (await renderDownload(contractPerformance, db, context, 'performance', 'csv')).body,
    );
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'Month,Measure,Actual,Profile,Variance,% of profile,Actual to date,Profile to date,% of profile to date,RAG status',
    );
    expect(lines[1]).toBe('2025-03,Referrals,1,2,-1,0.5,5,6,0.8333333333333334,red');
    const xlsx = readFirstSheet(
      (await renderDownload(contractPerformance, db, context, 'performance', 'xlsx')).body,
    );
    if (!xlsx.ok) throw new Error(xlsx.problem.message);
    expect(xlsx.rows[1]).toEqual([
      '2025-03',
      'Referrals',
      '1',
      '2',
      '-1',
      '0.5',
      '5',
      '6',
      '0.8333333333333334',
      'red',
    ]);
    await expect(renderDownload(contractPerformance, db, context, 'nope', 'csv')).rejects.toThrow(
      /no table called nope/,
    );
  });

  it('binds the contract as a parameter, so a crafted id matches nothing', async () => {
    const results = await runQueries(contractPerformance, db, {
      params: { ...params, contract: "plp-test' or '1'='1" },
    });
    expect(results.performance.rows).toEqual([]);
    const page = (
      await renderPage(contractPerformance, db, {
        params: { ...params, contract: '<b>x</b>', title: '<b>x</b>' },
      })
    ).toString();
    expect(page).toContain('There are no figures for this contract yet.');
    expect(page).toContain('<span class="govuk-caption-l">&lt;b&gt;x&lt;/b&gt;</span>');
    assertWellFormed(page);
  });
});
