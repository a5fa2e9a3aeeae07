/**
 * Ingests one uploaded return: authorise, keep the bytes, recognise a re-upload, validate, and
 * record the verdict in a receipt, staging the typed rows as a new version when accepted.
 * The order, and why, is in docs/decisions/007-ingest-order.md; which version is then in force
 * (held, restored, withdrawn) in docs/decisions/023-no-silent-loss-of-a-caseload.md.
 */
import { createHash } from 'node:crypto';
import { today } from '../calendar/days.js';
import { periodSchema, type ReferenceData } from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { ruleDescriptions, type ValidationReport } from '../validate/report.js';
import { validateReturn } from '../validate/validate-return.js';
import { authoriseSubmission } from '../access/index.js';
import { assertReturnOpen } from '../review/approval.js';
import {
  caseloadOf,
  compareCaseloads,
  ELSEWHERE,
  LITTLE_OVERLAP,
  overlap,
  stagedCaseload,
  type Caseload,
} from './caseload.js';
import { claimBytes } from './bytes-claim.js';
import { KeyedLock } from './keyed-lock.js';
import {
  actionPrefix,
  isActionKey,
  isReceiptKey,
  parseReceipt,
  rawKey,
  receiptId,
  receiptKey,
  receiptPrefix,
  stagedKey,
  versionClaimKey,
  type AcceptedReceipt,
  type CaseloadCheck,
  type Receipt,
  type RejectedReceipt,
} from './receipt.js';
import { recordChangesAtIngest } from './changes.js';
import { ensureQualitySummary } from './quality.js';
import { withStagedParquet } from './stage.js';
import { returnVersionsOf, versionActionSchema, type VersionAction } from './versions.js';

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
  /**
   * The sender has been told how many participants and milestones the file removes and wants it
   * in force anyway: a large drop is put in force rather than held (ADR 023).
   */
  confirmRemoval?: boolean;
}

/**
 * - `in_force`: accepted, and now the version in force
 * - `restored`: the bytes of an earlier version, sent again: a new version, now in force
 * - `held`: accepted, but it would remove much of the caseload, so it waits for confirmation
 * - `rejected`: not accepted (the receipt's report says why)
 * - `unchanged`: the same bytes as the version in force; nothing written
 * - `sent_before`: the same bytes as an earlier receipt that is held or rejected; nothing written
 */
export type IngestOutcome =
  'in_force' | 'restored' | 'held' | 'rejected' | 'unchanged' | 'sent_before';

export interface IngestResult {
  receipt: Receipt;
  /** True when nothing was written: `receipt` is the earlier one with these exact bytes. */
  duplicate: boolean;
  outcome: IngestOutcome;
}

/**
 * One ingest or version action at a time per contract and period in this process, so two
 * versions can never take the same number and an action sees the state it changes.
 */
