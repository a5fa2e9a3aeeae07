/** The provider portal's pages: returns sent, sending a return through the form, and its receipt. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { csvOf, participant, participants, type RowValues } from '../../fixtures/returns.js';
import { webFixture, type WebFixture, type Who } from './fixture.js';

// A rebuild that can be made to fail, to show the receipt still stands when the marts cannot be built.
const rebuildFault = vi.hoisted(() => ({ next: false }));
vi.mock('../../../pipelines/transform/rebuild.js', async (original) => {
  const actual = await original<typeof import('../../../pipelines/transform/rebuild.js')>();
  return {
    ...actual,
    rebuild: (...args: Parameters<typeof actual.rebuild>) => {
      if (!rebuildFault.next) return actual.rebuild(...args);
      rebuildFault.next = false;
      return Promise.reject(new Error('the disk is full'));
    },
  };
});

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

async function get(who: Who, url: string) {
  const res = await f.app.request(url, { headers: await f.as(who, url) });
  return { res, page: await res.text() };
}

function form(fields: {
  rows?: RowValues[];
  period?: string;
  name?: string;
  empty?: boolean;
}): FormData {
  const body = new FormData();
  if (fields.period !== undefined) body.append('period', fields.period);
  if (fields.rows)
    body.append(
      'file',
      new File([csvOf(fields.rows)], fields.name ?? 'return.csv', { type: 'text/csv' }),
    );
  // What a browser sends when no file was chosen: an empty part with no file name.
  if (fields.empty) body.append('file', new File([], '', { type: 'application/octet-stream' }));
  return body;
}

async function send(who: Who, contract: string, body: FormData) {
  const url = `/contracts/${contract}/returns/new`;
  return f.app.request(url, { method: 'POST', body, headers: await f.as(who, url) });
}

async function referrals(period: string) {
  const res = await f.app.request('/api/contracts/plp-test/performance', {
    headers: await f.as('acme-user', '/api/'),
  });
  const { rows } = (await res.json()) as { rows: Record<string, unknown>[] };
  return rows.find((r) => r['measure_id'] === 'referrals' && r['period'] === period);
}

/** The text of a page with tags removed and white space squeezed, for reading sentences. */
const text = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/** February's return: January's six participants and four referred on 3 February. */
const february = [
  ...participants(6),
  ...participants(4).map((p, i) => ({
    ...p,
    participant_id: `P-0000${10 + i}`,
    referral_date: '2025-02-03',
    first_contact_date: '2025-02-05',
    start_date: '',
  })),
];

const neverExternal = (page: string) =>
  expect(page).not.toMatch(/(src|href|action)="(https?:)?\/\//);

describe('GET /contracts/:id/returns', () => {
  it('lists the contract’s returns in a captioned table, with links to each report and the templates', async () => {
    const { res, page } = await get('acme-user', '/contracts/plp-test/returns');
    expect(res.status).toBe(200);
    expect(page).toContain('<h1 class="govuk-heading-l">Returns sent</h1>');
    expect(page).toMatch(
      /<caption class="govuk-table__caption[^"]*">Returns sent for contract plp-test, newest first<\/caption>/,
    );
    for (const th of [
      'Received',
      'Month',
      'Sent by',
      'File',
      'Rows',
      'Status',
      'Errors',
      'Warnings',
      'Report',
    ])
      expect(page).toMatch(new RegExp(`<th scope="col"[^>]*>${th}</th>`));
    // The fixture's one January return: six rows, accepted as version 1.
    expect(page).toMatch(/<td[^>]*>January 2025<\/td>/);
    expect(page).toMatch(
      /<td[^>]*numeric">6<\/td><td[^>]*><strong class="govuk-tag govuk-tag--green">Accepted, version 1: in force<\/strong>/,
    );
    expect(page).toMatch(
      /href="\/contracts\/plp-test\/returns\/\d{8}T\d{9}Z-[0-9a-f]{8}">View report/,
    );
    expect(page).toContain('href="/templates/return.csv"');
    expect(page).toContain('href="/templates/return.xlsx"');
    expect(page).toContain('href="/contracts/plp-test/returns/new"');
    expect(page).toContain('href="/contracts/plp-test"');
    neverExternal(page);
  });

  it('offers "Send a return" only to those who may send one', async () => {
    expect((await get('cm-north', '/contracts/plp-test/returns')).page).not.toContain(
      '/returns/new',
    );
    expect((await get('comm', '/contracts/plp-test/returns')).page).not.toContain('/returns/new');
    expect((await get('admin', '/contracts/plp-test/returns')).page).toContain(
      '>Send a return</a>',
    );
  });
});

