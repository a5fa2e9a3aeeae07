/**
 * No silent loss of a caseload (issue 9 item 7, ADR 023): real files through the real ingest
 * and a real DuckDB build. A version that drops most of the caseload is held; re-sending an
 * earlier version's bytes restores it as a new version; withdrawing puts the one before back;
 * the marts follow the version in force throughout.
 */
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { caseloadMessage } from '../../../pipelines/ingest/caseload.js';
import {
  ingestReturn,
  listSubmissions,
  versionsInForce,
  type IngestInput,
} from '../../../pipelines/ingest/ingest.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { csvTemplate, xlsxTemplate } from '../../../pipelines/returns/templates.js';
import {
  actOnVersion,
  actionMessage,
  VersionActionError,
} from '../../../pipelines/ingest/version-action.js';
import { returnVersionsOf } from '../../../pipelines/ingest/versions.js';
import { pipelineWith, type PipelineFixture as Pipeline } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participants } from '../../fixtures/returns.js';

/** The test reference data with a second participant contract held by the same provider. */
function referenceWithSibling(): ReferenceData {
  const base = testReference();
  const plp = base.contracts.find((c) => c.id === 'plp-test')!;
  return parseReferenceData({
    ...base,
    contracts: [
      ...base.contracts,
      { ...plp, id: 'plp-second', area: { code: 'D02', name: 'Second District' } },
    ],
  });
}

/** 40 participants referred in January; the first 24 have started. */
const caseload = participants(40, (i) => ({
  referral_date: '2025-01-06',
  first_contact_date: '2025-01-08',
  start_date: i < 24 ? '2025-01-20' : '',
}));
const march = bytesOf(csvOf(caseload));
const at = (day: string) => new Date(`2025-04-${day}T10:00:00.000Z`);

let p: Pipeline;
let reference: ReferenceData;
beforeEach(async () => {
  reference = referenceWithSibling();
  p = await pipelineWith(reference);
});

function send(bytes: Uint8Array, more: Partial<IngestInput> = {}) {
  return ingestReturn({
    store: p.store,
    bytes,
    fileName: 'plp-test-2025-03.csv',
    contractId: 'plp-test',
    period: '2025-03',
    submittedBy: 'acme-user',
    reference,
    now: at('05'),
    ...more,
  });
}

async function referralsToDate(): Promise<unknown> {
  await p.build('2025-04-30');
  const rows = await p.query(
    `select cumulative_actual from performance where contract_id = 'plp-test' and measure_id = 'referrals' and period = '2025-03'`,
  );
  return rows[0]?.cumulative_actual;
}

async function states() {
  const { receipts, actions } = await listSubmissions(p.store, {
    contractId: 'plp-test',
    period: '2025-03',
  });
  return returnVersionsOf(receipts, actions)[0]!.versions.map((v) => [v.receipt.version, v.state]);
}

