/**
 * The receipts index (issue 12, ADR 033): what the transform needs of every receipt and version
 * action, kept as one object beside each build's manifest, so a build reads the receipts and
 * actions written since the build it starts from — not every one in the store.
 *
 * Each build writes the index it read its inputs from into its own folder,
 * `curated/builds/<id>/receipts-index.json` (or names the previous build's when nothing was
 * added), and its manifest names it; the build switches in with the compare-and-swap of ADR 027,
 * so the index in force always belongs to the build in force. Receipts and actions are never
 * rewritten or deleted (ADR 007, 023), so an entry once indexed stays true: the next build lists
 * `submissions/` and `versions/` (keys only) and reads only the keys the index lacks. A missing
 * or unreadable index (a build from before this, a damaged object) only means reading them all.
 */
import { z } from 'zod';
import { getJson, type ObjectStore } from '../store/object-store.js';
import { actionPrefix, isActionKey, isReceiptKey, receiptPrefix } from '../ingest/receipt.js';
import { parseReceipt, type Receipt } from '../ingest/receipt.js';
import { versionActionSchema, type VersionAction } from '../ingest/versions.js';
import { buildPrefix } from './curated.js';

const indexedReceiptSchema = z.object({
  key: z.string(),
  id: z.string(),
  contract_id: z.string(),
  period: z.string(),
  kind: z.enum(['participant', 'aggregate']).nullable(),
  submitted_by: z.string(),
  submitted_at: z.string(),
  status: z.enum(['accepted', 'rejected']),
  version: z.number().int().nullable(),
  /** Held on receipt for a large drop in the caseload (ADR 023): its state needs the actions. */
  held: z.boolean(),
  restores_version: z.number().int().nullable(),
  staged_key: z.string().nullable(),
  counts: z.object({ rows: z.number(), errors: z.number(), warnings: z.number() }),
  warnings: z.array(
    z.object({
      rule: z.string(),
      row: z.number().nullable(),
      column: z.string().nullable(),
      message: z.string(),
    }),
  ),
});

export type IndexedReceipt = z.infer<typeof indexedReceiptSchema>;

export const receiptsIndexSchema = z.object({
  format: z.literal(1),
  receipts: z.array(indexedReceiptSchema),
  actions: z.array(z.object({ key: z.string(), action: versionActionSchema })),
});

export type ReceiptsIndex = z.infer<typeof receiptsIndexSchema>;

/** Where a build keeps the index it was built from. */
export function receiptsIndexKey(buildId: string): string {
  return `${buildPrefix(buildId)}receipts-index.json`;
}

/** What the index keeps of one receipt. */
export function indexEntry(key: string, r: Receipt): IndexedReceipt {
  return {
    key,
    id: r.id,
    contract_id: r.contract_id,
    period: r.period,
    kind: r.kind,
    submitted_by: r.submitted_by,
    submitted_at: r.submitted_at,
    status: r.status,
    version: r.status === 'accepted' ? r.version : null,
    held: r.status === 'accepted' && r.caseload?.held === true,
    restores_version: r.status === 'accepted' ? (r.restores?.version ?? null) : null,
    staged_key: r.status === 'accepted' ? r.staged_key : null,
    counts: r.counts,
    warnings: r.report.problems
      .filter((p) => p.severity === 'warning')
      .map((p) => ({ rule: p.rule, row: p.row, column: p.column, message: p.message })),
  };
}

/** The index at `key`, or null when it is missing or not an index (then every receipt is read). */
export async function readReceiptsIndex(
  store: ObjectStore,
  key: string,
): Promise<ReceiptsIndex | null> {
  const value = await getJson(store, key).catch(() => null);
  const parsed = receiptsIndexSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface IndexUpdate {
  index: ReceiptsIndex;
  /** How many receipts and actions were read (not in the index before). */
  read: number;
  /** How many came from the index. */
  reused: number;
}

/** Receipts and actions read at once. */
const READ_CONCURRENCY = 16;

/**
 * The index brought up to date with the store: one listing of the receipts and one of the
 * actions, then a read of each key `previous` lacks. A receipt that cannot be read as one is an
 * error naming its key, as in listSubmissions.
 */
export async function updateReceiptsIndex(
  store: ObjectStore,
  previous: ReceiptsIndex | null,
): Promise<IndexUpdate> {
  const [listedReceipts, listedActions] = await Promise.all([
    store.list(receiptPrefix()),
    store.list(actionPrefix()),
  ]);
  const known = new Map((previous?.receipts ?? []).map((r) => [r.key, r]));
  const knownActions = new Map((previous?.actions ?? []).map((a) => [a.key, a]));
  const receiptKeys = listedReceipts.filter(isReceiptKey);
  const actionKeys = listedActions.filter(isActionKey);
  const toRead = [
    ...receiptKeys.filter((k) => !known.has(k)),
    ...actionKeys.filter((k) => !knownActions.has(k)),
  ];
  const receipts = receiptKeys.flatMap((k) => (known.has(k) ? [known.get(k)!] : []));
  const actions = actionKeys.flatMap((k) => (knownActions.has(k) ? [knownActions.get(k)!] : []));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < toRead.length; i = next++) {
      const key = toRead[i]!;
      const value = await getJson(store, key);
      if (value === null)
        throw new Error(
          `The record ${key} disappeared from ${store.description} while it was being read.`,
        );
      if (isReceiptKey(key)) receipts.push(indexEntry(key, parseReceipt(value, key)));
      else {
        const parsed = versionActionSchema.safeParse(value);
        if (!parsed.success)
          throw new Error(
            `${key} is not a valid version action: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
          );
        actions.push({ key, action: parsed.data });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, toRead.length) }, worker));
  return {
    index: {
      format: 1,
      receipts: receipts.sort(byReceiptOrder),
      actions: actions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    },
    read: toRead.length,
    reused: receipts.length + actions.length - toRead.length,
  };
}

/** Receipts in the order they were received (as listSubmissions gives them). */
function byReceiptOrder(a: IndexedReceipt, b: IndexedReceipt): number {
  const ka = `${a.id}\u0000${a.contract_id}\u0000${a.period}`;
  const kb = `${b.id}\u0000${b.contract_id}\u0000${b.period}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The actions, oldest first within each return (as listSubmissions gives them). */
export function indexedActions(index: ReceiptsIndex): VersionAction[] {
  return index.actions.map((a) => a.action).sort((a, b) => a.seq - b.seq);
}