describe('GET /contracts/:id/returns/new', () => {
  it('is a form with a labelled month, a file upload and one button, posting multipart to itself', async () => {
    const { res, page } = await get('acme-user', '/contracts/plp-test/returns/new');
    expect(res.status).toBe(200);
    expect(page).toContain(
      '<form method="post" action="/contracts/plp-test/returns/new" enctype="multipart/form-data"',
    );
    expect(page).toMatch(
      /<label class="govuk-label[^"]*" for="period">Which month is the return for\?<\/label>/,
    );
    // A picker of the contract's ended months, newest first, each with its deadline; as at
    // 26 November 2026 the newest is October 2026, and the oldest not yet in (October 2024) is chosen.
    expect(page).toMatch(/<select class="govuk-select" id="period" name="period"/);
    expect(page).toContain(
      '<option value="2026-10">October 2026: due by 13 November 2026, overdue: not sent</option>',
    );
    expect(page).toContain(
      '<option value="2025-01">January 2025: due by 14 February 2025, accepted</option>',
    );
    expect(page).toContain(
      '<option value="2024-10" selected>October 2024: due by 14 November 2024, overdue: not sent</option>',
    );
    expect(page).not.toContain('<option value="2026-11"');
    const asked = await get('acme-user', '/contracts/plp-test/returns/new?period=2025-06');
    expect(asked.page).toMatch(/<option value="2025-06" selected>/);
    expect(page).toMatch(/<label class="govuk-label[^"]*" for="file">Upload the return<\/label>/);
    expect(page).toMatch(
      /<input class="govuk-file-upload" id="file" name="file" type="file" accept=".csv,.xlsx"/,
    );
    expect(page).toMatch(
      /<button type="submit" class="govuk-button"[^>]*>Check and send<\/button>/,
    );
    expect(page).not.toContain('govuk-error-summary');
    expect(page).not.toContain('<script');
    neverExternal(page);
  });
});

