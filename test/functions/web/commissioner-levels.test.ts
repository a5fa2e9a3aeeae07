/**
 * Commissioners see each contract's intervention level (ADR 039, issue 14), from
 * suppressed_intervention_levels through their restricted engine: on the ranking, on the
 * commissioner's contract page with the months it moved, and in both pages' downloads. Worked
 * by hand in test/fixtures/regime-example.ts: plp-test's referrals are profiled at 2 a month
 * from October 2024, go up a level in January and March 2025 and down in June, ending at level 1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { regimeProfiles, regimeReturns } from '../../fixtures/regime-example.js';
import { NOW, SAME_ORIGIN, SECRET, webReference } from './fixture.js';

let pipeline: PipelineFixture;
let app: ReturnType<typeof createApp>;
const cookies = new Map<string, string>();

beforeAll(async () => {
  const base = webReference();
  pipeline = await pipelineWith(
    parseReferenceData({
      ...base,
      profiles: [...base.profiles.filter((p) => p.contract_id !== 'plp-test'), ...regimeProfiles],
    }),
    regimeReturns,
  );
  app = createApp({ store: pipeline.store, sessionSecret: SECRET, now: () => NOW });
}, 120_000);

async function get(user: string, url: string): Promise<{ status: number; text: string }> {
  if (!cookies.has(user)) {
    const res = await app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user }),
      headers: SAME_ORIGIN,
    });
    cookies.set(user, res.headers.get('set-cookie')!.split(';')[0]!);
  }
  const res = await app.request(url, { headers: { ...SAME_ORIGIN, cookie: cookies.get(user)! } });
  return { status: res.status, text: await res.text() };
}

/** The rows of the table with this caption, each cell's text. */
function tableCells(page: string, caption: string): string[][] {
  const start = page.indexOf(`>${caption}</caption>`);
  expect(start, `a table captioned "${caption}"`).toBeGreaterThan(-1);
  const table = page.slice(start, page.indexOf('</table>', start));
  return (table.split('<tbody')[1]!.match(/<tr[\s\S]*?<\/tr>/g) ?? []).map((tr) =>
    (tr.match(/<t[dh][^>]*>[\s\S]*?<\/t[dh]>/g) ?? []).map((cell) =>
      cell.replace(/<[^>]+>/g, '').trim(),
    ),
  );
}

describe('intervention levels for commissioners', () => {
  it('the published levels are the true ones, without what each month was judged from', async () => {
    const truth = await pipeline.query(
      `select period, level, level_label, change from intervention_levels where contract_id = 'plp-test' order by period`,
    );
    const published = await pipeline.query(
      `select period, level, level_label, change from suppressed_intervention_levels where contract_id = 'plp-test' order by period`,
    );
    expect(published).toEqual(truth);
    expect(published.map((r) => r.level)).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 1]);
    const columns = await pipeline.query(
      `select column_name from information_schema.columns where table_name = 'suppressed_intervention_levels'`,
    );
    const names = columns.map((c) => String(c.column_name));
    for (const judged of ['status', 'measures_judged', 'measures_below', 'below_measures'])
      expect(names).not.toContain(judged);
  });

  it('the ranking gives each contract its level at its newest month, and so does its download', async () => {
    const { status, text } = await get('comm', '/programmes/plp/ranking');
    expect(status).toBe(200);
    const [row] = tableCells(text, 'Providers ranked by job entry rate, highest first');
    expect(row!.slice(1, 4)).toEqual([
      'Acme Employment',
      'Test District',
      'Level 1: performance review',
    ]);
    expect(text).toContain(
      '<strong class="govuk-tag govuk-tag--orange">Level 1: performance review</strong>',
    );
    const csv = await get('comm', '/programmes/plp/ranking?table=ranking&format=csv');
    expect(csv.status).toBe(200);
    const [header, first] = csv.text.trim().split(/\r?\n/);
    expect(header!.split(',').slice(0, 4)).toEqual([
      'Rank',
      'Provider',
      'Area',
      'Intervention level',
    ]);
    expect(first!.split(',')[3]).toBe('Level 1: performance review');
  });

  it('the commissioner’s contract page shows the level now and the months it moved, with a download', async () => {
    const { status, text } = await get('comm', '/contracts/plp-test');
    expect(status).toBe(200);
    // The commissioner's page, read from the suppressed marts, not the contract page's true figures.
    expect(text).toContain('This contract’s figures as commissioners see them.');
    expect(text).toContain(
      '<strong class="govuk-tag govuk-tag--orange">Level 1: performance review</strong> at the end of June 2025.',
    );
    expect(tableCells(text, 'Months the level changed')).toEqual([
      ['January 2025', 'Level 1: performance review', 'Up one level'],
      ['March 2025', 'Level 2: performance improvement plan', 'Up one level'],
      ['June 2025', 'Level 1: performance review', 'Down one level'],
    ]);
    // No link to the improvement plan: a commissioner may not open it.
    expect(text).not.toContain('/contracts/plp-test/plan');
    const csv = await get('comm', '/contracts/plp-test?table=levels&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split(/\r?\n/)).toEqual([
      'Month,Intervention level,Change',
      '2025-01,Level 1: performance review,up',
      '2025-03,Level 2: performance improvement plan,up',
      '2025-06,Level 1: performance review,down',
    ]);
    const plan = await get('comm', '/contracts/plp-test/plan');
    expect(plan.status).toBe(403);
  });
});
