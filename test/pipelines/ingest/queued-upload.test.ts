/**
 * Queued uploads (ADR 015): the ingest of an upload from its intent and file, its outcome written
 * once, refusals as outcomes, store failures as errors, and the status the app shows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import {
  incomingFileKey,
  ingestUpload,
  newUploadId,
  outcomeKey,
  readOutcome,
  uploadIdOfFileKey,
  uploadStatus,
  writeIntent,
  type UploadIntent,
} from '../../../pipelines/ingest/queued-upload.js';
import { putReference } from '../../../pipelines/ingest/reference-store.js';
import { FaultyStore } from '../store/faulty-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { getText, type ObjectStore } from '../../../pipelines/store/object-store.js';
import { testReference } from '../../fixtures/reference.js';
import { csvOf, participants } from '../../fixtures/returns.js';

let dir: string;
let store: LocalStore;
const at = new Date('2025-02-05T10:00:00.000Z');
const id = '20250205T095900000Z-0123456789ab';
const intent = (over: Partial<UploadIntent> = {}): UploadIntent => ({
  upload_id: id,
  contract_id: 'plp-test',
  period: '2025-01',
  file_name: 'january.csv',
  submitted_by: 'acme-user',
  requested_at: '2025-02-05T09:59:00.000Z',
  from: '203.0.113.7',
  ...over,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outturn-queued-'));
  store = new LocalStore(dir);
  await putReference(store, testReference());
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A store that counts reads of the uploaded file. */
function counting(inner: ObjectStore): { store: ObjectStore; reads: () => number } {
  let reads = 0;
  return {
    store: new FaultyStore(inner, (op, key) => {
      if (op === 'get' && key === incomingFileKey(id)) reads++;
      return false;
    }),
    reads: () => reads,
  };
}

describe('upload ids and keys', () => {
  it('are made from the time and randomness, and found again in the file key', () => {
    const made = newUploadId(at);
    expect(made).toMatch(/^20250205T100000000Z-[0-9a-f]{12}$/);
    expect(newUploadId(at)).not.toBe(made);
    expect(uploadIdOfFileKey(`incoming/${made}/file`)).toBe(made);
    expect(uploadIdOfFileKey(`incoming/${made}/intent.json`)).toBeNull();
    expect(uploadIdOfFileKey('incoming/../file')).toBeNull();
    expect(() => outcomeKey('../../reference/users')).toThrow();
  });
});

