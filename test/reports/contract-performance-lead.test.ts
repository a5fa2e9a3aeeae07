import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrMeasures } from '../../pipelines/demo/vr-measures.js';
import { parseReferenceData } from '../../pipelines/reference/load.js';
import type { ReferenceData } from '../../pipelines/reference/schema.js';
import { openCurated, type CuratedDb } from '../../pipelines/transform/query.js';
import {
  contractPageParams,
  contractPerformance,
} from '../../reports/pages/contract-performance/index.js';
import { renderPage } from '../../reports/page.js';
import { pipelineWith, type PipelineFixture } from '../fixtures/pipeline.js';
import { testReference } from '../fixtures/reference.js';
import { participant } from '../fixtures/returns.js';
import { assertWellFormed, tableRows, textOf } from './markup.js';

/**
 * The contract page leads with what matters (issue 13): thresholds on every RAG tag, why a
 * measure is off profile as a funnel, standards too early to judge, and for the vocational
 * rehabilitation service its own outcomes (issue 11.5). Worked by hand from one return each,
 * for 2025-03, so "now" is the end of March 2025 whatever the clock says.
 *
 * plp-test (RAG: green from 95%, amber from 85%), a standard "at least 60% of job entries last
 * 13 weeks" (a 13-week job is 91 days after it starts):
 *
 *   A-1 referred 2024-10-01, started 2024-10-08, job 2024-10-20, lasted 13 weeks 2025-01-20
 *   A-2 referred 2024-10-02, started 2024-10-09, job 2024-11-05
 *   A-3 referred 2024-11-01, started 2024-11-10, job 2025-01-15
 *   A-6 referred 2024-12-02, started 2024-12-09
 *   A-7 referred 2025-01-06, started 2025-01-13
 *   A-4 referred 2025-02-03, started 2025-02-10, job 2025-03-10
 *   A-5 referred 2025-03-03
 *
 * Referrals 7 against a profile of 8 (2, 2, 2, 1, 1 from October): 87.5%, amber. Starts 6
 * against 6 (1 a month): 100%, green, 6 of 7 referrals (85.7%) against 6 of 8 (75%) planned.
 * Job entries 4 against 5 (1 a month from November): 80%, red; 4 of 6 starts (66.7%) against
 * 5 of 6 (83.3%) planned, 80% of the plan: starts are on profile, so the shortfall is in going on.
 *
 * The 13-week standard by month of job entry: October 1 of 1, November 0 of 1 (both have had
 * 91 days: 30 November + 91 days is 1 March), January 0 of 1 and March 0 of 1 (not yet).
 * March: too early to tell, not "0 of 1, Not met". To date: 1 of 2 = 50%, not met, with 2
 * people too early to tell, from January 2025 (the mart's own to date would say 1 of 4).
 */
const none = { first_contact_date: '', start_date: '' };
const plpRows = [
  participant({
    ...none,
    participant_id: 'A-1',
    referral_date: '2024-10-01',
    start_date: '2024-10-08',
    job_entry_date: '2024-10-20',
    sustained_13_weeks_date: '2025-01-20',
  }),
  participant({
    ...none,
    participant_id: 'A-2',
    referral_date: '2024-10-02',
    start_date: '2024-10-09',
    job_entry_date: '2024-11-05',
  }),
  participant({
    ...none,
    participant_id: 'A-3',
    referral_date: '2024-11-01',
    start_date: '2024-11-10',
    job_entry_date: '2025-01-15',
  }),
  participant({
    ...none,
    participant_id: 'A-6',
    referral_date: '2024-12-02',
    start_date: '2024-12-09',
  }),
  participant({
    ...none,
    participant_id: 'A-7',
    referral_date: '2025-01-06',
    start_date: '2025-01-13',
  }),
  participant({
    ...none,
    participant_id: 'A-4',
    referral_date: '2025-02-03',
    start_date: '2025-02-10',
    job_entry_date: '2025-03-10',
  }),
  participant({ ...none, participant_id: 'A-5', referral_date: '2025-03-03' }),
];

/**
 * vrs-test, with the demo VR programme's measures:
 *
 *   V-1 at work,  referred 2024-10-07, assessed 2024-10-14 (7 days),  discharged 2025-01-10 at work,  4 contacts
 *   V-2 at work,  referred 2024-10-08, assessed 2024-10-20 (12 days), discharged 2025-02-03 off sick, 6 contacts
 *   V-3 off sick, referred 2024-11-04, assessed 2024-11-05 (1 day),   discharged 2025-02-14 at work,  5 contacts
 *   V-4 off sick, referred 2024-11-05, assessed 2024-11-25 (20 days), still open
 *
 * Job retention 1 of 2 (50%); return to work 1 of 1 (100%); in work at discharge, of those in
 * a job when referred, 2 of 3 (66.7%). Assessed within 10 days: 2 of 4 (50%), median 9.5 days,
 * below the 80% standard. Length of stay 95, 118 and 102 days: mean 315 ÷ 3 ÷ 7 = 15 weeks.
 * Contacts: 15 ÷ 3 = 5 per person.
 */
