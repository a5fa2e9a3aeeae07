/**
 * The commissioner's programme overview over a small service, through the real pipeline: where
 * a contract's months are mostly too small to show one by one, its trend is drawn by quarter,
 * and the page says so in plain words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ragRuleIn } from '../../reports/names.js';
import { renderPage } from '../../reports/page.js';
import { programmeOverview } from '../../reports/pages/programme-overview/index.js';
import { openCurated, type CuratedDb } from '../../pipelines/transform/query.js';
import { pipelineWith } from '../fixtures/pipeline.js';
import { testReference } from '../fixtures/reference.js';
import { participant, type RowValues } from '../fixtures/returns.js';

/**
 * plp-test, October 2024 to September 2025. Referrals by month, quarter by quarter:
 *   Oct–Dec 2024  3, 2, 4   (9)
 *   Jan–Mar 2025  6, 1, 3   (10)
 *   Apr–Jun 2025  2, 2, 5   (9)
 *   Jul–Sep 2025  8, 3, 6   (17)
 * Every quarter has a month of 1 to 4 (none comes to 1 to 4 itself), so every month is hidden
 * and the cumulative is shown only at the quarters' ends: 9, 19, 28, 45. The only profile is
 * January's 20, so % of profile to date is none for December, then 95%, 140% and 225%.
 */
const referrals = [3, 2, 4, 6, 1, 3, 2, 2, 5, 8, 3, 6];
const months = [
  '2024-10',
  '2024-11',
  '2024-12',
  '2025-01',
  '2025-02',
  '2025-03',
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-07',
  '2025-08',
  '2025-09',
];
const rows: RowValues[] = months.flatMap((period, i) =>
  Array.from({ length: referrals[i]! }, (_, k) =>
    participant({
      participant_id: `Q-${period}-${k + 1}`,
      referral_date: `${period}-${String(k + 2).padStart(2, '0')}`,
      first_contact_date: '',
      start_date: '',
    }),
  ),
);

let db: CuratedDb;
beforeAll(async () => {
  const pipeline = await pipelineWith(
    testReference(),
    [{ contractId: 'plp-test', period: '2025-09', rows }],
    '2025-10-30',
  );
  db = await openCurated(pipeline.store);
});
afterAll(() => db.close());

async function overview(): Promise<string> {
  const page = programmeOverview({
    programme: { id: 'plp', name: 'Provider-led Pathways to Work' },
    profiledMeasures: ['referrals', 'starts', 'job_entries'],
    contracts: [
      {
        id: 'plp-test',
        providerId: 'acme',
        providerName: 'Acme Employment',
        areaCode: 'D01',
        areaName: 'Test District',
      },
    ],
    breakdowns: [],
    filters: { area: '', period: '', breakdown: '', highlight: '' },
    entered: { area: '', period: '', breakdown: '', highlight: '' },
    errors: [],
  });
  return (
    await renderPage(page, db, {
      params: {
        programme: 'plp',
        contracts: 'plp-test',
        providers: 'acme',
        period: '',
        breakdown: '',
      },
      ragRule: ragRuleIn(testReference()),
    })
  ).toString();
}

describe('the programme overview of a small service', () => {
  it('draws the trend by quarter, and says why', async () => {
    const page = await overview();
    expect(page).toContain(
      'Acme Employment (plp-test): in most months the numbers were too small to show one by one, so this contract is shown by quarter, at the end of each quarter.',
    );
    expect(page).toContain('Referrals: % of profile to date, by quarter');
    expect(page).not.toContain('Referrals: % of profile to date, by month');
    // The share of profile at each quarter's end (none for December, which has no profile).
    expect(page).toContain(
      'Acme Employment (plp-test): 95% in Jan to Mar 2025, 140% in Apr to Jun 2025, 225% in Jul to Sept 2025.',
    );
    expect(page).toContain('Oct to Dec 2024');
  });

  it('shows the actual to date, and no month of 1 to 4', async () => {
    const page = await overview();
    expect(page).toMatch(/Referrals<\/td><td[^>]*>September 2025<\/td><td[^>]*>45<\/td>/);
    const { rows: hidden } = await db.query(
      `select count(*) filter (where actual is null)::integer as hidden, count(*)::integer as months
       from suppressed_performance where contract_id = 'plp-test' and measure_id = 'referrals'`,
    );
    expect(hidden).toEqual([{ hidden: 12, months: 12 }]);
  });

  it('says the threshold on each RAG tag, from the programme’s rule in the reference data', async () => {
    const page = await overview();
    // plp's rule: green from 95% of profile, amber from 85%. Referrals, September 2025: 45 of
    // 20 profiled, 225%, green. Starts and job entries have no profile, so no status to judge.
    expect(page).toMatch(
      /Referrals<\/td><td[^>]*>September 2025<\/td><td[^>]*>45<\/td><td[^>]*>20<\/td><td[^>]*>225%<\/td><td[^>]*><strong class="govuk-tag govuk-tag--green">Green: 95% of profile or more<\/strong>/,
    );
    expect(page).toContain('<strong class="govuk-tag govuk-tag--grey">No profile</strong>');
    expect(page).not.toMatch(/>(Red|Amber|Green)<\/strong>/);
  });
});
