/** The audit log: sign-ins, uploads and reviews each leave one entry, and admins read and download them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import { csvOf, participants } from '../../fixtures/returns.js';
import { NOW, SAME_ORIGIN, SECRET, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

const entries = () => listAudit(f.pipeline.store);

describe('audit entries', () => {
  it('a sign-in leaves one entry, from the address the platform gives, never X-Forwarded-For', async () => {
    // The platform's answer, as the Node server (the socket) or API Gateway (the source IP)
    // would give it; client-address.test.ts shows each platform's own.
    const app = createApp({
      store: f.pipeline.store,
      sessionSecret: SECRET,
      now: () => NOW,
      clientAddress: () => '203.0.113.7',
    });
    const res = await app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'cm-north' }),
      headers: { 'x-forwarded-for': '198.51.100.9, 10.0.0.1', ...SAME_ORIGIN },
    });
    expect(res.status).toBe(303);
    const all = await entries();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      who: 'cm-north',
      action: 'sign_in',
      target: null,
      from: '203.0.113.7',
      at: '2026-11-26T12:00:00.000Z',
    });
  });

  it('without a platform address it is unknown, whatever headers say; a refused sign-in leaves nothing', async () => {
    await f.cookie('acme-user');
    await f.app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: 'nobody' }),
      headers: { 'x-forwarded-for': '198.51.100.9', ...SAME_ORIGIN },
    });
    const signIns = (await entries()).filter((e) => e.who === 'acme-user');
    expect(signIns).toEqual([expect.objectContaining({ action: 'sign_in', from: 'unknown' })]);
    expect(await entries()).toHaveLength(2);
  });

  it('an upload through the API leaves one entry naming the receipt and the verdict', async () => {
    const body = new FormData();
    body.append('file', new File([csvOf(participants(2))], 'march.csv', { type: 'text/csv' }));
    body.append('contract', 'plp-test');
    body.append('period', '2025-03');
    const res = await f.app.request('/api/returns', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${await f.token('acme-user')}` },
    });
    expect(res.status).toBe(201);
    const { receipt } = (await res.json()) as { receipt: { id: string } };
    const uploads = (await entries()).filter((e) => e.action === 'upload');
    expect(uploads).toEqual([
      expect.objectContaining({
        who: 'acme-user',
        target: receipt.id,
        // Two participants against the six in force: held for the provider to confirm (ADR 023).
        detail: 'accepted, version 1, held: it would remove 4 of 6 participants',
      }),
    ]);
  });

  it('a duplicate upload through the page says what it duplicates', async () => {
    const body = new FormData();
    body.append('file', new File([csvOf(participants(2))], 'march.csv', { type: 'text/csv' }));
    body.append('period', '2025-03');
    const res = await f.app.request('/contracts/plp-test/returns/new', {
      method: 'POST',
      body,
      headers: { cookie: await f.cookie('acme-user'), ...SAME_ORIGIN },
    });
    expect(res.status).toBe(303);
    const uploads = (await entries()).filter((e) => e.action === 'upload');
    expect(uploads).toHaveLength(2);
    expect(uploads.map((e) => e.detail)).toContain(
      `duplicate of ${uploads.find((e) => e.detail.startsWith('accepted'))!.target}`,
    );
  });

  it('a query leaves one entry with the message', async () => {
    const [jan] = await listReceipts(f.pipeline.store, {
      contractId: 'plp-test',
      period: '2025-01',
    });
    const res = await f.app.request(`/contracts/plp-test/returns/${jan!.id}/review`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'queried', message: 'Check row 2' }),
      headers: { cookie: await f.cookie('cm-north'), ...SAME_ORIGIN },
    });
    expect(res.status).toBe(303);
    const reviews = (await entries()).filter(
      (e) => e.action === 'query_return' || e.action === 'accept_return',
    );
    expect(reviews).toEqual([
      expect.objectContaining({
        who: 'cm-north',
        action: 'query_return',
        target: jan!.id,
        detail: 'queried plp-test 2025-01: Check row 2',
      }),
    ]);
  });
});

describe('GET /admin/audit and /admin/audit.csv', () => {
  it('admins see every entry in a captioned table, newest first', async () => {
    const res = await f.app.request('/admin/audit', {
      headers: await f.as('admin', '/admin/audit'),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const all = await entries();
    expect(text).toContain('<h1 class="govuk-heading-l">Audit log</h1>');
    expect(text).toContain(
      `<caption class="govuk-table__caption govuk-table__caption--m">Audit log, newest first (${all.length} entries)</caption>`,
    );
    for (const label of ['Who', 'When (UTC)', 'Action', 'Target', 'Detail', 'From'])
      expect(text).toContain(`<th scope="col" class="govuk-table__header">${label}</th>`);
    expect(text).toContain('<td class="govuk-table__cell">Colin Manager (cm-north)</td>');
    expect(text).toContain('<td class="govuk-table__cell">query return</td>');
    expect(text).toContain('<td class="govuk-table__cell">203.0.113.7</td>');
    expect(text.match(/<tr class="govuk-table__row"><td/g)).toHaveLength(all.length);
    expect(text).not.toMatch(/(src|href|action)="(https?:)?\/\//);
  });

  it('the CSV has a header line and one row per entry', async () => {
    const all = await entries();
    const res = await f.app.request('/admin/audit.csv', {
      headers: await f.as('admin', '/admin/audit.csv'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="audit-log.csv"');
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('Who,When (UTC),Action,Target,Detail,From');
    expect(lines).toHaveLength(all.length + 1);
    expect(
      lines.some((l) =>
        l.startsWith('cm-north,2026-11-26 12:00:00,sign in,,signed in,203.0.113.7'),
      ),
    ).toBe(true);
  });

  it('everyone else is refused: 403 signed in, 302 to sign-in anonymous', async () => {
    for (const url of ['/admin/audit', '/admin/audit.csv']) {
      for (const who of ['acme-user', 'cm-north', 'comm'] as const)
        expect(
          (await f.app.request(url, { headers: await f.as(who, url) })).status,
          `${who} ${url}`,
        ).toBe(403);
      const anonymous = await f.app.request(url);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toBe('/sign-in');
    }
  });
});
