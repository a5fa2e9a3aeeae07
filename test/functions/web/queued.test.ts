/**
 * The app with the queued pipeline (AWS): uploads are written to incoming/ and watched, never
 * ingested in the request, and a reference change asks for a full rebuild instead of running
 * one. The transform queue is a recorder here (there is no SQS locally).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestUpload, readIntent } from '../../../pipelines/ingest/queued-upload.js';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { csvOf, participants } from '../../fixtures/returns.js';
import { NOW, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

async function upload(contract: string, period: string, rows: string, who = 'acme-user' as const) {
  const form = new FormData();
  form.append('file', new File([rows], 'return.csv', { type: 'text/csv' }));
  form.append('period', period);
  return f.queuedApp.request(`/contracts/${contract}/returns/new`, {
    method: 'POST',
    headers: await f.as(who, '/'),
    body: form,
  });
}

describe('uploads with the queued pipeline', () => {
  it('the upload page sends the provider to a page that refreshes until the receipt exists, then to the receipt', async () => {
    const receiptsBefore = await listReceipts(f.pipeline.store);
    const res = await upload(
      'plp-test',
      '2025-07',
      csvOf(
        participants(2, () => ({
          referral_date: '2025-07-03',
          first_contact_date: '2025-07-04',
          start_date: '',
        })),
      ),
    );
    expect(res.status).toBe(303);
    const page = res.headers.get('location')!;
    const uploadId = page.split('/').pop()!;
    expect(await readIntent(f.pipeline.store, uploadId)).toMatchObject({
      contract_id: 'plp-test',
      period: '2025-07',
      submitted_by: 'acme-user',
      requested_at: NOW.toISOString(),
    });
    expect(await listReceipts(f.pipeline.store)).toEqual(receiptsBefore);

    const watching = await f.queuedApp.request(page, { headers: await f.as('cm-north', page) });
    expect(watching.status).toBe(200);
    const text = await watching.text();
    expect(text).toContain('<meta http-equiv="refresh" content="3">');
    expect(text).toContain('We have your file; checking it…');
    expect(text).toContain(`href="${page}?refresh=off">Stop this page refreshing itself</a>`);
    // Turned off (WCAG 2.2.1: a time limit the user can turn off), the same page without the refresh.
    const still = await (
      await f.queuedApp.request(`${page}?refresh=off`, { headers: await f.as('acme-user', page) })
    ).text();
    expect(still).toContain('We have your file; checking it…');
    expect(still).not.toContain('http-equiv="refresh"');
    expect(still).toContain(`href="${page}?refresh=off">Check again now</a>`);
    const api = await f.queuedApp.request(`/api/uploads/plp-test/${uploadId}`, {
      headers: await f.as('acme-user', '/api/'),
    });
    expect(api.headers.get('retry-after')).toBe('3');
    expect(await api.json()).toMatchObject({ status: 'checking', receipt: null });

    const { outcome } = await ingestUpload(f.pipeline.store, uploadId, { now: NOW });
    const done = await f.queuedApp.request(page, { headers: await f.as('acme-user', page) });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/contracts/plp-test/returns/${outcome.receipt_id}`);
    const json = (await (
      await f.queuedApp.request(`/api/uploads/plp-test/${uploadId}`, {
        headers: await f.as('acme-user', '/api/'),
      })
    ).json()) as { status: string; receipt: string };
    expect(json).toMatchObject({
      status: 'accepted',
      receipt: `/api/returns/plp-test/2025-07/${outcome.receipt_id}`,
    });
  });

  it('a refused upload is shown on its page with the reason, and offers to send another', async () => {
    const res = await upload('plp-test', '2025-08', csvOf(participants(1)));
    const page = res.headers.get('location')!;
    await ingestUpload(f.pipeline.store, page.split('/').pop()!, {
      now: NOW,
      size: 200 * 1024 * 1024,
    });
    const shown = await f.queuedApp.request(page, { headers: await f.as('acme-user', page) });
    expect(shown.status).toBe(200);
    const text = await shown.text();
    expect(text).toContain('Your file was not taken');
    expect(text).toContain('The file is 200.0 MB; Outturn accepts returns of up to 100 MB.');
    expect(text).toContain('href="/contracts/plp-test/returns/new"');
    expect(text).not.toContain('http-equiv="refresh"');
  });

  it('a period that is not a month is refused in the request, with nothing written', async () => {
    const res = await upload('plp-test', 'July', csvOf(participants(1)));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Select the month the return is for from the list');
  });

  it('a reference change asks for a full rebuild rather than running one, and says so', async () => {
    const before = (await readCurrentManifest(f.pipeline.store))!.build_id;
    const requested = f.requested.length;
    const form = new FormData();
    form.append('kind', 'profiles');
    form.append(
      'file',
      new File(
        ['contract_id,measure_id,period,target\r\nplp-test,referrals,2025-01,12\r\n'],
        'profiles.csv',
      ),
    );
    const res = await f.queuedApp.request('/reference/upload', {
      method: 'POST',
      headers: await f.as('comm', '/reference'),
      body: form,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reference?uploaded=profiles&rebuild=queued');
    expect(f.requested.slice(requested)).toEqual([
      {
        request: { full: true, reason: 'reference profiles changed by comm' },
        deduplicationId: expect.stringMatching(/^full-/),
      },
    ]);
    expect((await readCurrentManifest(f.pipeline.store))!.build_id).toBe(before);
    const page = await f.queuedApp.request('/reference?uploaded=profiles&rebuild=queued', {
      headers: await f.as('comm', '/reference'),
    });
    expect(await page.text()).toContain(
      'the dashboards are being rebuilt and will show them in a few minutes',
    );
  });
});
