/**
 * The receipt: the record of one upload, written to `submissions/` once for every file a
 * provider sends, accepted or not. It says who sent what and when, the verdict with the full
 * validation report, and, when accepted, which staged version holds the rows. An accepted
 * receipt is the commit point of an ingest: a staged file counts only when a receipt names it.
 *
 * Key layout (one place, so nothing else builds keys by hand):
 *
 *   raw/<sha256>                                           the uploaded bytes, never overwritten
 *   submissions/<contract>/<period>/<receipt id>.json      one receipt per upload
 *   versions/<contract>/<period>/a<seq>.json               a version confirmed, discarded or withdrawn
 *   staged/<kind>/<contract>/<period>/v<version>.parquet   the typed rows of an accepted version
 *
 * Which accepted version is in force is worked out from the receipts and the actions
 * (./versions.ts, ADR 023); neither is ever rewritten.
 */
import { z } from 'zod';
import { zones, type ObjectStore } from '../store/object-store.js';
import { periodSchema, slug } from '../reference/schema.js';
import type { ReturnKind } from '../returns/fields.js';
import { ruleDescriptions, type RuleId, type ValidationReport } from '../validate/report.js';

const ruleIds = Object.keys(ruleDescriptions) as [RuleId, ...RuleId[]];
const severity = z.enum(['error', 'warning']);
const kind = z.enum(['participant', 'aggregate']);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash as 64 lower-case hex digits');

/** The validation report as stored in a receipt (the shape of `ValidationReport`). */
export const reportSchema = z.object({
  status: z.enum(['accepted', 'rejected']),
  file: z.object({
    name: z.string(),
    bytes: z.number().int().nonnegative(),
    format: z.enum(['csv', 'xlsx', 'unknown']),
  }),
  kind: kind.nullable(),
  contractId: z.string().nullable(),
  period: z.string().nullable(),
  rowCount: z.number().int().nonnegative(),
  errorCount: z.number().int().nonnegative(),
  warningCount: z.number().int().nonnegative(),
  rules: z.array(
    z.object({
      rule: z.enum(ruleIds),
      severity,
      description: z.string(),
      count: z.number().int().positive(),
    }),
  ),
  problems: z.array(
    z.object({
      severity,
      rule: z.enum(ruleIds),
      row: z.number().int().nullable(),
      column: z.string().nullable(),
      value: z.string().nullable(),
      message: z.string(),
      fix: z.string(),
      participant: z.string().nullable().optional(),
    }),
  ),
  unlisted: z.number().int().nonnegative(),
  groups: z
    .array(
      z.object({
        severity,
        rule: z.enum(ruleIds),
        column: z.string().nullable(),
        message: z.string(),
        fix: z.string(),
        count: z.number().int().positive(),
        firstRow: z.number().int().nullable(),
        lastRow: z.number().int().nullable(),
      }),
    )
    .optional(),
});

// The schema and the validator's own type must describe the same thing, in both directions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const reportSchemaMatches: Same<z.infer<typeof reportSchema>, ValidationReport> = true;
void reportSchemaMatches;

const common = {
  /** Sorts by time: `20250414T101502123Z-` then the first 8 hex digits of the file's hash. */
  id: z
    .string()
    .regex(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/, 'a receipt id such as 20250414T101502123Z-ab12cd34'),
  contract_id: slug,
  period: periodSchema,
  /** The kind of return the validator read the file as; null when it could not tell. */
  kind: kind.nullable(),
  /** The id of the user who uploaded the file. */
  submitted_by: slug,
  submitted_at: z.iso.datetime(),
  file: z.object({
    /** The name the file was uploaded with. */
    name: z.string().min(1),
    bytes: z.number().int().nonnegative(),
    sha256,
    format: z.enum(['csv', 'xlsx', 'unknown']),
  }),
  /** Where the uploaded bytes are kept: `raw/<sha256>`. */
  raw_key: z.string().regex(/^raw\/[0-9a-f]{64}$/),
  counts: z.object({
    rows: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    warnings: z.number().int().nonnegative(),
  }),
  report: reportSchema,
};

