/** The transform's inputs, read from the store: reference data, receipts and staged files. */
import { claimEvidenceIn } from '../claims/evidence.js';
import { ensureChangeRecords } from '../ingest/changes.js';
import { ensureQualitySummary } from '../ingest/quality.js';
import { versionStatesOf, type VersionState } from '../ingest/versions.js';
import { loadReference } from '../ingest/reference-store.js';
import type { ObjectStore } from '../store/object-store.js';
import type { CurrentBuild } from './curated.js';
import {
  indexedActions,
  readReceiptsIndex,
  updateReceiptsIndex,
  type IndexedReceipt,
} from './receipts-index.js';
import type { ReceiptRecord, TransformInputs } from './sources.js';

function recordOf(r: IndexedReceipt, state: VersionState | undefined): ReceiptRecord {
  const { key: _key, held: _held, ...rest } = r;
  return { ...rest, state: r.status === 'accepted' ? (state ?? 'in_force') : null };
}

/**
 * The inputs of a build on top of `base`: the receipts and actions from the receipts index of
 * the build in force, and only those written since read from the store (./receipts-index.ts).
 * Without a base (or an index) every receipt and action is read.
 */
export async function inputsFromStore(
  store: ObjectStore,
  base: CurrentBuild | null = null,
): Promise<TransformInputs> {
  const indexKey = base?.manifest?.receipts_index;
  const [reference, previous, claimEvidence] = await Promise.all([
    loadReference(store),
    indexKey ? readReceiptsIndex(store, indexKey) : Promise.resolve(null),
    claimEvidenceIn(store),
  ]);
  const update = await updateReceiptsIndex(store, previous);
  const { index } = update;
  const states = versionStatesOf(
    index.receipts.map((r) =>
      r.status === 'accepted'
        ? {
            id: r.id,
            contract_id: r.contract_id,
            period: r.period,
            version: r.version!,
            status: 'accepted' as const,
            kind: r.kind!,
            caseload: { held: r.held },
          }
        : { status: 'rejected' as const },
    ),
    indexedActions(index),
  );
  return {
    reference,
    receipts: index.receipts.map((r) => recordOf(r, states.get(r.id))),
    claimEvidence,
    receiptsIndex: {
      index,
      // Nothing new since the build in force: the new build names the same index object.
      unchangedAt: previous !== null && update.read === 0 ? indexKey! : null,
      read: update.read,
      reused: update.reused,
    },
    stagedFile: (key) => store.localFile(key),
    changeRecordsFile: async (before, after) =>
      store.localFile(await ensureChangeRecords(store, before, after)),
    qualitySummaryFile: async (r) =>
      store.localFile(
        await ensureQualitySummary(
          store,
          {
            contract_id: r.contract_id,
            period: r.period,
            version: r.version!,
            kind: r.kind!,
            staged_key: r.staged_key!,
          },
          r.warnings,
        ),
      ),
  };
}
