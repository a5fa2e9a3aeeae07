import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IngestRefusedError,
  acceptedVersions,
  ingestReturn,
  versionsInForce,
  listReceipts,
  type IngestInput,
} from '../../../pipelines/ingest/ingest.js';
import { sqlString } from '../../../pipelines/duckdb/open.js';
import { stagedColumns } from '../../../pipelines/ingest/staged-schema.js';
import { FaultyStore } from '../store/faulty-store.js';
import type { LocalStore } from '../../../pipelines/store/local-store.js';
import {
  getJson,
  ObjectStoreError,
  putJson,
  type ObjectStore,
} from '../../../pipelines/store/object-store.js';
import { testReference } from '../../fixtures/reference.js';
import {
  aggregateHeader,
  bytesOf,
  csvOf,
  participant,
  participants,
} from '../../fixtures/returns.js';
import { parquet, parquetSchema, query, snapshot, tempStore } from './helpers.js';

const reference = testReference();
const now = new Date('2025-02-05T10:15:02.123Z');

/** Three participants: one plain, one with a UK-style date and optional values, one with blanks. */
const aprilRows = [
  participant({ participant_id: 'P-000001' }),
  participant({
    participant_id: 'P-000002',
    referral_date: '07/01/2025',
    deprivation_decile: '3',
    outcome_instrument: 'hads_anxiety',
    baseline_score: '14.5',
  }),
  participant({
    participant_id: 'P-000003',
    referral_date: '2025-01-10',
    first_contact_date: '',
    start_date: '',
  }),
];
const original = bytesOf(csvOf(aprilRows));
const corrected = bytesOf(
  csvOf([
    ...aprilRows,
    participant({
      participant_id: 'P-000004',
      referral_date: '2025-01-20',
      first_contact_date: '2025-01-21',
      start_date: '',
    }),
  ]),
);

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let store: LocalStore;
beforeEach(async () => {
  store = await tempStore();
});

function upload(more: Partial<IngestInput> = {}) {
  return ingestReturn({
    store,
    bytes: original,
    fileName: 'plp-test-2025-01.csv',
    contractId: 'plp-test',
    period: '2025-01',
    submittedBy: 'acme-user',
    reference,
    now,
    ...more,
  });
}

