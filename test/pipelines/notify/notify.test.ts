/**
 * Notices by email (ADR 025) against a real SMTP server on 127.0.0.1: which are due on a day,
 * each user's choice, once only, audited; nothing without a server or from the demo. SES is
 * mocked (a fake client recording the command), and only SES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { noticesDue, reviewNotices } from '../../../pipelines/notify/due.js';
import { sesMailer, smtpMailer, type Mailer } from '../../../pipelines/notify/mailer.js';
import { chosenNotices, saveChoice } from '../../../pipelines/notify/notices.js';
import { deliver, DEMO_MARKER } from '../../../pipelines/notify/send.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participants } from '../../fixtures/returns.js';
import { bodyOf, startSmtp, type LocalSmtp } from '../../fixtures/smtp.js';

let smtp: LocalSmtp;
let p: PipelineFixture;
let mailer: Mailer;

function referenceWithEmails() {
  const base = testReference();
  return parseReferenceData({
    ...base,
    // December profiled too, so plp-test moves up an intervention level in January (below).
    profiles: [
      ...base.profiles,
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2024-12', target: 20 },
    ],
    users: base.users.map((u) =>
      u.id === 'acme-user' || u.id === 'cm-north' ? { ...u, email: `${u.id}@example.org` } : u,
    ),
  });
}

beforeAll(async () => {
  smtp = await startSmtp();
  mailer = smtpMailer(smtp.url, 'outturn@example.org');
  p = await pipelineWith(referenceWithEmails(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(3) },
  ]);
});

afterAll(async () => {
  await smtp?.close();
});

describe('notices due on a day', () => {
  it('reminds the provider three working days before the deadline, only when nothing is sent', async () => {
    // February's deadline is Friday 14 March 2025: reminders from Tuesday 11 March.
    const before = await noticesDue(p.store, p.reference, '2025-03-10');
    expect(before.filter((n) => n.kind === 'deadline_reminder')).toEqual([]);
    const due = await noticesDue(p.store, p.reference, '2025-03-11');
    const plp = due.filter((n) => n.kind === 'deadline_reminder' && n.about === 'plp-test/2025-02');
    expect(plp.map((n) => n.userId)).toEqual(['acme-user']);
    expect(plp[0]!.subject).toBe('Your February 2025 return for plp-test is due by 14 March 2025');
    // January was sent on 5 February: no reminder for it on 11 February.
    const january = await noticesDue(p.store, p.reference, '2025-02-11');
    expect(
      january.some((n) => n.about === 'plp-test/2025-01' && n.kind === 'deadline_reminder'),
    ).toBe(false);
  });

  it('tells the contract manager of a late return in the week after the deadline', async () => {
    const due = await noticesDue(p.store, p.reference, '2025-03-17');
    expect(
      due
        .filter((n) => n.kind === 'return_late')
        .map((n) => `${n.userId} ${n.about}`)
        .sort(),
    ).toEqual([
      'cm-north agg-test/2025-02',
      'cm-north plp-test/2025-02',
      'cm-north vrs-test/2025-02',
    ]);
    expect(
      (await noticesDue(p.store, p.reference, '2025-03-25')).some((n) => n.kind === 'return_late'),
    ).toBe(false);
  });
});

describe('sending, through a real SMTP server', () => {
  it('sends each notice once to those with an address, and audits each message', async () => {
    const due = (await noticesDue(p.store, p.reference, '2025-03-11')).filter(
      (n) => n.kind === 'deadline_reminder',
    );
    const now = new Date('2025-03-11T00:00:00.000Z');
    const first = await deliver(p.store, p.reference, mailer, due, { now });
    const sent = first.filter((d) => d.outcome === 'sent');
    // acme-user has two contracts due (plp-test, agg-test); north-user has no address.
    expect(sent.map((d) => d.notice.about).sort()).toEqual([
      'agg-test/2025-02',
      'plp-test/2025-02',
    ]);
    expect(first.filter((d) => d.outcome === 'no_address').map((d) => d.notice.userId)).toEqual([
      'north-user',
    ]);
    const messages = await smtp.waitFor(2);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.to).toEqual(['acme-user@example.org']);
    expect(messages[0]!.from).toBe('outturn@example.org');
    expect(bodyOf(messages.find((m) => m.raw.includes('plp-test is due'))!.raw)).toMatch(
      /The return for February 2025 on contract plp-test is due by 14 March 2025, and has not been sent yet\./,
    );
    const again = await deliver(p.store, p.reference, mailer, due, { now });
    expect(again.filter((d) => d.outcome === 'sent')).toEqual([]);
    expect(again.filter((d) => d.outcome === 'sent_before')).toHaveLength(2);
    expect(smtp.messages).toHaveLength(2);
    const audited = (await listAudit(p.store)).filter((e) => e.action === 'notification_sent');
    expect(audited).toHaveLength(2);
    expect(audited[0]).toMatchObject({ who: 'notify', target: 'acme-user', from: 'notify' });
    expect(audited[0]!.detail).toMatch(
      /^deadline_reminder \((agg|plp)-test\/2025-02\) to acme-user@example\.org by smtp:\/\/127\.0\.0\.1:\d+: /,
    );
  });

  it('sends nothing a user turned off, nothing with no server, and nothing from the demo unless asked', async () => {
    const acme = p.reference.users.find((u) => u.id === 'acme-user')!;
    await saveChoice(p.store, acme, ['return_queried'], new Date('2025-03-01T00:00:00.000Z'));
    expect([...(await chosenNotices(p.store, acme))]).toEqual(['return_queried']);
    const review = {
      receipt_id: '20250205T100000000Z-abcdef12',
      contract_id: 'plp-test',
      period: '2025-01',
      decision: 'accepted' as const,
      message: null,
      by: 'cm-north',
      at: '2025-03-02T10:00:00.000Z',
    };
    const now = new Date('2025-03-02T10:00:00.000Z');
    const off = await deliver(p.store, p.reference, mailer, reviewNotices(p.reference, review), {
      now,
    });
    expect(off.map((d) => d.outcome)).toEqual(['turned_off']);
    const queried = reviewNotices(p.reference, {
      ...review,
      decision: 'queried',
      message: 'Row 2: check the start date',
    });
    expect(
      (await deliver(p.store, p.reference, null, queried, { now })).map((d) => d.outcome),
    ).toEqual(['no_mailer']);
    await p.store.put(DEMO_MARKER, '{}');
    expect(
      (await deliver(p.store, p.reference, mailer, queried, { now })).map((d) => d.outcome),
    ).toEqual(['demo']);
    const asked = await deliver(p.store, p.reference, mailer, queried, { now, includeDemo: true });
    expect(asked.map((d) => d.outcome)).toEqual(['sent']);
    await p.store.delete(DEMO_MARKER);
    const [message] = (await smtp.waitFor(3)).slice(2);
    expect(message!.raw).toMatch(/Subject: Your January 2025 return for plp-test has been queried/);
    expect(bodyOf(message!.raw)).toMatch(
      /Colin Manager has queried your return for January 2025 on contract plp-test:\r?\n\r?\nRow 2: check the start date/,
    );
  });

  it('tells the contract manager once when the contract moves to a worse intervention level', async () => {
    // Worked by hand from the fixture: plp-test's one return (January 2025) holds 3 referrals,
    // so its months run to January; referrals are profiled at 20 in December and January. plp
    // has the default rule (rolling 3 months below 90% of profile; 2 months below in a row: up
    // one level). Rolling 3: Oct and Nov have no profile (not judged); Dec 0/20 below (run 1,
    // level 0); Jan 3/40 below (run 2: up to level 1).
    const levels = (due: Awaited<ReturnType<typeof noticesDue>>) =>
      due.filter((n) => n.kind === 'level_worse');
    // On 20 January the newest month ended is December: below, but no move yet.
    expect(levels(await noticesDue(p.store, p.reference, '2025-01-20'))).toEqual([]);
    // On 11 February it is January, when the level went up.
    const due = levels(await noticesDue(p.store, p.reference, '2025-02-11'));
    expect(due.map((n) => `${n.userId} ${n.about}`)).toEqual(['cm-north plp-test/2025-01']);
    const now = new Date('2025-02-11T00:00:00.000Z');
    const first = await deliver(p.store, p.reference, mailer, due, { now });
    expect(first.map((d) => d.outcome)).toEqual(['sent']);
    const message = (await smtp.waitFor(4)).at(-1)!;
    expect(message.to).toEqual(['cm-north@example.org']);
    expect(message.raw).toMatch(
      /Subject: plp-test moved to Level 1: performance review in January\s+2025/,
    );
    expect(bodyOf(message.raw).replace(/\r?\n/g, '\n')).toContain(
      'Contract plp-test moved to Level 1: performance review in January 2025, judged on ' +
        'performance against profile over the rolling 3 months (below profile: Referrals).\n\n' +
        'Level 1: performance review: The contract manager meets the provider to agree why ' +
        'performance is below profile.',
    );
    // A later run still finds January the newest month judged: the same notice, not sent again.
    const later = levels(await noticesDue(p.store, p.reference, '2025-03-11'));
    expect(
      (await deliver(p.store, p.reference, mailer, later, { now })).map((d) => d.outcome),
    ).toEqual(['sent_before']);
    expect(smtp.messages).toHaveLength(4);
  });

  it('in AWS sends through SES (mocked here: a fake client records the command)', async () => {
    const commands: SendEmailCommand[] = [];
    const ses = sesMailer(
      {
        send: async (command: SendEmailCommand) => (
          commands.push(command),
          { MessageId: 'ses-1', $metadata: {} }
        ),
      } as never,
      'outturn@dwp.example',
    );
    expect(await ses.send({ to: 'a@example.org', subject: 'S', text: 'T' })).toBe('ses-1');
    expect(commands[0]!.input).toEqual({
      FromEmailAddress: 'outturn@dwp.example',
      Destination: { ToAddresses: ['a@example.org'] },
      Content: {
        Simple: {
          Subject: { Data: 'S', Charset: 'UTF-8' },
          Body: { Text: { Data: 'T', Charset: 'UTF-8' } },
        },
      },
    });
  });
});