const count = z.number().int().nonnegative();

/** Why a version would remove too much of the caseload to be put in force without asking (ADR 023). */
export const caseloadDrops = ['empty', 'fewer_than_half', 'little_overlap'] as const;

/**
 * The accepted version's participants against the caseload it would replace: the version in
 * force for the same period, or else the newest version in force for an earlier period.
 */
export const caseloadCheckSchema = z.object({
  /** The version compared with; null when the contract had nothing in force. */
  compared_with: z
    .object({ period: periodSchema, version: z.number().int().positive() })
    .nullable(),
  participants_before: count,
  participants_now: count,
  /** Participants in both. */
  participants_kept: count,
  /** Participants in the version compared with and not in this one. */
  participants_removed: count,
  /** Milestone dates given in the version compared with and blank or absent in this one. */
  milestones_removed: count,
  /** Null when nothing much is lost. */
  drop: z.enum(caseloadDrops).nullable(),
  /** True: held for the provider to confirm. False: put in force when received. */
  held: z.boolean(),
});

export type CaseloadCheck = z.infer<typeof caseloadCheckSchema>;

export const acceptedReceiptSchema = z.object({
  ...common,
  status: z.literal('accepted'),
  kind,
  /** Absent on receipts from before ADR 023 (each put in force on receipt). */
  caseload: caseloadCheckSchema.optional(),
  /** When the bytes are those of an earlier version, sent again to put them back in force. */
  restores: z.object({ version: z.number().int().positive(), receipt_id: z.string() }).optional(),
  /** 1 for the first accepted return for the contract and period, 2 for a resubmission, and so on. */
  version: z.number().int().positive(),
  /** Where the typed rows are: `staged/<kind>/<contract>/<period>/v<version>.parquet`. */
  staged_key: z
    .string()
    .regex(/^staged\/(participant|aggregate)\/[^/]+\/\d{4}-\d{2}\/v\d+\.parquet$/),
});

export const rejectedReceiptSchema = z.object({
  ...common,
  status: z.literal('rejected'),
  version: z.null(),
  staged_key: z.null(),
});

export const receiptSchema = z
  .discriminatedUnion('status', [acceptedReceiptSchema, rejectedReceiptSchema])
  .superRefine((r, ctx) => {
    if (r.raw_key !== rawKey(r.file.sha256))
      ctx.addIssue({
        code: 'custom',
        path: ['raw_key'],
        message: `should be ${rawKey(r.file.sha256)}`,
      });
    if (!r.id.endsWith(`-${r.file.sha256.slice(0, 8)}`))
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: 'should end with the first 8 hex digits of the file hash',
      });
    if (
      r.status === 'accepted' &&
      r.staged_key !== stagedKey(r.kind, r.contract_id, r.period, r.version)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['staged_key'],
        message: `should be ${stagedKey(r.kind, r.contract_id, r.period, r.version)}`,
      });
  });

export type AcceptedReceipt = z.infer<typeof acceptedReceiptSchema>;
export type RejectedReceipt = z.infer<typeof rejectedReceiptSchema>;
export type Receipt = AcceptedReceipt | RejectedReceipt;

/** Checks a stored receipt; the error names the key and the path of the bad value. */
export function parseReceipt(value: unknown, key = 'receipt'): Receipt {
  const parsed = receiptSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(
    `${key} is not a valid receipt: ${issue.path.join('.') || '(whole receipt)'}: ${issue.message}`,
  );
}

/** `raw/<sha256>`: the uploaded bytes, keyed by their hash so identical files share one object. */
export function rawKey(sha: string): string {
  return `${zones.raw}${sha}`;
}

/** The folder of every receipt for a contract (and a period, when given). */
export function receiptPrefix(contractId?: string, period?: string): string {
  if (contractId === undefined) return zones.submissions;
  return period === undefined
    ? `${zones.submissions}${contractId}/`
    : `${zones.submissions}${contractId}/${period}/`;
}

