/**
 * No silent loss of a caseload on the web (ADR 023): the unfilled template sent on the upload
 * page is held; the receipt page says so with the counts and offers to confirm or discard; the
 * API confirms, withdraws and restores; every step leaves an audit entry; the marts follow.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { csvTemplate } from '../../../pipelines/returns/templates.js';
import { csvOf } from '../../fixtures/returns.js';
import { plpJanuary, SAME_ORIGIN, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

// The fixture's own January return, byte for byte when re-sent.
const january = csvOf(plpJanuary());

async function uploadPage(who: string, text: string, name = 'return.csv') {
  const body = new FormData();
  body.append('period', '2025-01');
  body.append('file', new File([text], name, { type: 'text/csv' }));
  return f.app.request('/contracts/plp-test/returns/new', {
    method: 'POST',
    body,
    headers: { cookie: await f.cookie(who), ...SAME_ORIGIN },
  });
}

async function page(who: string, url: string) {
  const res = await f.app.request(url, { headers: { cookie: await f.cookie(who) } });
  return { status: res.status, text: await res.text() };
}

async function api(who: string, url: string, body?: unknown) {
  const res = await f.app.request(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await f.token(who)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function januaryReferrals(): Promise<unknown> {
  const res = await f.app.request('/api/contracts/plp-test/performance', {
    headers: { authorization: `Bearer ${await f.token('admin')}` },
  });
  const { rows } = (await res.json()) as { rows: Record<string, unknown>[] };
  return rows.find((r) => r['measure_id'] === 'referrals' && r['period'] === '2025-01')?.['actual'];
}

describe('a held version on the pages and the API', () => {
  let heldUrl = '';

  it('the unfilled template is held: the receipt page gives the counts and the choice', async () => {
    expect(await januaryReferrals()).toBe(6);
    const res = await uploadPage('acme-user', csvTemplate('participant'), 'template.csv');
    expect(res.status).toBe(303);
    heldUrl = res.headers.get('location')!;
    const { text } = await page('acme-user', heldUrl);
    expect(text).toContain('Accepted, version 2: held');
    expect(text).toContain(
      'This version is held: it is not in force, and the dashboards do not use it.',
    );
    expect(text).toContain(
      'This file has no participants; the version in force for 2025-01 (version 1) has 6 participants. Putting it in force would remove 6 participants and 18 milestones',
    );
    expect(text).toContain('Confirm and put this version in force');
    expect(text).toContain('Discard this version');
    // The contract manager sees the state, but confirming is the provider's.
    const manager = await page('cm-north', heldUrl);
    expect(manager.text).toContain('The provider must confirm or discard it.');
    expect(manager.text).not.toContain('Confirm and put this version in force');
    expect(await januaryReferrals()).toBe(6);
  });

  it('confirming on the page puts it in force, rebuilds the marts and is audited', async () => {
    const res = await f.app.request(`${heldUrl}/confirm`, {
      method: 'POST',
      body: new URLSearchParams({ reason: 'Service closed in January' }),
      headers: { cookie: await f.cookie('acme-user'), ...SAME_ORIGIN },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${heldUrl}?done=confirm`);
    const { text } = await page('acme-user', `${heldUrl}?done=confirm`);
    expect(text).toContain('You confirmed this version: it is now the version in force.');
    expect(text).toContain('Accepted, version 2: in force');
    expect(text).toContain('(“Service closed in January”)');
    expect(await januaryReferrals()).toBe(0);
    const entries = (await listAudit(f.pipeline.store)).filter(
      (e) => e.action === 'confirm_version',
    );
    expect(entries.map((e) => [e.who, e.detail])).toEqual([
      ['acme-user', 'Version 2 confirmed; version 2 is in force.'],
    ]);
  });

  it('the contract manager withdraws it over the API; version 1 is in force again', async () => {
    const receiptId = heldUrl.split('/').pop()!;
    const r = await api('cm-north', `/api/returns/plp-test/2025-01/${receiptId}/withdraw`, {
      reason: 'Sent by mistake',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      message: 'Version 2 withdrawn; version 1 is in force again.',
      version_in_force: 1,
      marts: { rebuilt: true },
    });
    expect(await januaryReferrals()).toBe(6);
    // Withdrawn already: a second try is refused, and says why.
    const again = await api('acme-user', `/api/returns/plp-test/2025-01/${receiptId}/withdraw`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/is not in force \(it is withdrawn\)/);
    const { text } = await page('cm-north', heldUrl);
    expect(text).toContain('Accepted, version 2: withdrawn');
    expect(text).toContain(
      'This version was withdrawn: its rows do not count (version 1 is in force).',
    );
  });

  it('re-sending version 1 answers "nothing changed"; re-sending the template restores version 2', async () => {
    const same = await uploadPage('acme-user', january);
    expect(same.headers.get('location')).toMatch(/\?duplicate=in-force$/);
    const { text } = await page('acme-user', same.headers.get('location')!);
    expect(text).toContain('This exact file is the version of the return for');
    const body = new FormData();
    body.append('contract', 'plp-test');
    body.append('period', '2025-01');
    body.append('file', new File([csvTemplate('participant')], 'again.csv', { type: 'text/csv' }));
    const res = await f.app.request('/api/returns', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${await f.token('acme-user')}` },
    });
    const json = (await res.json()) as Record<string, any>;
    expect(res.status).toBe(201);
    // The restore is checked like any new version: it would empty the caseload, so it is held.
    expect(json.outcome).toBe('held');
    expect(json.receipt).toMatchObject({ version: 3, restores: { version: 2 } });
    expect(json.message).toMatch(/^This file has no participants/);
    expect(await januaryReferrals()).toBe(6);
  });
});
