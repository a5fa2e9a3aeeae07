/** Accepting or querying a return: POST /contracts/:id/returns/:receipt/review and what the receipt and history pages show after. */
import { beforeAll, describe, expect, it } from 'vitest';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import type { Receipt } from '../../../pipelines/ingest/receipt.js';
import { reviewsFor } from '../../../pipelines/review/review.js';
import { SAME_ORIGIN, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
let plp: Receipt;
let receiptUrl: string;

beforeAll(async () => {
  f = await webFixture();
  plp = (await listReceipts(f.pipeline.store, { contractId: 'plp-test' }))[0]!;
  receiptUrl = `/contracts/plp-test/returns/${plp.id}`;
});

async function review(who: string, fields: Record<string, string>) {
  return f.app.request(`${receiptUrl}/review`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { cookie: await f.cookie(who), ...SAME_ORIGIN },
  });
}

async function page(who: string, url = receiptUrl) {
  const res = await f.app.request(url, { headers: { cookie: await f.cookie(who) } });
  expect(res.status).toBe(200);
  return res.text();
}

describe('reviewing a return', () => {
  it('before any decision, the contract manager sees the form and the provider does not', async () => {
    const manager = await page('cm-north');
    expect(manager).toContain('<h2 class="govuk-heading-m" id="review">Review this return</h2>');
    expect(manager).toContain(`<form method="post" action="${receiptUrl}/review" novalidate>`);
    expect(manager).toContain(
      '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Do you accept this return?</legend>',
    );
    expect(manager).toContain(
      '<label class="govuk-label govuk-label--s" for="message">Message to the provider</label>',
    );
    expect(manager).not.toContain('govuk-notification-banner');
    for (const who of ['acme-user', 'comm']) {
      const other = await page(who);
      expect(other).not.toContain('Review this return');
      expect(other).not.toContain('name="decision"');
    }
    expect(await page('admin')).toContain('Review this return');
  });

  it('cm-north accepts then queries; the newest decision counts and the provider sees the query', async () => {
    const accepted = await review('cm-north', { decision: 'accepted', message: '' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(receiptUrl);
    expect(await page('acme-user')).toContain('Accepted by Colin Manager on 26 November 2026');

    const queried = await review('cm-north', {
      decision: 'queried',
      message: 'Row 3: the start date is before the referral <check>.',
    });
    expect(queried.status).toBe(303);

    const provider = await page('acme-user');
    expect(provider).toContain(
      '<h2 class="govuk-notification-banner__title" id="review-banner-title">Return queried</h2>',
    );
    expect(provider).toContain(
      'Queried by Colin Manager: Row 3: the start date is before the referral &lt;check&gt;.',
    );
    expect(provider).not.toContain('Accepted by Colin Manager');
    // The commissioner may see the receipt, so sees the decision too.
    expect(await page('comm')).toContain('Queried by Colin Manager');

    const stored = await reviewsFor(f.pipeline.store, 'plp-test', '2025-01');
    expect(stored.map((r) => [r.decision, r.by, r.receipt_id])).toEqual([
      ['accepted', 'cm-north', plp.id],
      ['queried', 'cm-north', plp.id],
    ]);
    const keys = await f.pipeline.store.list('reviews/plp-test/2025-01/');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(
      new RegExp(`^reviews/plp-test/2025-01/\\d{8}T\\d{9}Z-${plp.id}\\.json$`),
    );

    const history = await page('acme-user', '/contracts/plp-test/returns');
    expect(history).toContain('<th scope="col" class="govuk-table__header">Review</th>');
    expect(history).toContain('<strong class="govuk-tag govuk-tag--orange">Queried</strong>');
  });

  it('a query without a message is a 400 page with an error summary linking to the message', async () => {
    const before = (await reviewsFor(f.pipeline.store, 'plp-test')).length;
    const res = await review('cm-north', { decision: 'queried', message: '   ' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<title>Error: Return accepted');
    expect(text).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(text).toContain(
      '<a href="#message">Enter a message telling the provider what to check or correct</a>',
    );
    expect(text).toContain('id="message-error"');
    expect(text).toContain('value="queried" checked');
    expect((await reviewsFor(f.pipeline.store, 'plp-test')).length).toBe(before);
  });

  it('no decision chosen is a 400 linking to the radios', async () => {
    const text = await (await review('admin', { message: 'hello' })).text();
    expect(text).toContain(
      '<a href="#decision">Select whether you accept the return or query it</a>',
    );
    expect(text).toContain('>hello</textarea>');
  });

  it('providers and commissioners are refused (403) and nothing is stored', async () => {
    const before = (await reviewsFor(f.pipeline.store, 'plp-test')).length;
    for (const who of ['acme-user', 'comm']) {
      const res = await review(who, { decision: 'accepted', message: '' });
      expect(res.status, who).toBe(403);
      expect(await res.text()).toContain(
        'accepted or queried by its contract manager or an administrator',
      );
    }
    expect((await reviewsFor(f.pipeline.store, 'plp-test')).length).toBe(before);
  });

  it('pages never reference an external URL', async () => {
    for (const who of ['cm-north', 'acme-user'])
      expect(await page(who)).not.toMatch(/(src|href|action)="(https?:)?\/\//);
  });
});