const vr = (
  id: string,
  status: string,
  referral: string,
  start: string,
  exit: string,
  exitStatus: string,
  contacts: string,
) =>
  participant({
    participant_id: id,
    engagement: 'voluntary',
    benefit: 'none',
    work_status_at_referral: status,
    referral_date: referral,
    first_contact_date: referral,
    start_date: start,
    exit_date: exit,
    exit_reason: exit ? (exitStatus === 'at_work' ? 'stayed_in_work' : 'ill_health') : '',
    work_status_at_exit: exitStatus,
    contact_count: contacts,
  });
const vrsRows = [
  vr('V-1', 'at_work', '2024-10-07', '2024-10-14', '2025-01-10', 'at_work', '4'),
  vr('V-2', 'at_work', '2024-10-08', '2024-10-20', '2025-02-03', 'off_sick', '6'),
  vr('V-3', 'off_sick', '2024-11-04', '2024-11-05', '2025-02-14', 'at_work', '5'),
  vr('V-4', 'off_sick', '2024-11-05', '2024-11-25', '', '', '2'),
];

function reference(): ReferenceData {
  const r = testReference();
  const profile = (measure_id: string, period: string, target: number) => ({
    contract_id: 'plp-test',
    measure_id,
    period,
    target,
  });
  const months = ['2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];
  return parseReferenceData({
    ...r,
    programmes: r.programmes.map((p) =>
      p.id === 'plp'
        ? {
            ...p,
            standards: [
              ...p.standards,
              {
                kind: 'min_share',
                id: 'sustained_13_60_percent',
                label: 'At least 60% of job entries last 13 weeks',
                numerator: 'sustained_13_weeks_date',
                denominator: 'job_entry_date',
                min_rate: 0.6,
              },
            ],
          }
        : p.id === 'vrs'
          ? { ...p, journey_measures: vrMeasures }
          : p,
    ),
    profiles: [
      ...[2, 2, 2, 1, 1].map((t, i) => profile('referrals', months[i]!, t)),
      ...months.map((m) => profile('starts', m, 1)),
      ...months.slice(1).map((m) => profile('job_entries', m, 1)),
    ],
  });
}

let pipeline: PipelineFixture;
let db: CuratedDb;
beforeAll(async () => {
  pipeline = await pipelineWith(reference(), [
    { contractId: 'plp-test', period: '2025-03', rows: plpRows },
    { contractId: 'vrs-test', period: '2025-03', rows: vrsRows },
  ]);
  db = await openCurated(pipeline.store);
});
afterAll(() => db?.close());

async function page(id: string): Promise<string> {
  const contract = pipeline.reference.contracts.find((c) => c.id === id)!;
  const html = (
    await renderPage(contractPerformance, db, {
      params: contractPageParams(contract, pipeline.reference),
    })
  ).toString();
  assertWellFormed(html);
  return html;
}

const section = (html: string, id: string) =>
  new RegExp(
    `<div class="govuk-tabs__panel[^"]*" id="${id}">([\\s\\S]*?)</div>\\n(?=<div class="govuk-tabs__panel|</div>)`,
  ).exec(html)?.[1] ?? '';

describe('the contract page leads with what matters', () => {
  it('names the contract, and leads with figures and charts before any long table', async () => {
    const html = await page('plp-test');
    expect(html).toContain('<title>Performance: Provider-led Pathways to Work');
    const text = textOf(html);
    expect(text).toContain('(Acme Employment)');
    expect(text).not.toContain('Contract plp-test');
    const figures = html.indexOf('outturn-figures');
    const chart = html.indexOf('outturn-chart');
    const monthly = html.indexOf('Performance by month and measure');
    expect(figures).toBeGreaterThan(0);
    expect(chart).toBeGreaterThan(figures);
    expect(monthly).toBeGreaterThan(chart);
    // A chart for each profiled measure, job entries too, not only referrals.
    expect(html).toContain('Referrals: actual against profile, cumulative');
    expect(html).toContain('Starts: actual against profile, cumulative');
    expect(html).toContain('Job entries: actual against profile, cumulative');
    // The long tables behind tabs: a list of links to anchored sections, no script.
    expect(html).toMatch(/<a class="govuk-tabs__tab" href="#standards">Standards<\/a>/);
    expect(html).toMatch(/<a class="govuk-tabs__tab" href="#by-month">Every measure by month<\/a>/);
    expect(html).not.toMatch(/<script/i);
  });

  it('says the threshold on every RAG tag', async () => {
    const html = await page('plp-test');
    const figures = /<dl class="outturn-figures">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
    expect(textOf(figures)).toBe(
      'Referrals 87.5% 7 actual of 8 profiled to date Amber: 85% to under 95% of profile ' +
        'Starts 100% 6 actual of 6 profiled to date Green: 95% of profile or more ' +
        'Job entries 80% 4 actual of 5 profiled to date Red: below 85% of profile',
    );
    const tags = [
      ...html.matchAll(/<strong class="govuk-tag govuk-tag--(?:red|yellow|green)">([^<]*)</g),
    ];
    expect(tags.length).toBeGreaterThan(6);
    for (const [, words] of tags) expect(words).toMatch(/^(Green|Amber|Red): .*of profile/);
    expect(textOf(html)).toContain(
      'Green: 95% of profile or more. Amber: 85% to under 95% of profile. Red: below 85% of profile.',
    );
  });

  it('says why a measure is off profile, as a funnel of the profiled steps', async () => {
    const html = await page('plp-test');
    const table =
      /<table class="govuk-table">\s*<caption[^>]*>Each step to date against its profile[\s\S]*?<\/table>/.exec(
        html,
      )?.[0] ?? '';
    expect(tableRows(table)).toEqual([
      ['Referrals', '7', '8', '87.5%', 'Amber: 85% to under 95% of profile', '– none', '– none'],
      ['Starts', '6', '6', '100%', 'Green: 95% of profile or more', '85.7%', '75%'],
      ['Job entries', '4', '5', '80%', 'Red: below 85% of profile', '66.7%', '83.3%'],
    ]);
    const text = textOf(html);
    expect(text).toContain(
      'Referrals: 87.5% of profile (Amber: 85% to under 95% of profile). Fewer than planned have reached this first step',
    );
    expect(text).toContain(
      'Job entries: 80% of profile (Red: below 85% of profile). Starts are at 100% of profile, and 66.7% of them have gone on to job entries against 83.3% in the profile (80% of the plan). The step before is on profile: the shortfall is in how many go on from starts.',
    );
  });

  it('says a standard is too early to tell for people who have not had the time', async () => {
    const html = await page('plp-test');
    const standards = section(html, 'standards');
    const row = tableRows(standards).find(
      (r) => r[0] === 'At least 60% of job entries last 13 weeks',
    );
    // March: 0 of 1 is too early, not "Not met"; to date 1 of 2 over the months that have had 13 weeks.
    expect(row).toEqual([
      'At least 60% of job entries last 13 weeks',
      '0',
      '1',
      '– none',
      'at least',
      '60%',
      'Too early to tell',
      '1',
      '2',
      '50%',
      'Not met',
      '2',
    ]);
    expect(textOf(standards)).toContain(
      'At least 60% of job entries last 13 weeks: too early to tell for 2 people. These people started work from January 2025, and have not all had 13 weeks by the end of March 2025.',
    );
  });
});

describe('a referral cohort too young to judge', () => {
  it('says "Too early to tell" for a cohort whose job entries have not had 26 weeks, not 0%', async () => {
    // plp-test pays on 26 weeks: October's 2 job entries (20 October, 5 November) cannot have
    // lasted 182 days by 31 March 2025, so none is old enough to sustain.
    const rows = tableRows(section(await page('plp-test'), 'funnel'));
    expect(rows.find((r) => r[0] === 'October 2024')).toEqual([
      'October 2024',
      '2',
      '2',
      '100%',
      '2',
      '100%',
      '0',
      '0',
      'Too early to tell',
    ]);
    // A cohort with no job entries has nothing to sustain: no figure, not "too early".
    expect(rows.find((r) => r[0] === 'December 2024')?.[8]).toBe('– none');
  });
});

describe('the vocational rehabilitation contract leads with its own outcomes', () => {
  it('shows retention, return to work, time to assessment, length of stay and contacts', async () => {
    const html = await page('vrs-test');
    const outcomes = html.slice(html.indexOf('Outcomes to date'));
    const figures = /<dl class="outturn-figures">([\s\S]*?)<\/dl>/.exec(outcomes)?.[1] ?? '';
    const text = textOf(figures);
    expect(text).toContain('Job retention 50% 1 of 2');
    expect(text).toContain('Return to work 100% 1 of 1');
    expect(text).toContain('In work at discharge (employed at referral) 66.7% 2 of 3');
    expect(text).toContain(
      'Time from referral to assessment 50% 2 of 4 Within 10 days of referral; median 9.5 days',
    );
    expect(text).toContain('does not meet its standard');
    expect(text).toContain('Length of stay 15 Mean, weeks, of 3 people');
    expect(text).toContain('Contacts per person 5 Mean, per person, of 3 people');
    // No job-entry count judged against a profile it was never set.
    expect(textOf(html)).not.toMatch(/0 of \d+ .*Red/);
  });
});