describe('an accepted return', () => {
  it('keeps the bytes, writes a receipt naming a staged version 1', async () => {
    const { receipt, duplicate } = await upload();
    expect(duplicate).toBe(false);
    const hash = sha(original);
    expect(receipt).toMatchObject({
      id: `20250205T101502123Z-${hash.slice(0, 8)}`,
      contract_id: 'plp-test',
      period: '2025-01',
      kind: 'participant',
      submitted_by: 'acme-user',
      submitted_at: '2025-02-05T10:15:02.123Z',
      file: { name: 'plp-test-2025-01.csv', bytes: original.length, sha256: hash, format: 'csv' },
      raw_key: `raw/${hash}`,
      status: 'accepted',
      version: 1,
      staged_key: 'staged/participant/plp-test/2025-01/v1.parquet',
      // No ambiguous-dates warning: 07/01/2025 sits among ISO dates, which settle the order.
      counts: { rows: 3, errors: 0, warnings: 0 },
    });
    expect(receipt.report.status).toBe('accepted');
    expect(receipt.report.rowCount).toBe(3);

    // The raw object is the upload, byte for byte.
    expect(Buffer.from((await store.get(`raw/${hash}`))!).equals(Buffer.from(original))).toBe(true);

    // The receipt is stored where the layout says, and reads back the same.
    const key = `submissions/plp-test/2025-01/${receipt.id}.json`;
    expect(JSON.parse(Buffer.from((await store.get(key))!).toString('utf8'))).toEqual(receipt);
    expect(await listReceipts(store, { contractId: 'plp-test', period: '2025-01' })).toEqual([
      receipt,
    ]);
    expect((await store.list('')).sort()).toEqual(
      [
        `raw/${hash}`,
        'staged/participant/plp-test/2025-01/v1.parquet',
        // Its counts for the data-quality score (ADR 051).
        'staged/quality/participant/plp-test/2025-01/v1.parquet',
        key,
        // The claim on these bytes for this return, taken before validating (ADR 027).
        `submissions/plp-test/2025-01/bytes/${hash}.1.claim`,
        'submissions/plp-test/2025-01/versions/v1.claim',
      ].sort(),
    );
  });

  it('stages typed Parquet DuckDB reads with the right types and values', async () => {
    const { receipt } = await upload();
    if (receipt.status !== 'accepted') throw new Error('expected accepted');
    const file = await store.localFile(receipt.staged_key);

    const schema = await parquetSchema(file);
    expect(schema).toEqual(
      stagedColumns('participant').map((c) => ({ name: c.name, type: c.type })),
    );
    expect(schema.find((c) => c.name === 'referral_date')?.type).toBe('DATE');

    const rows = await query(
      `SELECT contract_id, period, version, receipt_id, CAST(submitted_at AS VARCHAR) AS submitted_at, row_number, participant_id,
              CAST(referral_date AS VARCHAR) AS referral_date, typeof(referral_date) AS referral_type, engagement, claimant_group,
              deprivation_decile, baseline_score, outcome_instrument, CAST(start_date AS VARCHAR) AS start_date, first_contact_date
       FROM ${parquet(file)} ORDER BY row_number`,
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      contract_id: 'plp-test',
      period: '2025-01',
      version: 1,
      receipt_id: receipt.id,
      submitted_at: '2025-02-05 10:15:02.123',
      row_number: 2,
      participant_id: 'P-000001',
      referral_date: '2025-01-06',
      referral_type: 'DATE',
      engagement: 'mandatory',
      claimant_group: null,
      deprivation_decile: null,
      baseline_score: null,
      outcome_instrument: null,
      start_date: '2025-01-20',
      first_contact_date: new Date(Date.UTC(2025, 0, 8)),
    });
    // 07/01/2025 is the 7th of January, stored as a DATE; optional values typed.
    expect(rows[1]).toMatchObject({
      participant_id: 'P-000002',
      referral_date: '2025-01-07',
      deprivation_decile: 3,
      baseline_score: 14.5,
      outcome_instrument: 'hads_anxiety',
    });
    // Blank cells are NULL, not empty strings or 1970-01-01.
    expect(rows[2]).toMatchObject({
      participant_id: 'P-000003',
      row_number: 4,
      start_date: null,
      first_contact_date: null,
      claimant_group: null,
    });
  });

  it('is recognised when the same bytes come again: the same receipt, nothing new written', async () => {
    const first = await upload();
    const before = await snapshot(store);
    const again = await upload({
      now: new Date('2025-02-06T09:00:00.000Z'),
      fileName: 'renamed.csv',
    });
    expect(again.duplicate).toBe(true);
    expect(again.receipt).toEqual(first.receipt);
    expect(await snapshot(store)).toEqual(before);
  });

  it('becomes version 2 when corrected, and version 1 stays', async () => {
    const v1 = (await upload()).receipt;
    const v2 = (await upload({ bytes: corrected, now: new Date('2025-02-07T11:00:00.000Z') }))
      .receipt;
    expect(v2).toMatchObject({
      status: 'accepted',
      version: 2,
      staged_key: 'staged/participant/plp-test/2025-01/v2.parquet',
      counts: { rows: 4 },
    });
    expect(v1.status === 'accepted' && (await store.exists(v1.staged_key))).toBe(true);

    const files = await Promise.all([v1, v2].map((r) => store.localFile(r.staged_key ?? '')));
    const counts = await query(
      `SELECT version, count(*)::INTEGER AS n FROM read_parquet([${files.map(sqlString).join(', ')}]) GROUP BY version ORDER BY version`,
    );
    expect(counts).toEqual([
      { version: 1, n: 3 },
      { version: 2, n: 4 },
    ]);

    expect((await listReceipts(store, { contractId: 'plp-test' })).map((r) => r.id)).toEqual([
      v1.id,
      v2.id,
    ]);
    expect(
      (await versionsInForce(store, { contractId: 'plp-test', period: '2025-01' })).map(
        (r) => r.version,
      ),
    ).toEqual([2]);
    expect((await acceptedVersions(store, 'plp-test', '2025-01')).map((r) => r.version)).toEqual([
      1, 2,
    ]);
  });

  it('of the aggregate kind is staged with the aggregate columns', async () => {
    const bytes = bytesOf(
      csvOf(
        [
          { measure: 'referrals', count: '12' },
          { measure: 'starts', count: '5' },
        ],
        aggregateHeader,
      ),
    );
    const { receipt } = await upload({ bytes, contractId: 'agg-test', fileName: 'agg.csv' });
    expect(receipt).toMatchObject({
      status: 'accepted',
      kind: 'aggregate',
      version: 1,
      staged_key: 'staged/aggregate/agg-test/2025-01/v1.parquet',
    });
    if (receipt.status !== 'accepted') return;
    const file = await store.localFile(receipt.staged_key);
    expect(await parquetSchema(file)).toEqual(
      stagedColumns('aggregate').map((c) => ({ name: c.name, type: c.type })),
    );
    expect(
      await query(`SELECT measure, breakdown, count FROM ${parquet(file)} ORDER BY row_number`),
    ).toEqual([
      { measure: 'referrals', breakdown: null, count: 12 },
      { measure: 'starts', breakdown: null, count: 5 },
    ]);
  });
});

