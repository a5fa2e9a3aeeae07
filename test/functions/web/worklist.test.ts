/**
 * Each user's month as a to-do list: a provider's home page (next return, late or missing
 * returns, queries to answer), the contract manager's queue, and the receipt that says a return
 * was late. Over a real store with returns ingested at fixed dates, judged as at 26 November 2026.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import { reviewReturn } from '../../../pipelines/review/review.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participants } from '../../fixtures/returns.js';
import { NOW, SAME_ORIGIN, SECRET, webReference } from './fixture.js';

let pipeline: PipelineFixture;
let app: ReturnType<typeof createApp>;
const cookies = new Map<string, string>();

async function page(user: string, url: string): Promise<{ status: number; text: string }> {
  let cookie = cookies.get(user);
  if (!cookie) {
    const res = await app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user }),
      headers: SAME_ORIGIN,
    });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    cookies.set(user, cookie);
  }
  const res = await app.request(url, { headers: { cookie } });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  // plp-test (deadline: the 10th working day): August 2026 sent late (deadline 14 September),
  // September on time and then queried, October missing (deadline 13 November). Every earlier
  // month is missing too. vrs-south (another portfolio) has one return waiting for review.
  pipeline = await pipelineWith(webReference(), [
    {
      contractId: 'plp-test',
      period: '2026-08',
      rows: participants(4),
      submittedAt: '2026-09-21T09:00:00.000Z',
    },
    {
      contractId: 'plp-test',
      period: '2026-09',
      rows: participants(5),
      submittedAt: '2026-10-05T09:00:00.000Z',
    },
    { contractId: 'vrs-south', period: '2026-10', rows: participants(3) },
  ]);
  const september = (await listReceipts(pipeline.store, { contractId: 'plp-test' })).find(
    (r) => r.period === '2026-09',
  )!;
  await reviewReturn(
    pipeline.store,
    {
      contractId: 'plp-test',
      receiptId: september.id,
      decision: 'queried',
      message: 'Row 3: check the start date.',
      by: 'cm-north',
    },
    new Date('2026-10-20T10:00:00.000Z'),
  );
  app = createApp({ store: pipeline.store, sessionSecret: SECRET, now: () => NOW });
});

describe('a provider’s home page', () => {
  it('is its to-do list: the next return and deadline, what is missing, the query to answer', async () => {
    const { status, text } = await page('acme-user', '/');
    expect(status).toBe(200);
    expect(text).toContain('<h1 class="govuk-heading-l">What to do</h1>');
    // November 2026 is running: its return is due by the 10th working day of December.
    expect(text).toContain('Next return: November 2026, due by 14 December 2026.');
    expect(text).toContain('href="/contracts/plp-test/returns/new?period=2026-11"');
    expect(text).toMatch(
      /Missing<\/strong> October 2026: nothing received; the deadline was 13 November 2026, 13 days ago\./,
    );
    expect(text).toMatch(
      /Query<\/strong> September 2026: Colin Manager asked: “Row 3: check the start date\.”/,
    );
    // A long run of missing months is summarised, not listed.
    expect(text).toMatch(/And \d+ more overdue, back to October 2024\./);
    expect(text).toContain(
      '1 return was accepted after the deadline, most recently August 2026 (7 days late).',
    );
  });

  it('shows a contract manager no to-do list of returns to send, but a link to the queue', async () => {
    const { text } = await page('cm-north', '/');
    expect(text).toContain('<h1 class="govuk-heading-l">Your contracts</h1>');
    expect(text).toContain('href="/queue"');
    expect(text).not.toContain('Next return:');
  });
});

describe('the contract manager’s queue', () => {
  it('lists, across the portfolio only, returns to review, late or missing returns and open queries, by provider and area name', async () => {
    const { status, text } = await page('cm-north', '/queue');
    expect(status).toBe(200);
    const waiting = text.slice(text.indexOf('id="waiting"'), text.indexOf('id="overdue"'));
    expect(waiting).toContain('Acme Employment');
    expect(waiting).toContain('Test District');
    expect(waiting).toContain('>August 2026<');
    // September is queried, so it is waiting for the provider, not for review.
    expect(waiting).not.toContain('>September 2026<');
    // vrs-south is in the south portfolio.
    expect(text).not.toContain('South District');
    const overdue = text.slice(text.indexOf('id="overdue"'), text.indexOf('id="queried"'));
    expect(overdue).toContain('13 November 2026');
    expect(overdue).toContain('Missing');
    const queried = text.slice(text.indexOf('id="queried"'));
    expect(queried).toContain('Row 3: check the start date.');
    expect(text).not.toContain('>plp-bsol');
  });

  it('is refused to providers and commissioners', async () => {
    expect((await page('acme-user', '/queue')).status).toBe(403);
    expect((await page('comm', '/queue')).status).toBe(403);
  });
});

describe('the receipt', () => {
  it('says a late return was late, with the deadline', async () => {
    const august = (await listReceipts(pipeline.store, { contractId: 'plp-test' })).find(
      (r) => r.period === '2026-08',
    )!;
    const { text } = await page('acme-user', `/contracts/plp-test/returns/${august.id}`);
    expect(text).toContain(
      'This return was late. The deadline for August 2026 was 14 September 2026, and it came 7 days after it.',
    );
    expect(text).toContain(
      '14 September 2026. This return was late: it came 7 days after the deadline.',
    );
  });

  it('says an on-time return came on time', async () => {
    const september = (await listReceipts(pipeline.store, { contractId: 'plp-test' })).find(
      (r) => r.period === '2026-09',
    )!;
    const { text } = await page('acme-user', `/contracts/plp-test/returns/${september.id}`);
    expect(text).toContain('14 October 2026. This return came on time.');
    expect(text).not.toContain('This return was late.');
  });

  it('shows the reviewer what changed since the return before, ahead of "Do you accept this return?"', async () => {
    const september = (await listReceipts(pipeline.store, { contractId: 'plp-test' })).find(
      (r) => r.period === '2026-09',
    )!;
    const { text } = await page('cm-north', `/contracts/plp-test/returns/${september.id}`);
    const changes = text.indexOf('What changed since the return for August 2026 (version 1)');
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(text.indexOf('Do you accept this return?'));
    const list = text.slice(changes, text.indexOf('Do you accept this return?'));
    expect(list).toMatch(
      /Participants added<\/dt><dd class="govuk-summary-list__value">1 participant</,
    );
    expect(list).toMatch(
      /Participants removed<\/dt><dd class="govuk-summary-list__value">0 participants</,
    );
    expect(list).toContain('None: every date given before is the same');
    // The provider sees no review form, and so no summary.
    const provider = await page('acme-user', `/contracts/plp-test/returns/${september.id}`);
    expect(provider.text).not.toContain('What changed since');
  });
});

describe('the audit log page', () => {
  it('filters by user, contract, action and date with GET parameters, and its CSV link keeps them', async () => {
    await page('acme-user', '/');
    const { status, text } = await page(
      'admin',
      '/admin/audit?who=acme-user&action=sign_in&since=2026-01-01',
    );
    expect(status).toBe(200);
    expect(text).toContain('<option value="acme-user" selected>');
    expect(text).toContain('<option value="sign_in" selected>');
    expect(text).toContain(
      'href="/admin/audit.csv?who=acme-user&amp;action=sign_in&amp;since=2026-01-01"',
    );
    const body = text.slice(text.indexOf('<tbody'));
    expect(body).toContain('signed in');
    expect(body).not.toContain('cm-north');
  });
});
