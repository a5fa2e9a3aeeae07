/**
 * Ingests one uploaded return: authorise, keep the bytes, recognise a re-upload, validate, and
 * record the verdict in a receipt, staging the typed rows as a new version when accepted.
 * The order, and why, is in docs/decisions/007-ingest-order.md.
 */
import { createHash } from 'node:crypto';
import { today } from '../calendar/days.js';
import { periodSchema, type ReferenceData } from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { validateReturn } from '../validate/validate-return.js';
import { authoriseSubmission } from '../access/index.js';
import { claimBytes } from './bytes-claim.js';
import { KeyedLock } from './keyed-lock.js';
import {
  parseReceipt,
  rawKey,
  receiptId,
  receiptKey,
  receiptPrefix,
  stagedKey,
  versionClaimKey,
  type AcceptedReceipt,
  type Receipt,
  type RejectedReceipt,
} from './receipt.js';
import { recordChangesAtIngest } from './changes.js';
import { withStagedParquet } from './stage.js';

export { IngestRefusedError, type RefusalReason } from '../access/index.js';

export interface IngestInput {
  store: ObjectStore;
  /** The uploaded file, byte for byte. */
  bytes: Uint8Array;
  /** The name it was uploaded with (a path is cut to its last part). */
  fileName: string;
  contractId: string;
  /** `YYYY-MM`. */
  period: string;
  /** The id of the user uploading it. */
  submittedBy: string;
  reference: ReferenceData;
  /** When it was received; default now. Also "today" for the validator's future-date check. */
  now?: Date;
}

export interface IngestResult {
  receipt: Receipt;
  /** True when these exact bytes were already received for this contract and period: `receipt` is that earlier one. */
  duplicate: boolean;
}

/** One ingest at a time per contract and period in this process, so two versions can never take the same number. */
const lock = new KeyedLock();

/**
 * @throws IngestRefusedError (nothing written) when the user may not submit for the contract,
 *   the contract is unknown or the period is not a month; an ObjectStoreError when the store
 *   fails, in which case no receipt exists for the upload and it can simply be sent again.
 *
 * @example
 * const { receipt, duplicate } = await ingestReturn({ store, bytes, fileName: 'april.csv', contractId: 'plp-test', period: '2025-04', submittedBy: 'acme-user', reference });
 * if (receipt.status === 'rejected') show(receipt.report);
 */
export async function ingestReturn(input: IngestInput): Promise<IngestResult> {
  const { store, bytes, contractId, period, submittedBy, reference } = input;
  const now = input.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new TypeError('ingestReturn: `now` is not a valid date');

  // (a) Authorise before anything is written.
  authoriseSubmission(reference, submittedBy, contractId, period);

  // (b) Keep the bytes: content-addressed, so never overwritten and shared by identical uploads.
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const raw = rawKey(sha256);
  await store.putIfAbsent(raw, bytes, { contentType: 'application/octet-stream' });

  return lock.run(`${contractId}/${period}`, async () => {
    // (c) The same bytes again for the same return: the earlier receipt stands.
    const earlier = await listReceipts(store, { contractId, period });
    const same = earlier.find((r) => r.file.sha256 === sha256);
    if (same) return { receipt: same, duplicate: true };
    // (c') The same bytes sent to another process at once: one takes them, the other gets its
    // receipt (ADR 027).
    const id = receiptId(now, sha256);
    const claim = await claimBytes(store, contractId, period, sha256, id);
    if (!claim.taken) return { receipt: claim.receipt, duplicate: true };
    try {
      return await validateAndRecord(input, { sha256, raw, id, now, earlier });
    } catch (err) {
      await claim.release().catch(() => undefined);
      throw err;
    }
  });
}