describe('a rejected return', () => {
  const bad = bytesOf(
    csvOf([
      participant({ participant_id: 'P-000001', engagement: '' }),
      participant({ participant_id: 'P-000002' }),
    ]),
  );

  it('gets a receipt with the full report, keeps the raw bytes and stages nothing', async () => {
    const { receipt, duplicate } = await upload({ bytes: bad });
    expect(duplicate).toBe(false);
    expect(receipt).toMatchObject({
      status: 'rejected',
      version: null,
      staged_key: null,
      kind: 'participant',
      counts: { rows: 2, errors: 1, warnings: 0 },
    });
    expect(receipt.report.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        rule: 'cell.required',
        row: 2,
        column: 'engagement',
      }),
    ]);
    expect(Buffer.from((await store.get(receipt.raw_key))!).equals(Buffer.from(bad))).toBe(true);
    expect(await store.list('staged/')).toEqual([]);
    expect(await listReceipts(store, {})).toEqual([receipt]);
  });

  it('does not use up a version: the next accepted return is version 1', async () => {
    await upload({ bytes: bad });
    const { receipt } = await upload({ now: new Date('2025-02-06T08:00:00.000Z') });
    expect(receipt).toMatchObject({ status: 'accepted', version: 1 });
    expect(await store.list('staged/')).toEqual([
      'staged/participant/plp-test/2025-01/v1.parquet',
      'staged/quality/participant/plp-test/2025-01/v1.parquet',
    ]);
    expect(await versionsInForce(store)).toEqual([receipt]);
  });

  it('of a file that is not a return at all has no kind', async () => {
    const { receipt } = await upload({
      bytes: bytesOf('%PDF-1.4 not a return'),
      fileName: 'scan.pdf',
    });
    expect(receipt).toMatchObject({ status: 'rejected', version: null, staged_key: null });
    expect(receipt.counts.errors).toBeGreaterThan(0);
    expect(await store.exists(receipt.raw_key)).toBe(true);
  });
});