describe('a version that would remove much of the caseload', () => {
  it('is held, not put in force, when it is the unfilled CSV template', async () => {
    expect((await send(march)).outcome).toBe('in_force');
    const empty = await send(bytesOf(csvTemplate('participant')), { now: at('06') });
    expect(empty.outcome).toBe('held');
    expect(empty.receipt.status).toBe('accepted');
    if (empty.receipt.status !== 'accepted') return;
    expect(empty.receipt.caseload).toEqual({
      compared_with: { period: '2025-03', version: 1 },
      participants_before: 40,
      participants_now: 0,
      participants_kept: 0,
      participants_removed: 40,
      // 40 referrals, 40 first contacts, 24 starts
      milestones_removed: 104,
      drop: 'empty',
      held: true,
    });
    expect(caseloadMessage(empty.receipt.caseload!)).toBe(
      "This file has no participants; the version in force for 2025-03 (version 1) has 40 participants. Putting it in force would remove 40 participants and 104 milestones from the contract's figures. It is held, not in force: confirm it if the participants really should go, or discard it and send the complete return (every participant referred so far).",
    );
    expect(await states()).toEqual([
      [1, 'in_force'],
      [2, 'held'],
    ]);
    expect(await referralsToDate()).toBe(40);
  });

  it('is held when it is the XLSX template saved back with no rows', async () => {
    await send(march);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsxTemplate('participant')) as unknown as ArrayBuffer);
    const saved = new Uint8Array(await workbook.xlsx.writeBuffer());
    const held = await send(saved, { fileName: 'plp-test-2025-03.xlsx', now: at('06') });
    expect(held.outcome).toBe('held');
    expect(held.receipt.counts.rows).toBe(0);
    expect(await referralsToDate()).toBe(40);
  });

  it('is held when it has fewer than half of the participants, or shares almost none', async () => {
    await send(march);
    const partial = await send(bytesOf(csvOf(caseload.slice(0, 19))), { now: at('06') });
    expect(partial.outcome).toBe('held');
    expect(partial.receipt.status === 'accepted' && partial.receipt.caseload?.drop).toBe(
      'fewer_than_half',
    );
    // 40 participants, 7 of them (17.5%) the ones in force.
    const renumbered = [
      ...caseload.slice(0, 7),
      ...participants(33, () => ({})).map((r) => ({
        ...r,
        participant_id: `Q-${r.participant_id}`,
      })),
    ];
    const other = await send(bytesOf(csvOf(renumbered)), { now: at('07') });
    expect(other.outcome).toBe('held');
    expect(other.receipt.status === 'accepted' && other.receipt.caseload?.drop).toBe(
      'little_overlap',
    );
    // A newer version arriving discards the held one before it.
    expect(await states()).toEqual([
      [1, 'in_force'],
      [2, 'discarded'],
      [3, 'held'],
    ]);
    expect(await referralsToDate()).toBe(40);
  });

  it("is held when this month's file leaves out the caseload to date (the month before)", async () => {
    await send(march);
    const april = participants(3, (i) => ({
      participant_id: `P-1000${i}`,
      referral_date: '2025-04-02',
      first_contact_date: '',
      start_date: '',
    }));
    const result = await send(bytesOf(csvOf(april)), {
      period: '2025-04',
      now: new Date('2025-05-06T10:00:00.000Z'),
    });
    expect(result.outcome).toBe('held');
    expect(result.receipt.status === 'accepted' && result.receipt.caseload?.compared_with).toEqual({
      period: '2025-03',
      version: 1,
    });
    await p.build('2025-05-30');
    const rows = await p.query(
      `select cumulative_actual from performance where contract_id = 'plp-test' and measure_id = 'referrals' and period = '2025-03'`,
    );
    expect(rows[0]?.cumulative_actual).toBe(40);
  });

  it('is put in force at once when the sender confirms the removal as they send it', async () => {
    await send(march);
    const confirmed = await send(bytesOf(csvOf(caseload.slice(0, 10))), {
      now: at('06'),
      confirmRemoval: true,
    });
    expect(confirmed.outcome).toBe('in_force');
    expect(confirmed.receipt.status === 'accepted' && confirmed.receipt.caseload?.held).toBe(false);
    expect(await referralsToDate()).toBe(10);
  });

  it('is not held when it keeps the caseload (a resubmission with a few changes)', async () => {
    await send(march);
    const next = await send(bytesOf(csvOf(caseload.slice(0, 38))), { now: at('06') });
    expect(next.outcome).toBe('in_force');
    expect(next.receipt.status === 'accepted' && next.receipt.caseload?.drop).toBe(null);
    expect(await referralsToDate()).toBe(38);
  });

  it('is not held as the first return of a contract, even with no rows', async () => {
    expect((await send(bytesOf(csvTemplate('participant')))).outcome).toBe('in_force');
  });
});

describe('confirming and discarding a held version', () => {
  it('confirming puts it in force; the marts follow; each step leaves a receipt', async () => {
    await send(march);
    await send(bytesOf(csvTemplate('participant')), { now: at('06') });
    const { action, versions } = await actOnVersion({
      store: p.store,
      reference,
      action: 'confirm',
      contractId: 'plp-test',
      period: '2025-03',
      version: 2,
      by: 'acme-user',
      reason: 'The service closed; nobody is on the caseload.',
      now: at('07'),
    });
    expect(actionMessage(action)).toBe('Version 2 confirmed; version 2 is in force.');
    expect(versions.inForce?.version).toBe(2);
    expect(await p.store.list('versions/plp-test/2025-03/')).toEqual([
      'versions/plp-test/2025-03/a000001.json',
    ]);
    expect(await referralsToDate()).toBe(0);
  });

  it('discarding leaves the version in force as it was, and keeps everything sent', async () => {
    await send(march);
    const held = await send(bytesOf(csvTemplate('participant')), { now: at('06') });
    const rawBefore = await p.store.list('raw/');
    const { versions } = await actOnVersion({
      store: p.store,
      reference,
      action: 'discard',
      contractId: 'plp-test',
      period: '2025-03',
      version: 2,
      by: 'acme-user',
      now: at('07'),
    });
    expect(versions.inForce?.version).toBe(1);
    expect(await states()).toEqual([
      [1, 'in_force'],
      [2, 'discarded'],
    ]);
    expect(await p.store.list('raw/')).toEqual(rawBefore);
    expect(await p.store.exists(held.receipt.raw_key)).toBe(true);
    if (held.receipt.status === 'accepted')
      expect(await p.store.exists(held.receipt.staged_key)).toBe(true);
    expect(await referralsToDate()).toBe(40);
  });

  it('refuses, writing nothing, to confirm a version that is not held or for someone else', async () => {
    await send(march);
    await send(bytesOf(csvTemplate('participant')), { now: at('06') });
    const act = (more: Partial<Parameters<typeof actOnVersion>[0]>) =>
      actOnVersion({
        store: p.store,
        reference,
        action: 'confirm',
        contractId: 'plp-test',
        period: '2025-03',
        version: 2,
        by: 'acme-user',
        now: at('07'),
        ...more,
      });
    await expect(act({ version: 1 })).rejects.toThrow(/is not held \(it is in force\)/);
    await expect(act({ version: 9 })).rejects.toThrow(/has no version 9/);
    await expect(act({ by: 'cm-north' })).rejects.toThrow(VersionActionError);
    await expect(act({ by: 'north-user' })).rejects.toThrow(/Only the provider/);
    expect(await p.store.list('versions/')).toEqual([]);
  });
});

