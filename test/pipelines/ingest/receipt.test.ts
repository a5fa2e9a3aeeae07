import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import {
  parseReceipt,
  rawKey,
  receiptId,
  receiptKey,
  receiptKeyParts,
  receiptPeriods,
  versionClaimKey,
  stagedKey,
  type Receipt,
} from '../../../pipelines/ingest/receipt.js';

const sha = 'ab12cd34'.padEnd(64, '0');

function receipt(more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `20250414T101502123Z-ab12cd34`,
    contract_id: 'plp-test',
    period: '2025-03',
    kind: 'participant',
    submitted_by: 'acme-user',
    submitted_at: '2025-04-14T10:15:02.123Z',
    file: { name: 'march.csv', bytes: 120, sha256: sha, format: 'csv' },
    raw_key: `raw/${sha}`,
    status: 'accepted',
    version: 1,
    staged_key: 'staged/participant/plp-test/2025-03/v1.parquet',
    counts: { rows: 1, errors: 0, warnings: 0 },
    report: {
      status: 'accepted',
      file: { name: 'march.csv', bytes: 120, format: 'csv' },
      kind: 'participant',
      contractId: 'plp-test',
      period: '2025-03',
      rowCount: 1,
      errorCount: 0,
      warningCount: 0,
      rules: [],
      problems: [],
      unlisted: 0,
    },
    ...more,
  };
}

describe('the key layout', () => {
  it('puts raw bytes, receipts and staged versions where the design says', () => {
    expect(rawKey(sha)).toBe(`raw/${sha}`);
    expect(receiptKey('plp-test', '2025-03', '20250414T101502123Z-ab12cd34')).toBe(
      'submissions/plp-test/2025-03/20250414T101502123Z-ab12cd34.json',
    );
    expect(stagedKey('aggregate', 'agg-test', '2025-03', 12)).toBe(
      'staged/aggregate/agg-test/2025-03/v12.parquet',
    );
  });

  it('gives receipt ids that sort by time', () => {
    expect(receiptId(new Date('2025-04-14T10:15:02.123Z'), sha)).toBe(
      '20250414T101502123Z-ab12cd34',
    );
    const times = [
      '2025-04-14T10:15:02.123Z',
      '2025-04-14T10:15:02.124Z',
      '2025-04-14T10:15:10.000Z',
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ];
    const ids = times.map((t, i) => receiptId(new Date(t), `${9 - i}`.repeat(64)));
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('the months a contract has receipts for', () => {
  it('come from the keys alone: no receipt is read, claims and other contracts are left out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outturn-receipt-periods-'));
    try {
      const store = new LocalStore(dir);
      // Not receipts: a body that is not one would fail if it were read.
      await store.put(receiptKey('plp-test', '2025-04', '20250514T101502123Z-ab12cd34'), 'x');
      await store.put(receiptKey('plp-test', '2025-03', '20250414T101502123Z-ab12cd34'), 'x');
      await store.put(receiptKey('plp-test', '2025-03', '20250420T101502123Z-ab12cd35'), 'x');
      await store.put(versionClaimKey('plp-test', '2025-05', 1), '');
      await store.put(receiptKey('plp-testing', '2025-06', '20250714T101502123Z-ab12cd34'), 'x');
      expect(await receiptPeriods(store, 'plp-test')).toEqual(['2025-03', '2025-04']);
      expect(await receiptPeriods(store, 'plp-none')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('read a key as its contract, month and receipt id, and nothing else as a receipt', () => {
    expect(receiptKeyParts(receiptKey('plp-test', '2025-03', 'r1'))).toEqual({
      contract_id: 'plp-test',
      period: '2025-03',
      receipt_id: 'r1',
    });
    expect(receiptKeyParts(versionClaimKey('plp-test', '2025-03', 1))).toBeNull();
  });
});

describe('a stored receipt', () => {
  it('reads back as accepted or rejected', () => {
    const accepted: Receipt = parseReceipt(receipt());
    expect(accepted.status === 'accepted' && accepted.version).toBe(1);
    const rejected = parseReceipt(receipt({ status: 'rejected', version: null, staged_key: null }));
    expect(rejected.status).toBe('rejected');
  });

  it('is refused when accepted without a version or staged file, or rejected with one', () => {
    expect(() => parseReceipt(receipt({ version: null }), 'k.json')).toThrow(
      /k\.json is not a valid receipt: version/,
    );
    expect(() => parseReceipt(receipt({ staged_key: null }))).toThrow(/staged_key/);
    expect(() =>
      parseReceipt(receipt({ status: 'rejected', version: 2, staged_key: null })),
    ).toThrow(/version/);
    expect(() =>
      parseReceipt(
        receipt({
          status: 'rejected',
          version: null,
          staged_key: 'staged/participant/plp-test/2025-03/v1.parquet',
        }),
      ),
    ).toThrow(/staged_key/);
  });

  it('is refused when its keys do not agree with its own fields', () => {
    expect(() =>
      parseReceipt(receipt({ staged_key: 'staged/participant/plp-test/2025-03/v2.parquet' })),
    ).toThrow(/staged_key: should be staged\/participant\/plp-test\/2025-03\/v1\.parquet/);
    expect(() => parseReceipt(receipt({ raw_key: `raw/${'f'.repeat(64)}` }))).toThrow(/raw_key/);
    expect(() => parseReceipt(receipt({ id: '20250414T101502123Z-ffffffff' }))).toThrow(/id/);
    expect(() => parseReceipt(receipt({ kind: null }))).toThrow(/kind/);
  });
});