/** `submissions/<contract>/<period>/<id>.json`. */
export function receiptKey(contractId: string, period: string, id: string): string {
  return `${receiptPrefix(contractId, period)}${id}.json`;
}

/**
 * `submissions/<contract>/<period>/versions/v<version>.claim`: written with putIfAbsent before a
 * version is staged, so two ingests of the same return running at once (two Lambda functions)
 * can never both take a version number. Not a receipt (receipts end in `.json`).
 */
export function versionClaimKey(contractId: string, period: string, version: number): string {
  return `${receiptPrefix(contractId, period)}versions/v${version}.claim`;
}

/**
 * The folder of the version actions of a contract (and a period). A zone of its own, so the web
 * API, which records them, may write there without being able to write receipts.
 */
export function actionPrefix(contractId?: string, period?: string): string {
  if (contractId === undefined) return zones.versions;
  return period === undefined
    ? `${zones.versions}${contractId}/`
    : `${zones.versions}${contractId}/${period}/`;
}

/** `versions/<contract>/<period>/a<seq>.json`: one confirmation, discard or withdrawal. */
export function actionKey(contractId: string, period: string, seq: number): string {
  return `${actionPrefix(contractId, period)}a${String(seq).padStart(6, '0')}.json`;
}

const RECEIPT_KEY = /^submissions\/([^/]+)\/([^/]+)\/([^/]+)\.json$/;

/** Whether a key under `submissions/` is a receipt (not an action or a version claim). */
export function isReceiptKey(key: string): boolean {
  return RECEIPT_KEY.test(key);
}

/** What a receipt's key says (its contract, period and id), or null for a key that is not a receipt's. */
export function receiptKeyParts(
  key: string,
): { contract_id: string; period: string; receipt_id: string } | null {
  const m = RECEIPT_KEY.exec(key);
  return m ? { contract_id: m[1]!, period: m[2]!, receipt_id: m[3]! } : null;
}

/**
 * The months a contract has any receipt for, in order, from one listing of their keys: no
 * receipt is read (a page asks this on every request; docs/decisions/043).
 */
export async function receiptPeriods(store: ObjectStore, contractId: string): Promise<string[]> {
  const periods = new Set<string>();
  for (const key of await store.list(receiptPrefix(contractId))) {
    const parts = receiptKeyParts(key);
    if (parts) periods.add(parts.period);
  }
  return [...periods].sort();
}

/** Whether a key under `versions/` is a version action. */
export function isActionKey(key: string): boolean {
  return /^versions\/[^/]+\/[^/]+\/a\d+\.json$/.test(key);
}

/**
 * `submissions/<contract>/<period>/bytes/<sha256>.<generation>.claim`: written with putIfAbsent
 * before a file is validated, so the same bytes sent twice at once, to two processes, are taken
 * by one (ADR 027). It names the receipt its taker will write. A taker that fails releases it;
 * one that crashed leaves it stale; either way the next generation can be claimed.
 */
export function bytesClaimKey(
  contractId: string,
  period: string,
  sha256: string,
  generation: number,
): string {
  return `${receiptPrefix(contractId, period)}bytes/${sha256}.${generation}.claim`;
}

/** `staged/<kind>/<contract>/<period>/v<version>.parquet`. */
export function stagedKey(
  kind: ReturnKind,
  contractId: string,
  period: string,
  version: number,
): string {
  return `${zones.staged}${kind}/${contractId}/${period}/v${version}.parquet`;
}

/**
 * A receipt id that sorts by time: the UTC instant to the millisecond, then the first 8 hex
 * digits of the file's hash, so two different files received in the same millisecond differ.
 *
 * @example receiptId(new Date('2025-04-14T10:15:02.123Z'), 'ab12cd34…') // '20250414T101502123Z-ab12cd34'
 */
export function receiptId(at: Date, sha: string): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${sha.slice(0, 8)}`;
}