describe('POST /contracts/:id/returns/new', () => {
  it('sends a good return: 303 to its receipt, which says accepted, and the dashboards show the month', async () => {
    expect(await referrals('2025-02')).toBeUndefined();
    const res = await send(
      'acme-user',
      'plp-test',
      form({ rows: february, period: '2025-02', name: 'february.csv' }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/contracts\/plp-test\/returns\/\d{8}T\d{9}Z-[0-9a-f]{8}$/);

    const { res: receipt, page } = await get('acme-user', location);
    expect(receipt.status).toBe(200);
    expect(page).toMatch(
      /<div class="govuk-panel govuk-panel--confirmation">\s*<h1 class="govuk-panel__title">Return accepted<\/h1>/,
    );
    expect(text(page)).toContain(
      'february.csv, contract plp-test, period 2025-02: 10 rows read, 0 errors, 0 warnings.',
    );
    expect(text(page)).toContain('This is version 1 of the return for February 2025.');
    expect(text(page)).toContain('Sent by Ann Provider');
    expect(text(page)).toContain('Received 26 November 2026 at 12:00');
    expect(page).not.toContain('could not be updated');
    neverExternal(page);

    // Four referred in February, ten to date (six in January).
    expect(await referrals('2025-02')).toMatchObject({ actual: 4, cumulative_actual: 10 });
    expect((await get('acme-user', '/contracts/plp-test')).page).toContain(
      'Figures to the end of February 2025',
    );
    // And the history lists it, newest first.
    const history = (await get('acme-user', '/contracts/plp-test/returns')).page;
    expect(history.indexOf('february.csv')).toBeGreaterThan(0);
    expect(history.indexOf('February 2025')).toBeLessThan(history.indexOf('January 2025'));
  });

  it('the same file again goes to the earlier receipt and says nothing new was stored', async () => {
    const res = await send(
      'acme-user',
      'plp-test',
      form({ rows: february, period: '2025-02', name: 'february.csv' }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/\?duplicate=in-force$/);
    const page = text((await get('acme-user', location)).page);
    expect(page).toContain(
      'This exact file is the version of the return for February 2025 in force, so nothing changed.',
    );
    expect(page).toContain('This is version 1 of the return');
  });

  const bad = [
    participant({
      participant_id: 'AB123456C',
      referral_date: '2025-03-03',
      first_contact_date: '2025-03-04',
      start_date: '',
    }),
    participant({
      participant_id: 'P-000002',
      referral_date: '2025-03-10',
      first_contact_date: '',
      start_date: '',
      job_entry_date: '2025-03-01',
    }),
  ];

  it('a bad return: its receipt says not accepted and lists each problem’s row, column and masked value', async () => {
    const res = await send(
      'acme-user',
      'plp-test',
      form({ rows: bad, period: '2025-03', name: 'march.csv' }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const { page } = await get('acme-user', location);
    expect(page).toContain('<h1 class="govuk-heading-xl">Return not accepted</h1>');
    expect(text(page)).toContain('2 problems found: 2 errors and 0 warnings.');
    // The error summary links to each rule's section.
    expect(page).toMatch(
      /<div class="govuk-error-summary"[\s\S]*<a href="#rule-personal-data-ni-number">A National Insurance number \(1 time\)<\/a>/,
    );
    expect(page).toContain('<section id="rule-personal-data-ni-number">');
    expect(page).toContain('href="#rule-row-milestone-order"');
    // Row 2 (the header is row 1): the NI number, masked, and no participant named (the reference
    // was the NI number); row 3: the job entry before the referral, for participant P-000002.
    expect(page).toMatch(
      /<td[^>]*>2<\/td><td[^>]*><\/td><td[^>]*>participant_id<\/td><td[^>]*><code>A\*{7}C<\/code><\/td>/,
    );
    expect(page).toMatch(
      /<td[^>]*>3<\/td><td[^>]*>P-000002<\/td><td[^>]*>job_entry_date<\/td><td[^>]*><code>2025-03-01<\/code><\/td><td[^>]*>Job entry date 2025-03-01 is before referral date 2025-03-10.<\/td>/,
    );
    expect(page).not.toContain('AB123456C');
    // Nothing reached the dashboards.
    expect(await referrals('2025-03')).toBeUndefined();

    // The contract manager sees the rows too; the commissioner sees the counts but no problem rows.
    const manager = (await get('cm-north', location)).page;
    expect(manager).toContain('<code>A*******C</code>');
    const { res: commRes, page: comm } = await get('comm', location);
    expect(commRes.status).toBe(200);
    expect(comm).toContain('Return not accepted');
    expect(text(comm)).toContain('2 problems found: 2 errors and 0 warnings.');
    expect(text(comm)).toContain('A National Insurance number 1 time');
    expect(comm).not.toContain('<code>');
    expect(comm).not.toContain('job_entry_date');
    expect(comm).not.toContain('A*******C');
    expect(comm).not.toContain('/returns/new');
  });

  it('without a file, or with a period that is not a month: 400, an error summary linking to the field, and an inline error', async () => {
    const before = await f.pipeline.store.list('');
    const noFile = await send('acme-user', 'plp-test', form({ period: '2025-03', empty: true }));
    expect(noFile.status).toBe(400);
    const page = await noFile.text();
    expect(page).toMatch(/<title>Error: Send a return/);
    expect(page).toMatch(
      /<div class="govuk-error-summary"[\s\S]*<a href="#file">Select the file to upload<\/a>/,
    );
    expect(page).toMatch(
      /<div class="govuk-form-group govuk-form-group--error">\s*<label[^>]*for="file"/,
    );
    expect(page).toContain(
      '<p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Select the file to upload</p>',
    );
    expect(page).toMatch(/<option value="2025-03" selected>/);
    expect(page.indexOf('govuk-error-summary')).toBeLessThan(page.indexOf('<h1'));

    const badPeriod = await send(
      'acme-user',
      'plp-test',
      form({ rows: participants(1), period: 'March' }),
    );
    expect(badPeriod.status).toBe(400);
    const page2 = await badPeriod.text();
    expect(page2).toContain(
      '<a href="#period">Select the month the return is for from the list</a>',
    );
    expect(page2).toMatch(
      /<select class="govuk-select govuk-select--error" id="period" name="period" aria-describedby="period-hint period-error">/,
    );
    expect(page2).not.toContain('href="#file"');

    const neither = await (await send('acme-user', 'plp-test', form({}))).text();
    expect(neither).toContain('<a href="#period">Select the month the return is for</a>');
    expect(neither).toContain('<a href="#file">Select the file to upload</a>');
    expect(await f.pipeline.store.list('')).toEqual(before);
  });

  it('refuses a provider sending for another provider’s contract (403) and stores nothing', async () => {
    const before = await f.pipeline.store.list('');
    const res = await send(
      'acme-user',
      'vrs-test',
      form({ rows: participants(2), period: '2025-02' }),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('a provider may only submit returns for its own contracts');
    expect(await f.pipeline.store.list('')).toEqual(before);
    // A contract manager may read the returns but not send one.
    expect(
      (await send('cm-north', 'plp-test', form({ rows: participants(2), period: '2025-02' })))
        .status,
    ).toBe(403);
    expect((await get('cm-north', '/contracts/plp-test/returns/new')).res.status).toBe(403);
    expect(await f.pipeline.store.list('')).toEqual(before);
  });

  it('lets an administrator send a return', async () => {
    const res = await send(
      'admin',
      'plp-test',
      form({ rows: february.slice(0, 7), period: '2025-02', name: 'admin.csv' }),
    );
    expect(res.status).toBe(303);
    const page = text((await get('admin', res.headers.get('location')!)).page);
    expect(page).toContain('This is version 2 of the return for February 2025.');
  });
});

describe('GET /contracts/:id/returns/:receipt', () => {
  it('after a failed rebuild still shows the accepted receipt, and says the dashboards are not updated yet', async () => {
    rebuildFault.next = true;
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // A whole caseload (60 participants), so the return is put in force, not held (ADR 023).
    const rows = participants(60, () => ({
      referral_date: '2025-04-07',
      first_contact_date: '2025-04-08',
      start_date: '',
    }));
    const res = await send(
      'acme-user',
      'plp-test',
      form({ rows, period: '2025-04', name: 'april.csv' }),
    );
    error.mockRestore();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\?rebuild=failed$/);
    const { page } = await get('acme-user', res.headers.get('location')!);
    expect(page).toContain('<h1 class="govuk-panel__title">Return accepted</h1>');
    expect(text(page)).toContain(
      'The return was accepted, but the dashboards could not be updated yet.',
    );
    expect(await referrals('2025-04')).toBeUndefined();
  });

  it('is 404 for a receipt that is not the contract’s', async () => {
    const { res, page } = await get(
      'acme-user',
      '/contracts/plp-test/returns/20250101T000000000Z-00000000',
    );
    expect(res.status).toBe(404);
    expect(page).toContain('There is no receipt');
  });
});

describe('a long error report', () => {
  const many = participants(250, (i) => ({ start_date: i % 2 ? 'soon' : '2025-03-40' }));
  let receipt = '';
  beforeAll(async () => {
    const res = await send('acme-user', 'plp-test', form({ rows: many, period: '2025-03' }));
    receipt = res.headers.get('location')!.replace(/\?.*$/, '');
  });

  it('is paged: 100 problems a page, page links, grouped problems with participants', async () => {
    const { page } = await get('acme-user', receipt);
    const problemRows =
      page.match(
        /<tr class="govuk-table__row"><td class="govuk-table__cell govuk-table__cell--numeric">/g,
      ) ?? [];
    expect(problemRows).toHaveLength(100);
    expect(text(page)).toContain('Page 1 of 3: problems 1 to 100 of 250 listed.');
    expect(page).toContain(`href="${receipt}?page=2" rel="next"`);
    expect(text(page)).toContain('125 times in start_date, rows 3 to 251. For example:');
    expect(page).toMatch(/<td[^>]*>2<\/td><td[^>]*>P-000001<\/td><td[^>]*>start_date<\/td>/);
    const last = await get('acme-user', `${receipt}?page=3`);
    expect(text(last.page)).toContain('Page 3 of 3: problems 201 to 250 of 250 listed.');
    expect(last.page).toContain('P-000250');
    // A page past the end shows the last; a page that is not a number, the first.
    expect(text((await get('acme-user', `${receipt}?page=99`)).page)).toContain('Page 3 of 3');
    expect(text((await get('acme-user', `${receipt}?page=x`)).page)).toContain('Page 1 of 3');
  });

  it('downloads as CSV with row, participant, column, value and fix', async () => {
    const { res, page } = await get('acme-user', `${receipt}?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="problems-/);
    const lines = page
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe(
      'Row,Participant,Column,Value,Error or warning,Problem,What is wrong,How to fix it',
    );
    expect(lines).toHaveLength(251);
    expect(lines[1]).toMatch(/^2,P-000001,start_date,2025-03-40,error,A value is not a date,/);
  });

  it('is not downloadable by a commissioner, nor in another format', async () => {
    expect((await get('comm', `${receipt}?format=csv`)).res.status).toBe(403);
    expect((await get('acme-user', `${receipt}?format=xlsx`)).res.status).toBe(400);
  });
});
