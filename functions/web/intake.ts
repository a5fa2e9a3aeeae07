/**
 * The intake: what happens to an uploaded return once the app has it, the app's `intake`
 * dependency (ADR 015, 017). Locally it is `inlineIntake`: the return is ingested inside the
 * request and the marts rebuilt at once, as they always were. In AWS it is the queued intake
 * (./queued-intake.ts): the app only writes the upload to `incoming/` and answers with where
 * to watch, and the ingest and transform functions do the rest.
 */
import { isoDate, today } from '../../pipelines/calendar/days.js';
import { auditIngest } from '../../pipelines/audit/upload-audit.js';
import { ingestReturn, type IngestResult } from '../../pipelines/ingest/ingest.js';
import type { Contract, ReferenceData } from '../../pipelines/reference/schema.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { currentLag } from '../../pipelines/transform/lag.js';
import { rebuild } from '../../pipelines/transform/rebuild.js';
import { defaultLimits } from '../../pipelines/validate/limits.js';
import { WebError } from './errors.js';
import { forgetFiguresBehind } from './figures-behind.js';

export interface ReturnUpload {
  contract: Contract;
  /** As the caller gave it; checked by the pipeline (an IngestRefusedError when it is not a month). */
  period: string;
  fileName: string;
  bytes: Uint8Array;
  submittedBy: string;
  reference: ReferenceData;
  /** The client address, for the audit log. */
  from: string;
  now: Date;
  /** Put a large drop in the caseload in force rather than hold it (ADR 023); inline only. */
  confirmRemoval?: boolean;
}

/** After an inline upload: whether the marts now include it. */
export type MartsUpdate = { rebuilt: true; build_id: string } | { rebuilt: false; error: string };

export type Submitted =
  /** Ingested in the request: the receipt, and the rebuild (null when nothing needed one). */
  | { queued: false; result: IngestResult; marts: MartsUpdate | null }
  /** Written to `incoming/`; the outcome appears at `uploads/<uploadId>.json`. */
  | { queued: true; uploadId: string };

export interface UploadUrlRequest {
  contract: Contract;
  period: string;
  fileName: string;
  /** The file's size in bytes, as the client says: the URL takes a PUT of exactly this many. */
  fileBytes: number;
  submittedBy: string;
  reference: ReferenceData;
  from: string;
  now: Date;
}

export interface UploadUrl {
  upload_id: string;
  /** PUT the file's bytes here, once, before `expires_at`. */
  url: string;
  method: 'PUT';
  expires_at: string;
}

/** The largest files a pipeline takes, each way they can arrive. */
export interface UploadLimits {
  /** In a request's body: a form on the pages, or POST /api/returns. */
  requestFileBytes: number;
  /** Through an upload URL (POST /api/returns/upload-url); null where there are none. */
  uploadUrlFileBytes: number | null;
}

export interface Intake {
  readonly mode: 'inline' | 'queued';
  readonly uploadLimits: UploadLimits;
  /**
   * Takes one uploaded return.
   * @throws IngestRefusedError when the caller may not send it or the period is not a month (nothing written).
   */
  submitReturn(store: ObjectStore, upload: ReturnUpload): Promise<Submitted>;
  /**
   * A URL the client can PUT the file to directly (queued mode only).
   * @throws IngestRefusedError as submitReturn; WebError 404 where there are no such URLs.
   */
  uploadUrl(store: ObjectStore, request: UploadUrlRequest): Promise<UploadUrl>;
  /**
   * Rebuilds every mart (the reference data changed): done when it returns inline, asked for
   * when queued. @throws when the build (or the request for one) failed.
   */
  rebuildAll(store: ObjectStore, reason: string, now: Date): Promise<'built' | 'requested'>;
  /**
   * Brings a contract's marts up to date after the version in force of one of its returns
   * changed (ADR 023): rebuilt inline, asked for when queued. Never throws: a failed rebuild
   * is said in the answer, and the next build picks the change up.
   */
  rebuildContract(
    store: ObjectStore,
    contractId: string,
    reason: string,
    now: Date,
  ): Promise<MartsUpdate | { requested: true }>;
}

const UPDATE_FAILED =
  'The return was accepted, but the dashboards could not be updated yet; they will include it after the next rebuild.';

/** Ingest in the request, audit it, then rebuild the marts of its contract (and any lagging). */
export const inlineIntake: Intake = {
  mode: 'inline',
  // The validator's own limit: the body limit (../body-limits.ts) refuses more as it streams.
  uploadLimits: { requestFileBytes: defaultLimits.maxFileBytes, uploadUrlFileBytes: null },

  async submitReturn(store, upload) {
    try {
      return await ingestAndCatchUp(store, upload);
    } finally {
      forgetFiguresBehind();
    }
  },

  async uploadUrl() {
    throw new WebError(
      404,
      'Upload links are offered only when Outturn runs on AWS. Send the file itself to POST /api/returns instead.',
    );
  },

  async rebuildAll(store, _reason, now) {
    await rebuild(store, { asOf: isoDate(today(now)) });
    return 'built';
  },

  async rebuildContract(store, contractId, reason, now) {
    try {
      const built = await rebuild(store, { contracts: [contractId], asOf: isoDate(today(now)) });
      return { rebuilt: true, build_id: built.manifest.build_id };
    } catch (e) {
      console.error(`Rebuilding the marts for ${contractId} (${reason}) failed:`, e);
      return {
        rebuilt: false,
        error:
          'The change was recorded, but the dashboards could not be updated yet; they will show it after the next rebuild.',
      };
    }
  },
};

/** Ingests in the request, audits it, then rebuilds every contract whose marts lag its receipts. */
async function ingestAndCatchUp(store: ObjectStore, upload: ReturnUpload): Promise<Submitted> {
  const result = await ingestReturn({
    store,
    bytes: upload.bytes,
    fileName: upload.fileName,
    contractId: upload.contract.id,
    period: upload.period,
    submittedBy: upload.submittedBy,
    reference: upload.reference,
    now: upload.now,
    confirmRemoval: upload.confirmRemoval === true,
  });
  await auditIngest(store, upload.submittedBy, result, upload.from, upload.now);
  const { receipt } = result;
  // The receipt is the commit point, so a failed rebuild does not undo the upload: the answer
  // says so, the previous marts keep serving, and the next upload (of any return, this one
  // again included) or start finds the marts behind the receipts and rebuilds (ADR 027).
  try {
    const lag = await currentLag(store);
    if (!lag.contracts.length) return { queued: false, result, marts: null };
    const built = await rebuild(store, {
      contracts: lag.contracts,
      asOf: isoDate(today(upload.now)),
    });
    return { queued: false, result, marts: { rebuilt: true, build_id: built.manifest.build_id } };
  } catch (e) {
    console.error(`Rebuilding the marts after receipt ${receipt.id} failed:`, e);
    // Only an accepted return's figures wait on the build; the pages say when they are behind.
    if (receipt.status !== 'accepted' || result.duplicate || result.outcome === 'held')
      return { queued: false, result, marts: null };
    return { queued: false, result, marts: { rebuilt: false, error: UPDATE_FAILED } };
  }
}