describe('ingestUpload', () => {
  it('ingests as ingestReturn does, records the outcome, audits it, and names the contract to rebuild', async () => {
    await writeIntent(store, intent());
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    const result = await ingestUpload(store, id, { now: at });
    expect(result).toMatchObject({
      written: true,
      rebuild: ['plp-test'],
      outcome: {
        status: 'accepted',
        contract_id: 'plp-test',
        period: '2025-01',
        version: 1,
        counts: { rows: 3, errors: 0 },
        message: null,
      },
    });
    const [receipt] = await listReceipts(store);
    expect(receipt).toMatchObject({
      id: result.outcome.receipt_id,
      submitted_by: 'acme-user',
      submitted_at: at.toISOString(),
      file: { name: 'january.csv' },
    });
    expect(await readOutcome(store, id)).toEqual(result.outcome);
    expect(
      (await listAudit(store)).map((e) => [e.who, e.action, e.target, e.detail, e.from]),
    ).toEqual([['acme-user', 'upload', receipt!.id, 'accepted, version 1', '203.0.113.7']]);
  });

  it('run again, changes nothing and gives the outcome that stands', async () => {
    await writeIntent(store, intent());
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    const first = await ingestUpload(store, id, { now: at });
    const outcome = await getText(store, outcomeKey(id));
    const again = await ingestUpload(store, id, { now: new Date('2025-03-01T00:00:00.000Z') });
    expect(again).toEqual({ outcome: first.outcome, written: false, rebuild: ['plp-test'] });
    expect(await getText(store, outcomeKey(id))).toBe(outcome);
    expect(await listReceipts(store)).toHaveLength(1);
    expect(await listAudit(store)).toHaveLength(1);
  });

  it('the same bytes sent twice: the second is a duplicate naming the first receipt, and nothing to rebuild', async () => {
    await writeIntent(store, intent());
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    const first = await ingestUpload(store, id, { now: at });
    const second = '20250205T110000000Z-0123456789ac';
    await writeIntent(store, intent({ upload_id: second }));
    await store.put(incomingFileKey(second), csvOf(participants(3)));
    const dup = await ingestUpload(store, second, { now: new Date('2025-02-05T11:00:00.000Z') });
    expect(dup).toMatchObject({
      written: true,
      rebuild: [],
      outcome: { status: 'duplicate', receipt_id: first.outcome.receipt_id },
    });
  });

  it('a rejected return is an outcome with its counts and no rebuild', async () => {
    await writeIntent(store, intent());
    await store.put(
      incomingFileKey(id),
      csvOf(participants(2, () => ({ participant_id: 'P-000001' }))),
    );
    expect(await ingestUpload(store, id, { now: at })).toMatchObject({
      rebuild: [],
      outcome: { status: 'rejected', version: null, counts: { errors: 1 } },
    });
  });

  it('refuses, unread, a file the event says is over the size limit', async () => {
    await writeIntent(store, intent());
    await store.put(incomingFileKey(id), 'small really');
    const { store: s, reads } = counting(store);
    const result = await ingestUpload(s, id, { now: at, size: 150 * 1024 * 1024 });
    expect(result.outcome).toMatchObject({
      status: 'refused',
      receipt_id: null,
      message: expect.stringMatching(
        /^The file is 150\.0 MB; Outturn accepts returns of up to 100 MB/,
      ),
    });
    expect(reads()).toBe(0);
    expect(await listReceipts(store)).toEqual([]);
    // The file is kept: nothing uploaded is lost.
    expect(await store.exists(incomingFileKey(id))).toBe(true);
  });

  it('refuses a file over the limit when its size was not known beforehand, too', async () => {
    await writeIntent(store, intent());
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    expect((await ingestUpload(store, id, { now: at, maxFileBytes: 100 })).outcome).toMatchObject({
      status: 'refused',
      message: expect.stringContaining('Outturn accepts returns of up to'),
    });
  });

  it('a refusal by ingestReturn (who may submit) is an outcome with its message, not an error', async () => {
    await writeIntent(store, intent({ submitted_by: 'north-user' }));
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    const result = await ingestUpload(store, id, { now: at });
    expect(result.outcome).toMatchObject({
      status: 'refused',
      contract_id: 'plp-test',
      message: expect.stringMatching(/^Nia Health \(north-user\) works for .*contract "plp-test"/),
    });
    expect(result.rebuild).toEqual([]);
  });

  it('a file with no intent is refused: no one vouched for it', async () => {
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    expect((await ingestUpload(store, id, { now: at })).outcome).toMatchObject({
      status: 'refused',
      contract_id: null,
      period: null,
      message: expect.stringContaining('no record of who sent this file'),
    });
  });

  it('throws when the store fails, leaving no outcome, so the message is retried', async () => {
    await writeIntent(store, intent());
    await store.put(incomingFileKey(id), csvOf(participants(3)));
    const faulty = new FaultyStore(
      store,
      (op, key) => op === 'putFile' && key.startsWith('staged/'),
    );
    await expect(ingestUpload(faulty, id, { now: at })).rejects.toThrow(/staged/);
    expect(await readOutcome(store, id)).toBeNull();
    // And the retry goes through.
    expect((await ingestUpload(store, id, { now: at })).outcome.status).toBe('accepted');
  });

  it('throws when the file has not arrived (a notification cannot precede its object)', async () => {
    await writeIntent(store, intent());
    await expect(ingestUpload(store, id, { now: at })).rejects.toThrow(/has no file at incoming\//);
  });
});

describe('uploadStatus', () => {
  it('is unknown, then checking, then done, read from uploads/ alone (the API may not read incoming/)', async () => {
    expect(await uploadStatus(store, id)).toEqual({ state: 'unknown' });
    expect(await uploadStatus(store, 'not-an-id')).toEqual({ state: 'unknown' });
    await writeIntent(store, intent());
    expect(await uploadStatus(store, id)).toEqual({ state: 'checking', intent: intent() });
    await store.put(incomingFileKey(id), csvOf(participants(1)));
    await ingestUpload(store, id, { now: at });
    // With incoming/ gone from sight, the status is the same.
    await store.delete(`incoming/${id}/intent.json`);
    expect(await uploadStatus(store, id)).toMatchObject({
      state: 'done',
      intent: intent(),
      outcome: { status: 'accepted' },
    });
  });

  it('the intent is written for the ingest in incoming/ and copied for the app to uploads/', async () => {
    await writeIntent(store, intent());
    expect(JSON.parse((await getText(store, `incoming/${id}/intent.json`))!)).toEqual(intent());
    expect(JSON.parse((await getText(store, `uploads/${id}.intent.json`))!)).toEqual(intent());
    await expect(writeIntent(store, intent({ period: 'July' }))).rejects.toThrow();
  });
});
