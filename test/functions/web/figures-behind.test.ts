/**
 * Issue 15.2 (ADR 027): when a build fails after a return's receipt is written, the dashboards
 * say their figures are behind, until a build includes it. The failure is injected with
 * FaultyStore (uploads to curated/ refused, as on a full disk); the app and store are real.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { inlinePipeline } from '../../../functions/web/pipeline.js';
import { FaultyStore } from '../../pipelines/store/faulty-store.js';
import { bytesOf, csvOf, participants } from '../../fixtures/returns.js';
import { NOW, webFixture, type WebFixture, type Who } from './fixture.js';

let f: WebFixture;

async function page(who: Who, path: string): Promise<string> {
  const res = await f.app.request(path, { headers: await f.as(who, path) });
  expect(res.status).toBe(200);
  return res.text();
}

const BEHIND = 'These figures do not yet include';

beforeAll(async () => {
  f = await webFixture();
});

describe('after a build that failed', () => {
  it('the pages say the figures are behind, naming the return where a page shows returns', async () => {
    expect(await page('acme-user', '/contracts/plp-test')).not.toContain(BEHIND);
    const reference = f.pipeline.reference;
    const failing = new FaultyStore(
      f.pipeline.store,
      (op, key) => op === 'putFile' && key.startsWith('curated/'),
    );
    const sent = await inlinePipeline.submitReturn(failing, {
      contract: reference.contracts.find((c) => c.id === 'plp-test')!,
      period: '2025-02',
      fileName: 'february.csv',
      bytes: bytesOf(csvOf(participants(7))),
      submittedBy: 'acme-user',
      reference,
      from: '127.0.0.1',
      now: NOW,
    });
    expect(sent).toMatchObject({ queued: false, marts: { rebuilt: false } });

    const contract = await page('acme-user', '/contracts/plp-test');
    expect(contract).toContain(
      `${BEHIND} the return for plp-test 2025-02. They will once the dashboards are next rebuilt`,
    );
    expect(contract).toContain('govuk-notification-banner');
    const programme = await page('comm', '/programmes/plp');
    expect(programme).toContain(`${BEHIND} every return received.`);
    expect(programme).not.toContain('2025-02.');
    // Another contract's page is not behind.
    expect(await page('north-user', '/contracts/vrs-south')).not.toContain(BEHIND);
  });
});