export const returnLock = new KeyedLock();
const lock = returnLock;

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

  // (a) Authorise before anything is written, and refuse a locked or closed return (ADR 032).
  authoriseSubmission(reference, submittedBy, contractId, period);
  await assertReturnOpen(store, reference, submittedBy, contractId, period, now);

  // (b) Keep the bytes: content-addressed, so never overwritten and shared by identical uploads.
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const raw = rawKey(sha256);
  await store.putIfAbsent(raw, bytes, { contentType: 'application/octet-stream' });

  return lock.run(`${contractId}/${period}`, async () => {
    // (c) The same bytes again for the same return: nothing changed when they are the version
    // in force (or a held or rejected upload); the bytes of an earlier version are a restore.
    const contractSubmissions = await listSubmissions(store, { contractId });
    const earlier = contractSubmissions.receipts.filter((r) => r.period === period);
    const kinds = returnVersionsOf(
      earlier,
      contractSubmissions.actions.filter((a) => a.period === period),
    );
    const versions = kinds.flatMap((k) => k.versions);
    const same = earlier.filter((r) => r.file.sha256 === sha256);
    let restores: AcceptedReceipt['restores'];
    if (same.length) {
      const inForce = kinds.find((k) => k.inForce?.file.sha256 === sha256)?.inForce;
      if (inForce) return { receipt: inForce, duplicate: true, outcome: 'unchanged' };
      const held = versions.find((v) => v.state === 'held' && v.receipt.file.sha256 === sha256);
      if (held) return { receipt: held.receipt, duplicate: true, outcome: 'sent_before' };
      const before = versions
        .filter((v) => v.receipt.file.sha256 === sha256)
        .sort((a, b) => a.receipt.version - b.receipt.version)
        .at(-1);
      if (!before) return { receipt: same.at(-1)!, duplicate: true, outcome: 'sent_before' };
      restores = { version: before.receipt.version, receipt_id: before.receipt.id };
    }

    // The same bytes sent again in the same millisecond (a restore, with a fixed clock) would
    // give the same id: the id only orders receipts, so it moves on a millisecond.
    let id = receiptId(now, sha256);
    for (let ms = 1; earlier.some((r) => r.id === id); ms++)
      id = receiptId(new Date(now.getTime() + ms), sha256);
    // (c') The same bytes sent to another process at once: one takes them, the other gets its
    // receipt (ADR 027). Claims whose receipts were listed above are spent: a restore of those
    // bytes takes the next claim number, so it is not answered with the earlier receipt.
    const claim = await claimBytes(
      store,
      contractId,
      period,
      sha256,
      id,
      new Set(same.map((r) => r.id)),
    );
    if (!claim.taken) {
      const theirs = claim.receipt;
      const inForce = theirs.status === 'accepted' && !theirs.caseload?.held;
      return { receipt: theirs, duplicate: true, outcome: inForce ? 'unchanged' : 'sent_before' };
    }
    try {
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
      let caseload: CaseloadCheck | undefined;
      let elsewhere: ValidationReport | null = null;
      if (result.status === 'accepted' && result.data.kind === 'participant') {
        const sent = caseloadOf(result.data);
        const compareWith = caseloadToDate(contractSubmissions, period);
        const before = compareWith
          ? await stagedCaseload(await store.localFile(compareWith.staged_key))
          : null;
        caseload = compareCaseloads(
          before,
          sent,
          compareWith && { period: compareWith.period, version: compareWith.version },
          input.confirmRemoval === true,
        );
        if (sent.size > 0 && caseload.participants_kept < sent.size * LITTLE_OVERLAP)
          elsewhere = await otherContractsReturn(
            store,
            reference,
            contractId,
            sent,
            caseload,
            report,
          );
      }

      if (result.status === 'accepted' && !elsewhere) {
        // (e) Staged file first, then the receipt that names it: the receipt is the commit point.
        const kind = result.data.kind;
        // The lock above serialises this process; the claim serialises every process (in AWS,
        // ingest functions run side by side). A claim left by a crash only skips a number.
        let version =
          1 + Math.max(0, ...earlier.map((r) => (r.status === 'accepted' ? r.version : 0)));
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
          ...(caseload ? { caseload } : {}),
          ...(restores ? { restores } : {}),
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
            // So are the counts the data-quality score is made from (./quality.ts, ADR 051).
            await ensureQualitySummary(
              store,
              { contract_id: contractId, period, version, kind, staged_key: staged },
              report.problems.filter((p) => p.severity === 'warning'),
              path,
            );
            await store.putFile(staged, path, {
              move: true,
              contentType: 'application/vnd.apache.parquet',
            });
          },
        );
      } else {
        const final = elsewhere ?? report;
        const rejected: RejectedReceipt = {
          ...common,
          counts: { rows: final.rowCount, errors: final.errorCount, warnings: final.warningCount },
          report: final,
          kind: final.kind,
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
      const outcome: IngestOutcome =
        receipt.status === 'rejected'
          ? 'rejected'
          : receipt.caseload?.held
            ? 'held'
            : restores
              ? 'restored'
              : 'in_force';
      return { receipt, duplicate: false, outcome };
    } catch (err) {
      await claim.release().catch(() => undefined);
      throw err;
    }
  });
}

/**
 * What a new version of `period` is compared with: the version in force for that period, or
 * else the newest version in force for an earlier period of the contract (its caseload to date).
 * Participant returns only.
 */
function caseloadToDate(submissions: Submissions, period: string): AcceptedReceipt | null {
  const inForce = returnVersionsOf(submissions.receipts, submissions.actions).filter(
    (rv) => rv.kind === 'participant' && rv.period <= period && rv.inForce,
  );
  return (inForce.find((rv) => rv.period === period) ?? inForce.at(-1))?.inForce ?? null;
}

/**
 * When most of a file's participants are in the caseload of another contract of the same
 * provider (and few in this one's), the report refusing it as that contract's return.
 */