/** Steps (d) and (e): validate, stage when accepted, and write the receipt named `id`. */
async function validateAndRecord(
  input: IngestInput,
  taken: { sha256: string; raw: string; id: string; now: Date; earlier: readonly Receipt[] },
): Promise<IngestResult> {
  const { store, bytes, contractId, period, submittedBy, reference } = input;
  const { sha256, raw, id, now, earlier } = taken;
  // (d) Validate, as of the day the file was received.
  const fileName = input.fileName.split(/[\\/]/).pop() || 'upload';
  const result = validateReturn(bytes, fileName, {
    contractId,
    period,
    reference,
    today: today(now),
  });
  const report = result.report;
  const common = {
    id,
    contract_id: contractId,
    period,
    submitted_by: submittedBy,
    submitted_at: now.toISOString(),
    file: { name: fileName, bytes: bytes.length, sha256, format: report.file.format },
    raw_key: raw,
    counts: { rows: report.rowCount, errors: report.errorCount, warnings: report.warningCount },
    report,
  };

  let receipt: Receipt;
  if (result.status === 'accepted') {
    // (e) Staged file first, then the receipt that names it: the receipt is the commit point.
    const kind = result.data.kind;
    // The lock above serialises this process; the claim serialises every process (in AWS,
    // ingest functions run side by side). A claim left by a crash only skips a number.
    let version = 1 + Math.max(0, ...earlier.map((r) => (r.status === 'accepted' ? r.version : 0)));
    while (
      !(await store.putIfAbsent(versionClaimKey(contractId, period, version), `${id}\n`, {
        contentType: 'text/plain',
      }))
    )
      version++;
    const staged = stagedKey(kind, contractId, period, version);
    const accepted: AcceptedReceipt = {
      ...common,
      kind,
      status: 'accepted',
      version,
      staged_key: staged,
    };
    receipt = parseReceipt(accepted);
    await withStagedParquet(
      result.data,
      { contractId, period, version, receiptId: id, submittedAt: common.submitted_at },
      async (path) => {
        // Restatements are found here, once, against the contract's return before this one
        // (./changes.ts, ADR 031); the build only reads them.
        if (kind === 'participant')
          await recordChangesAtIngest(
            store,
            { contract_id: contractId, period, version, staged_key: staged },
            path,
          );
        await store.putFile(staged, path, {
          move: true,
          contentType: 'application/vnd.apache.parquet',
        });
      },
    );
  } else {
    const rejected: RejectedReceipt = {
      ...common,
      kind: report.kind,
      status: 'rejected',
      version: null,
      staged_key: null,
    };
    receipt = parseReceipt(rejected);
  }
  const key = receiptKey(contractId, period, id);
  const written = await store.putIfAbsent(key, JSON.stringify(receipt, null, 2) + '\n', {
    contentType: 'application/json',
  });
  if (!written)
    throw new Error(
      `A receipt ${key} already exists in ${store.description}; receipts are never replaced.`,
    );
  return { receipt, duplicate: false };
}

const receiptIdPattern = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/** One receipt, or null when there is none (or the period or id could not name one). */
export async function readReceipt(
  store: ObjectStore,
  contractId: string,
  period: string,
  id: string,
): Promise<Receipt | null> {
  if (!periodSchema.safeParse(period).success || !receiptIdPattern.test(id)) return null;
  const key = receiptKey(contractId, period, id);
  const value = await getJson(store, key);
  return value === null ? null : parseReceipt(value, key);
}

export interface ReceiptFilter {
  contractId?: string;
  period?: string;
}

/** Receipts read at once when listing many. */
const READ_CONCURRENCY = 16;

/**
 * The receipts in the store, checked, in id order (the order they were received). A receipt
 * that cannot be read as one is an error naming its key: receipts are the record of every
 * upload, so a damaged one must not be skipped quietly.
 */
export async function listReceipts(
  store: ObjectStore,
  filter: ReceiptFilter = {},
): Promise<Receipt[]> {
  const prefix =
    filter.contractId === undefined
      ? receiptPrefix()
      : receiptPrefix(filter.contractId, filter.period);
  const keys = (await store.list(prefix)).filter((k) => k.endsWith('.json'));
  const receipts: Receipt[] = new Array(keys.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < keys.length; i = next++) {
      const key = keys[i]!;
      const value = await getJson(store, key);
      if (value === null)
        throw new Error(
          `The receipt ${key} disappeared from ${store.description} while it was being read.`,
        );
      receipts[i] = parseReceipt(value, key);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, worker));
  return receipts
    .filter((r) => filter.period === undefined || r.period === filter.period)
    .sort((a, b) =>
      a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : a.contract_id < b.contract_id
            ? -1
            : a.contract_id > b.contract_id
              ? 1
              : a.period < b.period
                ? -1
                : a.period > b.period
                  ? 1
                  : 0,
    );
}

/** Of some receipts, the newest accepted version of each return (contract and period), ordered by contract then period. */
export function latestAcceptedOf(receipts: readonly Receipt[]): AcceptedReceipt[] {
  const latest = new Map<string, AcceptedReceipt>();
  for (const r of receipts) {
    if (r.status !== 'accepted') continue;
    const key = `${r.contract_id}\u0000${r.period}`;
    const seen = latest.get(key);
    if (!seen || r.version > seen.version) latest.set(key, r);
  }
  return [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** The newest accepted version of every return in the store (narrowed by contract and period when given). */
export async function latestAccepted(
  store: ObjectStore,
  filter: ReceiptFilter = {},
): Promise<AcceptedReceipt[]> {
  return latestAcceptedOf(await listReceipts(store, filter));
}

/** Every accepted version, oldest first, of one return. */
export async function acceptedVersions(
  store: ObjectStore,
  contractId: string,
  period: string,
): Promise<AcceptedReceipt[]> {
  return (await listReceipts(store, { contractId, period }))
    .filter((r): r is AcceptedReceipt => r.status === 'accepted')
    .sort((a, b) => a.version - b.version);
}