describe('an upload from someone who may not send it', () => {
  const cases: {
    name: string;
    user: string;
    contract: string;
    period?: string;
    reason: string;
    words: string[];
  }[] = [
    {
      name: "a provider, for another provider's contract",
      user: 'acme-user',
      contract: 'vrs-test',
      reason: 'not_contract_holder',
      words: ['Ann Provider', 'acme-user', 'vrs-test', 'North NHS Trust'],
    },
    {
      name: 'a subcontractor, for the contract it works on',
      user: 'north-user',
      contract: 'plp-test',
      reason: 'not_contract_holder',
      words: ['north-user', 'plp-test', 'subcontractor', 'Acme Employment'],
    },
    {
      name: 'a contract manager',
      user: 'cm-north',
      contract: 'plp-test',
      reason: 'role_cannot_submit',
      words: ['Colin Manager', 'cm-north', 'contract manager', 'plp-test'],
    },
    {
      name: 'a commissioner',
      user: 'comm',
      contract: 'plp-test',
      reason: 'role_cannot_submit',
      words: ['comm', 'commissioner', 'plp-test'],
    },
    {
      name: 'an unknown user',
      user: 'mallory',
      contract: 'plp-test',
      reason: 'unknown_user',
      words: ['mallory', 'plp-test'],
    },
    {
      name: 'an admin, for an unknown contract',
      user: 'admin',
      contract: 'no-such-contract',
      reason: 'unknown_contract',
      words: ['Ada Admin', 'no-such-contract'],
    },
    {
      name: 'the holder, for a period that is not a month',
      user: 'acme-user',
      contract: 'plp-test',
      period: '2025-13',
      reason: 'invalid_period',
      words: ['2025-13', 'plp-test'],
    },
  ];

  for (const c of cases)
    it(`is refused when it comes from ${c.name}, and nothing is written`, async () => {
      await upload(); // something already in the store, to show it is left alone
      const before = await snapshot(store);
      const attempt = upload({
        bytes: corrected,
        submittedBy: c.user,
        contractId: c.contract,
        period: c.period ?? '2025-01',
      });
      await expect(attempt).rejects.toBeInstanceOf(IngestRefusedError);
      const error = (await attempt.catch((e: unknown) => e)) as IngestRefusedError;
      expect(error.reason).toBe(c.reason);
      expect(error.userId).toBe(c.user);
      expect(error.contractId).toBe(c.contract);
      for (const w of c.words) expect(error.message).toContain(w);
      expect(await snapshot(store)).toEqual(before);
    });

  it('is accepted from an admin for any contract', async () => {
    const { receipt } = await upload({ submittedBy: 'admin' });
    expect(receipt).toMatchObject({ status: 'accepted', submitted_by: 'admin', version: 1 });
  });
});

