/**
 * Claims verification in Chromium (ADR 040): the provider records the evidence for a month's
 * sample, and the contract manager sees the error rate and the adjusted payment; axe on each page.
 *
 * plp-test pays £1,200 per job entry. Its 2025-03 return has 12 job entries in March; the
 * programme samples 5 (share 10% → 2, raised to min 5). One of the 5 is "not held": 20%, so
 * 0.2 × 12 × £1,200 = £2,880 is taken off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/web/app.js';
import { listAudit } from '../../pipelines/audit/audit-log.js';
import { parseReferenceData } from '../../pipelines/reference/load.js';
import { pipelineWith, type PipelineFixture } from '../fixtures/pipeline.js';
import { participants } from '../fixtures/returns.js';
import { NOW, SECRET, webReference } from '../functions/web/fixture.js';
import { openBrowser, seriousViolations, serveApp, type BrowserSession } from './harness.js';

let p: PipelineFixture;
let server: Awaited<ReturnType<typeof serveApp>>;
let session: BrowserSession;

beforeAll(async () => {
  const base = webReference();
  const reference = parseReferenceData({
    ...base,
    programmes: base.programmes.map((x) =>
      x.id === 'plp' ? { ...x, claims_sample: { share: 0.1, min: 5, max: 30 } } : x,
    ),
  });
  p = await pipelineWith(reference, [
    {
      contractId: 'plp-test',
      period: '2025-03',
      rows: participants(12, () => ({
        referral_date: '2025-01-06',
        first_contact_date: '2025-01-08',
        start_date: '2025-01-20',
        job_entry_date: '2025-03-10',
      })),
    },
  ]);
  const app = createApp({ store: p.store, sessionSecret: SECRET, now: () => NOW });
  server = await serveApp(app.fetch);
  session = await openBrowser();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

async function signIn(name: string) {
  await session.context.clearCookies();
  const page = await session.context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(name, { exact: false }).check();
  await Promise.all([
    page.waitForURL(`${server.url}/`),
    page.getByRole('button', { name: /sign in/i }).click(),
  ]);
  return page;
}

describe('claims verification, in the browser', () => {
  it('the provider records the evidence; the manager sees the adjusted payment', async () => {
    const provider = await signIn('Ann Provider');
    await provider.goto(`${server.url}/contracts/plp-test/claims`);
    expect(await seriousViolations(provider)).toEqual([]);
    await expect
      .poll(() => provider.locator('.govuk-inset-text').innerText())
      .toContain('1 sample is waiting');
    await provider.getByRole('link', { name: 'Job entries' }).click();
    await provider.waitForURL(/\/claims\/2025-03\/job_entry$/);
    expect(await seriousViolations(provider)).toEqual([]);

    // Sent with nothing chosen: every claim is named in the error summary, nothing is stored.
    await provider.getByRole('button', { name: 'Save the evidence' }).click();
    await expect
      .poll(() => provider.locator('.govuk-error-summary').innerText())
      .toContain('Claim 5');
    expect(await seriousViolations(provider)).toEqual([]);

    for (let n = 1; n <= 5; n++) await provider.locator(`#evidence-${n}`).check();
    await provider.locator('#evidence-3-not').check();
    await provider.locator('#note-3').fill('Employer did not confirm the start date');
    await Promise.all([
      provider.waitForURL(`${server.url}/contracts/plp-test/claims`),
      provider.getByRole('button', { name: 'Save the evidence' }).click(),
    ]);
    await provider.close();

    const manager = await signIn('Colin Manager');
    await manager.goto(`${server.url}/contracts/plp-test/claims`);
    expect(await seriousViolations(manager)).toEqual([]);
    const checked = await manager
      .getByRole('table', { name: 'Claims checked by month' })
      .innerText();
    expect(checked).toContain('20');
    expect(checked).toContain('£2,880');
    const adjusted = await manager
      .getByRole('table', { name: 'Payments due after verification' })
      .innerText();
    expect(adjusted).toContain('£2,880');
    await manager.getByRole('link', { name: 'Job entries' }).click();
    const sample = await manager.getByRole('table', { name: 'Claims in the sample' }).innerText();
    expect(sample).toContain('Employer did not confirm the start date');
    expect(await manager.getByRole('button', { name: 'Save the evidence' }).count()).toBe(0);
    expect(await seriousViolations(manager)).toEqual([]);
    await manager.close();

    const audited = (await listAudit(p.store)).filter((e) => e.action === 'record_claim_evidence');
    expect(audited.map((e) => [e.who, e.target])).toEqual([
      ['acme-user', 'plp-test/2025-03/job_entry'],
    ]);
    expect(session.blocked).toEqual([]);
  }, 180_000);
});
