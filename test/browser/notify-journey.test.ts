/**
 * A contract manager queries a return in Chromium, and the provider's email arrives in a real
 * SMTP server on 127.0.0.1 (ADR 025); the provider then chooses which emails they get, and a
 * return the provider sends that fails its checks brings the "not accepted" email.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/web/app.js';
import { listReceipts } from '../../pipelines/ingest/ingest.js';
import { smtpMailer } from '../../pipelines/notify/mailer.js';
import { parseReferenceData } from '../../pipelines/reference/load.js';
import { pipelineWith, type PipelineFixture } from '../fixtures/pipeline.js';
import { csvOf, participant, participants } from '../fixtures/returns.js';
import { bodyOf, startSmtp, type LocalSmtp } from '../fixtures/smtp.js';
import { NOW, SECRET, webReference } from '../functions/web/fixture.js';
import { openBrowser, seriousViolations, serveApp, type BrowserSession } from './harness.js';

let smtp: LocalSmtp;
let p: PipelineFixture;
let server: Awaited<ReturnType<typeof serveApp>>;
let session: BrowserSession;

beforeAll(async () => {
  smtp = await startSmtp();
  const base = webReference();
  const reference = parseReferenceData({
    ...base,
    users: base.users.map((u) => (u.id === 'acme-user' ? { ...u, email: 'ann@acme.example' } : u)),
  });
  p = await pipelineWith(reference, [
    { contractId: 'plp-test', period: '2025-01', rows: participants(4) },
  ]);
  const app = createApp({
    store: p.store,
    sessionSecret: SECRET,
    now: () => NOW,
    mailer: smtpMailer(smtp.url, 'outturn@example.org'),
  });
  server = await serveApp(app.fetch);
  session = await openBrowser();
});

afterAll(async () => {
  await session?.close();
  await server?.close();
  await smtp?.close();
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

describe('a queried return, by email', () => {
  it('the manager queries it on the page; the provider’s email arrives; the provider chooses', async () => {
    const [receipt] = await listReceipts(p.store, { contractId: 'plp-test' });
    const manager = await signIn('Colin Manager');
    await manager.goto(`${server.url}/contracts/plp-test/returns/${receipt!.id}`);
    await manager.getByLabel('Query it with the provider').check();
    await manager
      .getByLabel('Message to the provider')
      .fill('Row 3: the start date is before the referral.');
    await Promise.all([
      manager.waitForURL(`${server.url}/contracts/plp-test/returns/${receipt!.id}`),
      manager.getByRole('button', { name: 'Save decision' }).click(),
    ]);
    expect(await manager.getByText('Queried by Colin Manager').count()).toBeGreaterThan(0);
    await manager.close();

    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['ann@acme.example']);
    expect(mail!.raw).toMatch(/Subject: Your January 2025 return for plp-test has been queried/);
    expect(bodyOf(mail!.raw)).toMatch(/Row 3: the start date is before the referral\./);

    const provider = await signIn('Ann Provider');
    await provider.goto(`${server.url}/notifications`);
    expect(await seriousViolations(provider)).toEqual([]);
    expect(await provider.getByText('Emails are sent to ann@acme.example').count()).toBe(1);
    await provider.getByLabel('A return was accepted').uncheck();
    await Promise.all([
      provider.waitForURL(`${server.url}/notifications?saved=yes`),
      provider.getByRole('button', { name: 'Save your choices' }).click(),
    ]);
    expect(await provider.getByLabel('A return was accepted').isChecked()).toBe(false);
    expect(await provider.getByLabel('A return was queried').isChecked()).toBe(true);
    expect(await seriousViolations(provider)).toEqual([]);
    await provider.close();
    expect(session.blocked).toEqual([]);
    expect(session.policyViolations).toEqual([]);
  });

  it('the provider sends a return that fails its checks; the “not accepted” email arrives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outturn-notify-'));
    const bad = join(dir, 'february-bad.csv');
    // A job entry before the referral: refused, with the row and column in the report.
    await writeFile(
      bad,
      csvOf([
        participant({
          participant_id: 'F-3',
          referral_date: '2025-02-10',
          first_contact_date: '',
          start_date: '',
          job_entry_date: '2025-02-01',
        }),
      ]),
    );
    const before = (await smtp.waitFor(0)).length;
    const provider = await signIn('Ann Provider');
    await provider.goto(`${server.url}/contracts/plp-test/returns/new`);
    await provider.getByLabel(/month/i).selectOption('2025-02');
    await provider.setInputFiles('input[type=file]', bad);
    await Promise.all([
      provider.waitForURL(/\/contracts\/plp-test\/returns\/(?!new)/),
      provider.getByRole('button', { name: /check and send/i }).click(),
    ]);
    await expect(provider.locator('h1').first().innerText()).resolves.toMatch(/not accepted/i);
    await provider.close();

    const mails = await smtp.waitFor(before + 1);
    const mail = mails.slice(before).find((m) => /was not accepted/.test(m.raw));
    expect(mail, 'a “not accepted” email').toBeDefined();
    expect(mail!.to).toEqual(['ann@acme.example']);
    expect(mail!.raw).toMatch(/Subject: Your February 2025 return for plp-test was not accepted/);
    expect(session.blocked).toEqual([]);
    expect(session.policyViolations).toEqual([]);
  });
});
