/**
 * An improvement plan in Chromium (ADR 039): the contract manager adds an action; the provider
 * sees it, marks it done with a note; the manager sees the update, and the review pack shows the
 * action and the commentary the manager writes. Each page is checked with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/web/app.js';
import { actionHistory } from '../../pipelines/review/plans.js';
import { listAudit } from '../../pipelines/audit/audit-log.js';
import { pipelineWith, type PipelineFixture } from '../fixtures/pipeline.js';
import { participants } from '../fixtures/returns.js';
import { NOW, SECRET, webReference } from '../functions/web/fixture.js';
import { openBrowser, seriousViolations, serveApp, type BrowserSession } from './harness.js';

let p: PipelineFixture;
let server: Awaited<ReturnType<typeof serveApp>>;
let session: BrowserSession;

beforeAll(async () => {
  p = await pipelineWith(webReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(4) },
  ]);
  const app = createApp({ store: p.store, sessionSecret: SECRET, now: () => NOW });
  server = await serveApp(app.fetch);
  session = await openBrowser();
});

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

describe('an improvement plan', () => {
  it('the manager writes an action; the provider sees it and updates it', async () => {
    const manager = await signIn('Colin Manager');
    await manager.goto(`${server.url}/contracts/plp-test/plan`);
    expect(await seriousViolations(manager)).toEqual([]);
    expect(await manager.getByRole('heading', { name: 'Intervention level' }).count()).toBe(1);
    // A mistake first: the error summary names the field.
    await manager.getByLabel('Owner').fill('Acme delivery lead');
    await manager.getByRole('button', { name: 'Add the action' }).click();
    expect(
      await manager.getByRole('link', { name: 'Enter what the provider will do' }).count(),
    ).toBe(1);
    expect(await seriousViolations(manager)).toEqual([]);
    await manager.getByLabel('Action').fill('Contact every referral within 2 working days');
    await manager.getByLabel('Due date').fill('2025-03-31');
    await Promise.all([
      manager.waitForURL(`${server.url}/contracts/plp-test/plan?done=added`),
      manager.getByRole('button', { name: 'Add the action' }).click(),
    ]);
    expect(
      await manager
        .getByRole('rowheader', { name: 'Contact every referral within 2 working days' })
        .count(),
    ).toBe(1);
    await manager.close();

    const provider = await signIn('Ann Provider');
    await provider.goto(`${server.url}/contracts/plp-test/plan`);
    expect(await seriousViolations(provider)).toEqual([]);
    expect(
      await provider
        .getByRole('rowheader', { name: 'Contact every referral within 2 working days' })
        .count(),
    ).toBe(1);
    // The provider may not add actions: no form.
    expect(await provider.getByRole('button', { name: 'Add the action' }).count()).toBe(0);
    await provider.getByRole('link', { name: /^Update/ }).click();
    expect(await seriousViolations(provider)).toEqual([]);
    // Only status and notes for the provider.
    expect(await provider.getByLabel('Owner').count()).toBe(0);
    await provider.getByLabel('Done').check();
    await provider.getByLabel('Notes').fill('94% of February’s referrals contacted within 2 days.');
    await Promise.all([
      provider.waitForURL(`${server.url}/contracts/plp-test/plan?done=updated`),
      provider.getByRole('button', { name: 'Save the action' }).click(),
    ]);
    expect(
      await provider.getByText('94% of February’s referrals contacted within 2 days.').count(),
    ).toBe(1);
    await provider.close();

    // Both versions are kept, and both changes audited.
    const history = await actionHistory(p.store, 'plp-test');
    expect(history.map((a) => [a.status, a.by])).toEqual([
      ['open', 'cm-north'],
      ['done', 'acme-user'],
    ]);
    const audit = await listAudit(p.store);
    expect(audit.filter((e) => e.action === 'add_plan_action')).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'update_plan_action')[0]?.detail).toContain(
      'status open → done',
    );

    const reviewer = await signIn('Colin Manager');
    await reviewer.goto(`${server.url}/contracts/plp-test/review?quarter=2024-25-Q4`);
    expect(
      await reviewer
        .getByRole('heading', { name: 'Provider Performance Review: Q4 2024/25' })
        .count(),
    ).toBe(1);
    expect(await reviewer.getByText('Done', { exact: true }).count()).toBeGreaterThan(0);
    await reviewer
      .getByLabel('Your commentary on Q4 2024/25')
      .fill('Referrals are behind profile; contact times are now within the standard.');
    await Promise.all([
      reviewer.waitForURL(/\/review\?quarter=2024-25-Q4&done=commentary/),
      reviewer.getByRole('button', { name: 'Save the commentary' }).click(),
    ]);
    expect(await seriousViolations(reviewer)).toEqual([]);
    await reviewer.close();

    const reader = await signIn('Ann Provider');
    await reader.goto(`${server.url}/contracts/plp-test/review?quarter=2024-25-Q4`);
    expect(
      await reader
        .getByText('Referrals are behind profile; contact times are now within the standard.')
        .count(),
    ).toBe(1);
    expect(await reader.getByRole('button', { name: 'Save the commentary' }).count()).toBe(0);
    expect(await seriousViolations(reader)).toEqual([]);
    await reader.close();
  });
});