describe('re-sending the bytes of an earlier version', () => {
  it('restores it as a new version naming the same raw bytes; the same bytes as the version in force change nothing', async () => {
    const first = await send(march);
    await send(bytesOf(csvTemplate('participant')), { now: at('06'), confirmRemoval: true });
    expect(await referralsToDate()).toBe(0);

    const restored = await send(march, { now: at('07') });
    expect(restored.outcome).toBe('restored');
    expect(restored.duplicate).toBe(false);
    expect(restored.receipt.status).toBe('accepted');
    if (restored.receipt.status !== 'accepted') return;
    expect(restored.receipt.version).toBe(3);
    expect(restored.receipt.raw_key).toBe(first.receipt.raw_key);
    expect(restored.receipt.restores).toEqual({ version: 1, receipt_id: first.receipt.id });
    expect(await states()).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'in_force'],
    ]);
    expect(await referralsToDate()).toBe(40);

    const again = await send(march, { now: at('08') });
    expect(again).toMatchObject({ duplicate: true, outcome: 'unchanged' });
    expect(again.receipt.id).toBe(restored.receipt.id);
  });
});

describe('withdrawing the version in force', () => {
  it('puts the one before back in force, by the provider or the contract manager, and the marts follow', async () => {
    await send(march);
    await send(bytesOf(csvOf(caseload.slice(0, 30))), { now: at('06') });
    expect(await referralsToDate()).toBe(30);
    const withdraw = (version: number, by: string, day: string) =>
      actOnVersion({
        store: p.store,
        reference,
        action: 'withdraw',
        contractId: 'plp-test',
        period: '2025-03',
        version,
        by,
        reason: 'Sent for the wrong month',
        now: at(day),
      });
    const { action } = await withdraw(2, 'cm-north', '07');
    expect(actionMessage(action)).toBe('Version 2 withdrawn; version 1 is in force again.');
    expect(await referralsToDate()).toBe(40);
    await expect(withdraw(2, 'acme-user', '08')).rejects.toThrow(/only the version in force/);
    await expect(withdraw(1, 'north-user', '08')).rejects.toThrow(/Only the provider/);
    const last = await withdraw(1, 'acme-user', '08');
    expect(last.versions.inForce).toBe(null);
    expect(actionMessage(last.action)).toBe(
      'Version 1 withdrawn; no version of this return is in force now.',
    );
    expect(await versionsInForce(p.store, { contractId: 'plp-test' })).toEqual([]);
    await p.build('2025-04-30');
    expect(
      await p.query(
        `select status, accepted_versions, version_in_force from returns_status where contract_id = 'plp-test' and period = '2025-03'`,
      ),
    ).toEqual([{ status: 'withdrawn', accepted_versions: 0, version_in_force: null }]);
    // Nothing uploaded is deleted.
    expect(await p.store.list('staged/participant/plp-test/2025-03/')).toHaveLength(2);
  });
});

describe('a return for another contract', () => {
  it("is refused when most of its participants are another of the provider's contracts'", async () => {
    await send(march, { contractId: 'plp-second' });
    const wrong = await send(march, { now: at('06') });
    expect(wrong.outcome).toBe('rejected');
    expect(wrong.receipt.report.problems[0]).toMatchObject({
      rule: 'reference.other_contract',
      message:
        "40 of the 40 participants in this file are in contract plp-second's return for 2025-03, and 0 in contract plp-test's, so it looks like plp-second's return.",
      fix: "Check which contract the file is for: send it as plp-second's return, or send plp-test's own return.",
    });
    expect(await versionsInForce(p.store, { contractId: 'plp-test' })).toEqual([]);
  });

  it('is refused when its period is outside the contract', async () => {
    const result = await send(march, { period: '2024-06' });
    expect(result.outcome).toBe('rejected');
    expect(result.receipt.report.problems[0]?.message).toBe(
      'Contract plp-test runs from 2024-10 to 2027-09, so it has no return for 2024-06.',
    );
  });
});

describe('the audit log', () => {
  it('is written by the callers (web, CLI), not the pipeline: ingest alone leaves none', async () => {
    await send(march);
    expect(await listAudit(p.store)).toEqual([]);
  });
});