async function otherContractsReturn(
  store: ObjectStore,
  reference: ReferenceData,
  contractId: string,
  ids: Caseload,
  here: CaseloadCheck,
  report: ValidationReport,
): Promise<ValidationReport | null> {
  const contract = reference.contracts.find((c) => c.id === contractId);
  const siblings = reference.contracts.filter(
    (c) => c.id !== contractId && c.provider_id === contract?.provider_id,
  );
  for (const sibling of siblings) {
    const subs = await listSubmissions(store, { contractId: sibling.id });
    const newest = returnVersionsOf(subs.receipts, subs.actions)
      .filter((rv) => rv.inForce?.kind === 'participant')
      .at(-1)?.inForce;
    if (!newest) continue;
    const there = overlap(ids, await stagedCaseload(await store.localFile(newest.staged_key)));
    if (there < ids.size * ELSEWHERE) continue;
    const problem = {
      severity: 'error' as const,
      rule: 'reference.other_contract' as const,
      row: null,
      column: 'participant_id',
      value: null,
      message: `${there.toLocaleString('en-GB')} of the ${ids.size.toLocaleString('en-GB')} participants in this file are in contract ${sibling.id}'s return for ${newest.period}, and ${here.participants_kept.toLocaleString('en-GB')} in contract ${contractId}'s, so it looks like ${sibling.id}'s return.`,
      fix: `Check which contract the file is for: send it as ${sibling.id}'s return, or send ${contractId}'s own return.`,
    };
    return {
      ...report,
      status: 'rejected',
      errorCount: report.errorCount + 1,
      rules: [
        {
          rule: problem.rule,
          severity: 'error',
          description: ruleDescriptions[problem.rule],
          count: 1,
        },
        ...report.rules,
      ],
      problems: [problem, ...report.problems],
    };
  }
  return null;
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

/** The receipts and the version actions of some returns. */
export interface Submissions {
  receipts: Receipt[];
  /** Oldest first within each return. */
  actions: VersionAction[];
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
  return (await listSubmissions(store, filter)).receipts;
}

/** The receipts (as listReceipts) and the version actions, read in one listing. */
export async function listSubmissions(
  store: ObjectStore,
  filter: ReceiptFilter = {},
): Promise<Submissions> {
  const prefix =
    filter.contractId === undefined
      ? receiptPrefix()
      : receiptPrefix(filter.contractId, filter.period);
  const [listed, listedActions] = await Promise.all([
    store.list(prefix),
    store.list(
      filter.contractId === undefined
        ? actionPrefix()
        : actionPrefix(filter.contractId, filter.period),
    ),
  ]);
  const keys = listed.filter(isReceiptKey);
  const actionKeys = listedActions.filter(isActionKey);
  const read = async (key: string) => {
    const value = await getJson(store, key);
    if (value === null)
      throw new Error(
        `The record ${key} disappeared from ${store.description} while it was being read.`,
      );
    return value;
  };
  const receipts: Receipt[] = new Array(keys.length);
  const actions: VersionAction[] = new Array(actionKeys.length);
  const all = [...keys, ...actionKeys];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < all.length; i = next++) {
      const key = all[i]!;
      if (i < keys.length) receipts[i] = parseReceipt(await read(key), key);
      else {
        const parsed = versionActionSchema.safeParse(await read(key));
        if (!parsed.success)
          throw new Error(
            `${key} is not a valid version action: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
          );
        actions[i - keys.length] = parsed.data;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, all.length) }, worker));
  return {
    receipts: sortReceipts(
      receipts.filter((r) => filter.period === undefined || r.period === filter.period),
    ),
    actions: actions
      .filter((a) => filter.period === undefined || a.period === filter.period)
      .sort((a, b) => a.seq - b.seq),
  };
}

function sortReceipts(receipts: Receipt[]): Receipt[] {
  return receipts.sort((a, b) =>
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

/** Of some receipts and actions, the version in force of each return (contract and period), ordered by contract then period. */
export function inForceOf(
  receipts: readonly Receipt[],
  actions: readonly VersionAction[] = [],
): AcceptedReceipt[] {
  return returnVersionsOf(receipts, actions).flatMap((rv) => (rv.inForce ? [rv.inForce] : []));
}

/** The version in force of every return in the store (narrowed by contract and period when given). */
export async function versionsInForce(
  store: ObjectStore,
  filter: ReceiptFilter = {},
): Promise<AcceptedReceipt[]> {
  const { receipts, actions } = await listSubmissions(store, filter);
  return inForceOf(receipts, actions);
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
