import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { contractPerformance } from '../../../reports/pages/contract-performance/index.js';
import { inflateText } from '../../../pipelines/xlsx/inflate.js';
import { inspectZip } from '../../../pipelines/xlsx/zip-guard.js';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { pipelineWith } from '../../fixtures/pipeline.js';
import { participants } from '../../fixtures/returns.js';
import {
  NOW,
  SAME_ORIGIN,
  SECRET,
  webFixture,
  webReference,
  type WebFixture,
  type Who,
} from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
}, 60_000);

async function get(who: Who, url: string) {
  const res = await f.app.request(url, { headers: await f.as(who, url) });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/** The first worksheet's XML, to see how each cell is typed. */
function sheetXml(bytes: Uint8Array): string {
  const zip = inspectZip(bytes);
  if (!zip.ok) throw new Error('not a zip');
  const entry = zip.entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
  const out = inflateText(bytes, entry, { remaining: 10_000_000 });
  if (!('text' in out)) throw new Error('not inflated');
  return out.text;
}

describe('contract table downloads', () => {
  it('gives the performance table as CSV, with a byte order mark, an attachment name and the true figures', async () => {
    const { res, bytes } = await get(
      'acme-user',
      '/contracts/plp-test?table=performance&format=csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="plp-test-performance.csv"',
    );
    const lines = text(bytes).split(/\r?\n/);
    expect(lines[0]).toBe(
      '\uFEFFMonth,Measure,Actual,Profile,Variance,% of profile,Actual to date,Profile to date,% of profile to date,RAG status',
    );
    // January 2025: 6 referrals against a profile of 20, variance −14, 30%, red. The −14 is a number: no `'`.
    expect(lines[1]).toBe('2025-01,Referrals,6,20,-14,0.3,6,20,0.3,red');
  });

  it('gives the same table as XLSX, numbers as numbers (−14 is not made text) and words as inline text', async () => {
    const { res, bytes } = await get(
      'cm-north',
      '/contracts/plp-test?table=performance&format=xlsx',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="plp-test-performance.xlsx"',
    );
    const sheet = readFirstSheet(bytes);
    if (!sheet.ok) throw new Error(sheet.problem.message);
    expect(sheet.rows[0]).toEqual([
      'Month',
      'Measure',
      'Actual',
      'Profile',
      'Variance',
      '% of profile',
      'Actual to date',
      'Profile to date',
      '% of profile to date',
      'RAG status',
    ]);
    expect(sheet.rows[1]).toEqual([
      '2025-01',
      'Referrals',
      '6',
      '20',
      '-14',
      '0.3',
      '6',
      '20',
      '0.3',
      'red',
    ]);
    const xml = sheetXml(bytes);
    expect(xml).toMatch(/<c r="E2"[^>]*><v>-14<\/v><\/c>/);
    expect(xml).toMatch(/<c r="B2"[^>]*t="inlineStr"><is><t[^>]*>Referrals<\/t>/);
  });

  it('offers every table the contract page declares, in both formats', async () => {
    const tables = Object.keys(contractPerformance.tables ?? {});
    expect(tables).toContain('performance');
    for (const table of tables)
      for (const format of ['csv', 'xlsx']) {
        const { res } = await get('admin', `/contracts/plp-test?table=${table}&format=${format}`);
        expect(res.status, `${table}.${format}`).toBe(200);
        expect(res.headers.get('content-disposition')).toBe(
          `attachment; filename="plp-test-${table}.${format}"`,
        );
      }
  });

  it('gives commissioners the contract’s suppressed figures, never the true ones', async () => {
    const { res, bytes } = await get('comm', '/contracts/vrs-south?table=performance&format=csv');
    expect(res.status).toBe(200);
    const rows = text(bytes).split(/\r?\n/).filter(Boolean);
    // vrs-south's 3 referrals: "[c]", not 3.
    expect(rows[1]).toBe('Referrals,2025-01,[c],,,');
    expect(rows.slice(1).some((r) => /(^|,)3(,|$)/.test(r))).toBe(false);
  });

  it('answers 404 for an unknown table and 400 for an unknown format, as pages', async () => {
    const table = await get('admin', '/contracts/plp-test?table=nothing&format=csv');
    expect(table.res.status).toBe(404);
    expect(text(table.bytes)).toContain('There is no table called');
    expect(text(table.bytes)).toContain('nothing');
    const format = await get('admin', '/contracts/plp-test?table=performance&format=pdf');
    expect(format.res.status).toBe(400);
    expect(text(format.bytes)).toContain('Downloads are CSV or XLSX');
  });
});

describe('programme table downloads', () => {
  it('gives the suppressed figures only: vrs-south’s 3 referrals and 3 starts are “[c]”', async () => {
    const perf = await get('comm', '/programmes/vrs?table=performance&format=csv');
    expect(perf.res.status).toBe(200);
    expect(perf.res.headers.get('content-disposition')).toBe(
      'attachment; filename="vrs-performance.csv"',
    );
    expect(text(perf.bytes).split(/\r?\n/).slice(0, 2)).toEqual([
      '\uFEFFArea,Provider,Contract,Measure,Month,Actual to date,Profile to date,% of profile to date (%),RAG status',
      'South District (D02),North NHS Trust,vrs-south,Referrals,2025-01,[c],,,',
    ]);
    const outcomes = await get('comm', '/programmes/vrs?table=outcomes&format=csv');
    expect(text(outcomes.bytes).split(/\r?\n/)[1]).toBe(
      'South District (D02),North NHS Trust,vrs-south,[c],0,,,,0,',
    );
    for (const body of [perf.bytes, outcomes.bytes]) expect(text(body)).not.toMatch(/,3,/);
  });

  it('has the page’s rows (its profiled measures), a plain count as a plain number', async () => {
    const { bytes } = await get('comm', '/programmes/plp?table=performance&format=csv');
    // plp-test, January 2025: 6 referrals of a profile of 20, 30% (as a percentage), red; 6 starts and 0 job entries, with no profile set.
    const lines = text(bytes).split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toContain(',% of profile to date (%),');
    expect(lines.slice(1)).toEqual([
      'Test District (D01),Acme Employment,plp-test,Referrals,2025-01,6,20,30,red',
      'Test District (D01),Acme Employment,plp-test,Starts,2025-01,6,,,',
      'Test District (D01),Acme Employment,plp-test,Job entries,2025-01,0,,,',
    ]);
  });

  it('gives a plain count as a number in XLSX, and a suppressed one as the text “[c]”', async () => {
    const plp = await get('comm', '/programmes/plp?table=outcomes&format=xlsx');
    expect(plp.res.headers.get('content-disposition')).toBe(
      'attachment; filename="plp-outcomes.xlsx"',
    );
    // plp-test: 6 starts (a number), 0 job entries, rate 0, interval 0% to 39%.
    expect(sheetXml(plp.bytes)).toMatch(/<c r="D2"[^>]*><v>6<\/v><\/c>/);
    const vrs = await get('admin', '/programmes/vrs?table=outcomes&format=xlsx');
    expect(sheetXml(vrs.bytes)).toMatch(/<c r="D2"[^>]*t="inlineStr"><is><t[^>]*>\[c\]<\/t>/);
  });

  it('gives timeliness and a breakdown, which needs ?breakdown=', async () => {
    const timely = await get('comm', '/programmes/plp?table=timeliness&format=csv');
    expect(text(timely.bytes).split(/\r?\n/)[1]).toBe('Acme Employment,1,25,1,4,1,4,0,24');
    const bySex = await get('comm', '/programmes/vrs?table=breakdown&format=csv&breakdown=sex');
    expect(bySex.res.headers.get('content-disposition')).toBe(
      'attachment; filename="vrs-breakdown-sex.csv"',
    );
    expect(text(bySex.bytes)).toContain(
      'South District (D02),North NHS Trust,vrs-south,female,[c],0,,',
    );
    const none = await get(
      'comm',
      '/programmes/vrs?table=breakdown&format=csv&breakdown=shoe_size',
    );
    expect(none.res.status).toBe(400);
    expect(text(none.bytes)).toContain('Say which breakdown to download');
  });
});

describe('formula injection, end to end', () => {
  it('a measure label that starts with = reaches the CSV and XLSX as text with a leading apostrophe', async () => {
    const base = webReference();
    const reference = parseReferenceData({
      ...base,
      programmes: base.programmes.map((p) =>
        p.id === 'plp'
          ? {
              ...p,
              measures: p.measures.map((m) =>
                m.id === 'referrals' ? { ...m, label: '=HYPERLINK("http://evil","Referrals")' } : m,
              ),
            }
          : p,
      ),
    });
    const pipeline = await pipelineWith(reference, [
      { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    ]);
    const app = createApp({ store: pipeline.store, sessionSecret: SECRET, now: () => NOW });
    const signIn = await app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'admin' }),
      headers: SAME_ORIGIN,
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const csv = await (
      await app.request('/contracts/plp-test?table=performance&format=csv', { headers: { cookie } })
    ).text();
    expect(csv.split(/\r?\n/)[1]).toBe(
      `2025-01,"'=HYPERLINK(""http://evil"",""Referrals"")",6,20,-14,0.3,6,20,0.3,red`,
    );
    const xlsx = new Uint8Array(
      await (
        await app.request('/contracts/plp-test?table=performance&format=xlsx', {
          headers: { cookie },
        })
      ).arrayBuffer(),
    );
    const xml = sheetXml(xlsx);
    expect(xml).toContain(
      `<c r="B2" t="inlineStr"><is><t xml:space="preserve">'=HYPERLINK("http://evil","Referrals")</t></is></c>`,
    );
    expect(xml).not.toMatch(/<f>/);
    expect(xml).toMatch(/<c r="E2"[^>]*><v>-14<\/v><\/c>/);
  }, 60_000);
});