describe('when the store fails part-way', () => {
  it('after the staged file, before the receipt: the error propagates, the orphan is ignored, a retry takes the next version', async () => {
    const faulty = new FaultyStore(
      store,
      (op, key) => op === 'putIfAbsent' && key.startsWith('submissions/') && key.endsWith('.json'),
    );
    await expect(upload({ store: faulty })).rejects.toBeInstanceOf(ObjectStoreError);

    const hash = sha(original);
    expect(Buffer.from((await store.get(`raw/${hash}`))!).equals(Buffer.from(original))).toBe(true);
    const orphan = 'staged/participant/plp-test/2025-01/v1.parquet';
    expect(await store.exists(orphan)).toBe(true); // the staged file was written before the receipt failed
    expect(await listReceipts(store)).toEqual([]);
    expect(await versionsInForce(store)).toEqual([]);

    // Version 1 was claimed by the failed attempt, so the retry is version 2 (a gap after a
    // failure, never two uploads sharing a number); no receipt ever names the orphan.
    const retry = await upload({ now: new Date('2025-02-05T10:20:00.000Z') });
    expect(retry).toMatchObject({
      duplicate: false,
      receipt: {
        status: 'accepted',
        version: 2,
        staged_key: 'staged/participant/plp-test/2025-01/v2.parquet',
      },
    });
    const ids = await query(
      `SELECT DISTINCT receipt_id FROM ${parquet(await store.localFile(retry.receipt.staged_key!))}`,
    );
    expect(ids).toEqual([{ receipt_id: retry.receipt.id }]);
    expect((await versionsInForce(store)).map((r) => r.staged_key)).toEqual([
      retry.receipt.staged_key,
    ]);
  });

  it('while uploading the staged file: no receipt, the raw bytes kept, a retry succeeds', async () => {
    const faulty = new FaultyStore(store, (op) => op === 'putFile');
    await expect(upload({ store: faulty })).rejects.toBeInstanceOf(ObjectStoreError);
    expect(await store.list('')).toEqual([
      `raw/${sha(original)}`,
      `submissions/plp-test/2025-01/bytes/${sha(original)}.1.claim`,
      'submissions/plp-test/2025-01/versions/v1.claim',
    ]);
    // The failed ingest released its claim on the bytes, so the retry takes the next one.
    expect(
      await getJson(store, `submissions/plp-test/2025-01/bytes/${sha(original)}.1.claim`),
    ).toMatchObject({ released: true });
    expect(await listReceipts(store)).toEqual([]);
    expect((await upload()).receipt).toMatchObject({ status: 'accepted', version: 2 });
    expect(await store.exists(`submissions/plp-test/2025-01/bytes/${sha(original)}.2.claim`)).toBe(
      true,
    );
  });
});

describe('a claim on the same bytes left by another process (ADR 027)', () => {
  const claimKey = () => `submissions/plp-test/2025-01/bytes/${sha(original)}.1.claim`;

  it('while it is fresh, waits for that process’s receipt and answers with it', async () => {
    // The receipt the other process will write (made here in a store of its own).
    const { receipt: made } = await upload({ store: await tempStore() });
    const theirs = `20250205T101500000Z-${made.file.sha256.slice(0, 8)}`;
    await putJson(store, claimKey(), { receipt_id: theirs, claimed_at_ms: Date.now() });
    const pending = upload();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await listReceipts(store)).toEqual([]);
    await putJson(store, `submissions/plp-test/2025-01/${theirs}.json`, { ...made, id: theirs });
    const { receipt, duplicate } = await pending;
    expect(duplicate).toBe(true);
    expect(receipt.id).toBe(theirs);
    expect(await listReceipts(store)).toHaveLength(1);
  });

  it('when it is stale (its process crashed), takes the next generation and ingests', async () => {
    await putJson(store, claimKey(), { receipt_id: 'gone', claimed_at_ms: 0 });
    const { receipt, duplicate } = await upload();
    expect(duplicate).toBe(false);
    expect(receipt).toMatchObject({ status: 'accepted', version: 1 });
    expect(await getJson(store, claimKey().replace('.1.claim', '.2.claim'))).toMatchObject({
      receipt_id: receipt.id,
    });
  });
});

