/** Managing reference data by upload: the page in force, accepted and rejected uploads, and who may. */
import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { referenceKey } from '../../../pipelines/ingest/reference-store.js';
import {
  listReferenceVersions,
  VERSIONS_PREFIX,
} from '../../../pipelines/reference/upload/versions.js';
import { referenceFiles } from '../../../pipelines/reference/schema.js';
import { getText } from '../../../pipelines/store/object-store.js';
import { writeXlsx } from '../../../pipelines/xlsx/write.js';
import { webFixture, type WebFixture, type Who } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

const keys = Object.keys(referenceFiles) as (keyof typeof referenceFiles)[];
const referenceTexts = async () =>
  Promise.all(keys.map((k) => getText(f.pipeline.store, referenceKey(k))));

async function send(who: Who, kind: string, name: string, body: string | Uint8Array) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new File([body as BlobPart], name));
  return f.app.request('/reference/upload', {
    method: 'POST',
    headers: await f.as(who, '/reference'),
    body: form,
  });
}

async function page(who: Who, url: string) {
  const res = await f.app.request(url, { headers: await f.as(who, url) });
  return { status: res.status, text: await res.text() };
}

const noExternalUrls = (text: string) =>
  expect(text).not.toMatch(/(src|href|action)="(https?:)?\/\//);

describe('the reference data page', () => {
  it('shows programmes, contracts and profiles in force, in tables with captions', async () => {
    const { status, text } = await page('comm', '/reference');
    expect(status).toBe(200);
    expect(text).toContain('<h1 class="govuk-heading-l">Reference data</h1>');
    expect(text).toMatch(/<caption[^>]*>Measures of [^<]+<\/caption>/);
    expect(text).toMatch(/<caption[^>]*>Service standards of [^<]+<\/caption>/);
    expect(text).toMatch(/<caption[^>]*>RAG thresholds of [^<]+<\/caption>/);
    // plp's standard: first contact within 10 days for at least 90%.
    expect(text).toContain('At least 90% reach first contact within 10 days of referral');
    // Green from 95% of profile, amber from 85% (the test reference data's plp thresholds).
    expect(text).toMatch(/Green<\/td>\s*<td[^>]*>95% of profile or more/);
    expect(text).toMatch(/Amber<\/td>\s*<td[^>]*>85% to under 95% of profile/);
    expect(text).toMatch(/Red<\/td>\s*<td[^>]*>below 85% of profile/);
    expect(text).toMatch(/<caption[^>]*>Contracts in force<\/caption>/);
    for (const id of ['plp-test', 'vrs-test', 'agg-test', 'vrs-south'])
      expect(text).toContain(`<code>${id}</code>`);
    expect(text).toMatch(/<caption[^>]*>Profiles in force, per contract and measure<\/caption>/);
    // One profile: plp-test, referrals, January 2025, 20.
    expect(text).toMatch(
      /plp-test<\/td><td[^>]*>referrals<\/td><td[^>]*>January 2025<\/td><td[^>]*>20<\/td>/,
    );
    expect(text).toContain('<th scope="col" class="govuk-table__header">Measure</th>');
    expect(text).toContain('href="/reference/upload"');
    noExternalUrls(text);
  });

  it('is linked from the home page of those who manage it, and of no one else', async () => {
    for (const who of ['comm', 'admin'] as const)
      expect((await page(who, '/')).text, who).toContain(
        '<a class="govuk-link" href="/reference">',
      );
    for (const who of ['acme-user', 'cm-north'] as const)
      expect((await page(who, '/')).text, who).not.toContain('href="/reference"');
  });

  it('the upload form asks which file and for the file, and explains a missing answer', async () => {
    const { text } = await page('admin', '/reference/upload');
    expect(text).toContain(
      '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Which file are you uploading?</legend>',
    );
    expect(text).toContain(
      '<label class="govuk-label govuk-label--s" for="file">Upload the file</label>',
    );
    expect(text).toContain('enctype="multipart/form-data"');
    noExternalUrls(text);
    const res = await f.app.request('/reference/upload', {
      method: 'POST',
      headers: await f.as('admin', '/reference'),
      body: new FormData(),
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain(
      '<a href="#kind">Select which file you are uploading: contracts or monthly profiles</a>',
    );
    expect(body).toContain('<a href="#file">Select the file to upload</a>');
  });

  it('refuses providers and contract managers, and sends anonymous callers to sign in', async () => {
    for (const who of ['cm-north', 'acme-user', 'north-user'] as const) {
      expect((await page(who, '/reference')).status).toBe(403);
      expect(
        (
          await send(
            who,
            'profiles',
            'p.csv',
            'contract_id,measure_id,period,target\nplp-test,referrals,2025-01,1\n',
          )
        ).status,
      ).toBe(403);
    }
    const anon = await f.app.request('/reference');
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/sign-in');
  });
});

describe('uploading profiles', () => {
  it('rejects a file with an unknown contract and a negative target, naming rows and columns, and changes nothing', async () => {
    const before = await referenceTexts();
    const csv =
      'contract_id,measure_id,period,target\nno-such-contract,referrals,2025-01,5\nplp-test,referrals,2025-01,-3\n';
    const res = await send('comm', 'profiles', 'bad-profiles.csv', csv);
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text).toContain('govuk-error-summary');
    expect(text).toContain('Error: Monthly profiles not accepted');
    // Row 3 (the negative target) fails the schema, so the cross-file check does not run: one error.
    expect(text).toMatch(/<td[^>]*>3<\/td><td[^>]*>target<\/td><td[^>]*><code>-3<\/code><\/td>/);
    expect(text).toContain('The profiles in force have not changed.');
    noExternalUrls(text);
    expect(await referenceTexts()).toEqual(before);

    // Fixed target, still the unknown contract: now the cross-file check names row 2.
    const res2 = await send('comm', 'profiles', 'bad-profiles.csv', csv.replace('-3', '3'));
    expect(res2.status).toBe(422);
    expect(await res2.text()).toMatch(
      /<td[^>]*>2<\/td><td[^>]*>contract_id<\/td><td[^>]*><code>no-such-contract<\/code><\/td><td[^>]*>No contract has the id &quot;no-such-contract&quot;/,
    );
    expect(await referenceTexts()).toEqual(before);

    const versions = await listReferenceVersions(f.pipeline.store);
    expect(versions.map((v) => [v.kind, v.status, v.file_name, v.who])).toEqual([
      ['profiles', 'rejected', 'bad-profiles.csv', 'comm'],
      ['profiles', 'rejected', 'bad-profiles.csv', 'comm'],
    ]);
    // The bytes as sent are kept beside each record.
    expect(new TextDecoder().decode((await f.pipeline.store.get(versions[1]!.bytes_key))!)).toBe(
      csv,
    );
    expect(versions[1]!.bytes_key.startsWith(VERSIONS_PREFIX)).toBe(true);
    const { text: list } = await page('comm', '/reference');
    expect(list).toMatch(/<caption[^>]*>Reference data uploaded, newest first<\/caption>/);
    expect(list).toMatch(
      /Carys Commissioner<\/td><td[^>]*>Monthly profiles<\/td><td[^>]*>bad-profiles.csv<\/td>[\s\S]*?Not accepted/,
    );
  });

  it('accepts a CSV changing plp-test’s January referral target from 20 to 12, and the dashboards follow', async () => {
    const res = await send(
      'comm',
      'profiles',
      'profiles.csv',
      'contract_id,measure_id,period,target\r\nplp-test,referrals,2025-01,12\r\n',
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reference?uploaded=profiles');
    const { text } = await page('comm', '/reference?uploaded=profiles');
    expect(text).toContain('govuk-notification-banner--success');
    expect(text).toContain('Monthly profiles updated.');
    expect(text).toMatch(
      /plp-test<\/td><td[^>]*>referrals<\/td><td[^>]*>January 2025<\/td><td[^>]*>12<\/td>/,
    );
    expect(text).toMatch(/profiles.csv<\/td>[\s\S]*?Accepted/);
    expect(JSON.parse((await getText(f.pipeline.store, referenceKey('profiles')))!)).toEqual([
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-01', target: 12 },
    ]);

    // Six referred in January against a profile of 12: 6 of 12 = 50%, still red (amber from 85%).
    const api = await f.app.request('/api/contracts/plp-test/performance', {
      headers: await f.as('cm-north', '/api/'),
    });
    const { rows } = (await api.json()) as { rows: Record<string, unknown>[] };
    const jan = rows.find((r) => r.measure_id === 'referrals' && r.period === '2025-01')!;
    expect(jan).toMatchObject({
      actual: 6,
      profile: 12,
      pct_of_profile: 0.5,
      cumulative_actual: 6,
      cumulative_profile: 12,
      rag: 'red',
    });
    const contract = await page('cm-north', '/contracts/plp-test');
    expect(contract.text).toMatch(
      /Referrals<\/dt>\s*<dd[^>]*>50%<\/dd>\s*<dd[^>]*>6 actual of 12 profiled to date/,
    );
  });

  it('accepts an XLSX file too', async () => {
    const bytes = writeXlsx([
      {
        name: 'Profiles',
        header: true,
        rows: [
          ['contract_id', 'measure_id', 'period', 'target'],
          ['plp-test', 'referrals', '2025-01', 8],
          ['plp-test', 'starts', '2025-01', 6],
        ],
      },
    ]);
    const res = await send('admin', 'profiles', 'profiles.xlsx', bytes);
    expect(res.status).toBe(303);
    const profiles = JSON.parse(
      (await getText(f.pipeline.store, referenceKey('profiles')))!,
    ) as unknown[];
    expect(profiles).toEqual([
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-01', target: 8 },
      { contract_id: 'plp-test', measure_id: 'starts', period: '2025-01', target: 6 },
    ]);
    const [newest] = await listReferenceVersions(f.pipeline.store);
    expect(newest).toMatchObject({
      who: 'admin',
      status: 'accepted',
      file_name: 'profiles.xlsx',
      rows: 2,
    });
    expect(newest!.bytes_key.endsWith('.xlsx')).toBe(true);
    // 6 of 8 = 75%.
    const api = await f.app.request('/api/contracts/plp-test/performance', {
      headers: await f.as('admin', '/api/'),
    });
    const { rows } = (await api.json()) as { rows: Record<string, unknown>[] };
    expect(rows.find((r) => r.measure_id === 'referrals' && r.period === '2025-01')).toMatchObject({
      actual: 6,
      profile: 8,
      pct_of_profile: 0.75,
    });
  });

  it('writes an audit entry for every accepted and rejected upload', async () => {
    const entries = (await listAudit(f.pipeline.store)).filter(
      (e) => e.action === 'reference_change',
    );
    // Entries made in the same instant (the fixture's clock stands still) list in any order.
    expect(
      entries
        .map((e) => [e.who, e.target, e.detail.includes('rejected') ? 'rejected' : 'accepted'])
        .sort(),
    ).toEqual(
      [
        ['comm', 'reference/profiles.json', 'rejected'],
        ['comm', 'reference/profiles.json', 'rejected'],
        ['comm', 'reference/profiles.json', 'accepted'],
        ['admin', 'reference/profiles.json', 'accepted'],
      ].sort(),
    );
  });

  it('a commissioner may not change another programme’s profiles', async () => {
    const before = await referenceTexts();
    // agg-test is in programme agg, which comm does not commission.
    const res = await send(
      'comm',
      'profiles',
      'agg.csv',
      'contract_id,measure_id,period,target\nplp-test,referrals,2025-01,8\nplp-test,starts,2025-01,6\nagg-test,referrals,2025-01,4\n',
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      'The file changes profiles of programmes you do not commission',
    );
    expect(await referenceTexts()).toEqual(before);
  });
});

// Last: its two uploads would change the counts of the tests above.
describe('downloading what is in force', () => {
  it('offers the contracts and profiles in force as CSV, which upload back unchanged', async () => {
    const { text } = await page('comm', '/reference');
    expect(text).toContain('href="/reference/contracts.csv"');
    expect(text).toContain('href="/reference/profiles.csv"');
    const before = await referenceTexts();
    for (const kind of ['contracts', 'profiles'] as const) {
      const res = await f.app.request(`/reference/${kind}.csv`, {
        headers: await f.as('admin', '/reference'),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${kind}.csv"`);
      const csv = await res.text();
      expect(csv.split('\r\n')[0]).toMatch(
        kind === 'contracts' ? /^id,programme_id,/ : /^contract_id,/,
      );
      const sent = await send('admin', kind, `${kind}.csv`, csv);
      expect(sent.status, kind).toBe(303);
    }
    expect(await referenceTexts()).toEqual(before);
  });
});