describe('uploads at the same time', () => {
  it('for the same contract and period get versions 1, 2, 3 with no collision', async () => {
    const files = [original, corrected, bytesOf(csvOf(participants(5)))];
    const results = await Promise.all(
      files.map((bytes, i) => upload({ bytes, fileName: `f${i}.csv` })),
    );
    const versions = results.map((r) => (r.receipt.status === 'accepted' ? r.receipt.version : 0));
    expect([...versions].sort()).toEqual([1, 2, 3]);
    expect(await store.list('staged/participant/')).toEqual(
      [1, 2, 3].map((v) => `staged/participant/plp-test/2025-01/v${v}.parquet`),
    );
    // Each version compared with the one before it (ADR 031).
    expect(await store.list('staged/changes/')).toEqual([
      'staged/changes/plp-test/2025-01/v2.from-2025-01-v1.parquet',
      'staged/changes/plp-test/2025-01/v3.from-2025-01-v2.parquet',
    ]);
    // Each staged file holds the rows of the receipt that names it.
    for (const { receipt } of results) {
      if (receipt.status !== 'accepted') throw new Error('expected accepted');
      const rows = await query(
        `SELECT receipt_id, count(*)::INTEGER AS n FROM ${parquet(await store.localFile(receipt.staged_key))} GROUP BY ALL`,
      );
      expect(rows).toEqual([{ receipt_id: receipt.id, n: receipt.counts.rows }]);
    }
  });

  it('of the same bytes give one receipt and one duplicate', async () => {
    const [a, b] = await Promise.all([
      upload(),
      upload({ now: new Date('2025-02-05T10:15:02.124Z') }),
    ]);
    expect([a!.duplicate, b!.duplicate].sort()).toEqual([false, true]);
    expect(a!.receipt).toEqual(b!.receipt);
    expect((await store.list('submissions/')).filter((k) => k.endsWith('.json'))).toHaveLength(1);
  });

  it('for different contracts do not wait on each other', async () => {
    const agg = bytesOf(csvOf([{ measure: 'referrals', count: '3' }], aggregateHeader));
    const results = await Promise.all([upload(), upload({ contractId: 'agg-test', bytes: agg })]);
    expect(results.map((r) => r.receipt.status === 'accepted' && r.receipt.version)).toEqual([
      1, 1,
    ]);
  });
});

describe('listing receipts', () => {
  it('narrows by contract and period and refuses a damaged receipt by name', async () => {
    await upload();
    await upload({ period: '2025-02', now: new Date('2025-03-05T10:00:00.000Z') });
    expect((await listReceipts(store, { period: '2025-02' })).map((r) => r.period)).toEqual([
      '2025-02',
    ]);
    expect(await listReceipts(store, { contractId: 'plp' })).toEqual([]); // a prefix of plp-test, not a contract
    await (store as ObjectStore).put(
      'submissions/plp-test/2025-01/20250101T000000000Z-00000000.json',
      '{"id": 1}',
    );
    await expect(listReceipts(store)).rejects.toThrow(
      /submissions\/plp-test\/2025-01\/20250101T000000000Z-00000000\.json is not a valid receipt/,
    );
  });
});

describe('two ingest processes at once (as two Lambda functions)', () => {
  it('never give two uploads of the same return the same version: each claims its number first', async () => {
    // Two separate copies of the ingest module, each with its own in-process lock, as two
    // functions running side by side would have; only the store is shared.
    vi.resetModules();
    const first = await import('../../../pipelines/ingest/ingest.js');
    vi.resetModules();
    const second = await import('../../../pipelines/ingest/ingest.js');
    expect(first.ingestReturn).not.toBe(second.ingestReturn);
    const input = {
      store,
      fileName: 'plp-test-2025-01.csv',
      contractId: 'plp-test',
      period: '2025-01',
      submittedBy: 'acme-user',
      reference,
      now,
    };
    const [a, b] = await Promise.all([
      first.ingestReturn({ ...input, bytes: original }),
      second.ingestReturn({ ...input, bytes: corrected }),
    ]);
    const versions = [a.receipt, b.receipt]
      .map((r) => (r.status === 'accepted' ? r.version : null))
      .sort();
    expect(versions).toEqual([1, 2]);
    expect(new Set([a.receipt.staged_key, b.receipt.staged_key]).size).toBe(2);
    // Each staged file holds its own upload's rows.
    const rows = async (r: typeof a.receipt) =>
      (
        await query(
          `SELECT count(*)::INT AS n FROM ${parquet(await store.localFile(r.staged_key!))}`,
        )
      )[0]!.n;
    expect(await rows(a.receipt)).toBe(3);
    expect(await rows(b.receipt)).toBe(4);
    expect((await acceptedVersions(store, 'plp-test', '2025-01')).map((r) => r.version)).toEqual([
      1, 2,
    ]);
  });
});
