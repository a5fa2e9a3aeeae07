/**
 * Changing the reference data in force by upload. Every upload, accepted or not, is kept as an
 * immutable version under `reference/versions/`: the bytes as sent (`<at>-<file>.<ext>`) and a
 * record of who sent them, when, and the verdict (`<at>-<file>.json`), both written with
 * putIfAbsent so nothing is overwritten or lost. Only an accepted upload replaces the file in
 * force (putReference); a rejected one changes nothing else. After an accepted change the marts
 * are rebuilt in full, since profiles change performance everywhere: here, or (in AWS) by asking
 * the transform function to, through the `rebuild` the caller gives.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { audit } from '../../audit/audit-log.js';
import { isoDate, today } from '../../calendar/days.js';
import { loadReference, putReference } from '../../ingest/reference-store.js';
import { getJson, zones, type ObjectStore } from '../../store/object-store.js';
import { rebuild } from '../../transform/rebuild.js';
import type { ValidationReport } from '../../validate/report.js';
import { checkReferenceUpload, uploadKinds, type UploadKind } from './parse.js';

export const VERSIONS_PREFIX = `${zones.reference}versions/`;

export const versionSchema = z.object({
  id: z.string(),
  at: z.string(),
  who: z.string(),
  kind: z.enum(uploadKinds as [UploadKind, ...UploadKind[]]),
  file_name: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The key of the bytes as sent. */
  bytes_key: z.string(),
  status: z.enum(['accepted', 'rejected']),
  rows: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  report: z.unknown(),
});

export type ReferenceVersion = z.infer<typeof versionSchema>;

export interface UploadResult {
  version: ReferenceVersion;
  report: ValidationReport;
  /** Accepted, but the marts could not be rebuilt: the previous marts keep serving. */
  rebuildFailed: boolean;
  /** Accepted, and a full rebuild was asked for rather than run (queued, in AWS). */
  rebuildQueued: boolean;
}

export interface ApplyUpload {
  store: ObjectStore;
  kind: UploadKind;
  bytes: Uint8Array;
  fileName: string;
  /** The user id of whoever sent it. */
  who: string;
  /** For a commissioner, the programmes they may change; null for an administrator. */
  programmeIds: readonly string[] | null;
  /** The client address, for the audit log. */
  from: string;
  now: Date;
  /**
   * Rebuilds the marts in full (or asks for that); default: rebuild here, now. Throws when it
   * could not, which leaves the change in force and the previous marts serving.
   */
  rebuild?: () => Promise<'built' | 'requested'>;
}

/** Checks an upload, keeps it as a version, and (when accepted) puts it in force and rebuilds the marts. */
export async function applyReferenceUpload(input: ApplyUpload): Promise<UploadResult> {
  const { store, kind, bytes, fileName, who, now } = input;
  const current = await loadReference(store);
  const check = checkReferenceUpload({
    kind,
    bytes,
    fileName,
    current,
    programmeIds: input.programmeIds,
  });
  const at = now.toISOString();
  const ext = check.report.file.format === 'unknown' ? 'bin' : check.report.file.format;

  // Ids sort in upload order: the time, then a sequence number for uploads in the same instant.
  const sequence = (await store.list(VERSIONS_PREFIX)).filter((k) => k.endsWith('.json')).length;
  let version: ReferenceVersion | null = null;
  for (let attempt = 0; !version; attempt++) {
    const id = `${at.replace(/[-:.]/g, '')}-${String(sequence + attempt).padStart(6, '0')}-${randomBytes(3).toString('hex')}-${kind}`;
    const bytesKey = `${VERSIONS_PREFIX}${id}.${ext}`;
    if (!(await store.putIfAbsent(bytesKey, bytes))) {
      if (attempt > 5)
        throw new Error(
          `Could not find a free key for the reference upload under ${VERSIONS_PREFIX}`,
        );
      continue;
    }
    const candidate: ReferenceVersion = {
      id,
      at,
      who,
      kind,
      file_name: fileName,
      bytes: bytes.length,
      bytes_key: bytesKey,
      status: check.status,
      rows: check.report.rowCount,
      errors: check.report.errorCount,
      report: check.report,
    };
    await store.putIfAbsent(
      `${VERSIONS_PREFIX}${id}.json`,
      JSON.stringify(candidate, null, 2) + '\n',
      { contentType: 'application/json' },
    );
    version = candidate;
  }

  let rebuildFailed = false;
  let rebuildQueued = false;
  if (check.status === 'accepted' && check.data) {
    await putReference(store, check.data);
    try {
      const done = input.rebuild
        ? await input.rebuild()
        : (await rebuild(store, { asOf: isoDate(today(now)) }), 'built');
      rebuildQueued = done === 'requested';
    } catch (e) {
      console.error(`Rebuilding the marts after reference version ${version.id} failed:`, e);
      rebuildFailed = true;
    }
  }
  const detail =
    check.status === 'accepted'
      ? `${kind} replaced from ${fileName} (${check.report.rowCount} rows), version ${version.id}${rebuildFailed ? '; the marts could not be rebuilt' : rebuildQueued ? '; a rebuild of the marts was requested' : ''}`
      : `${kind} upload ${fileName} rejected with ${check.report.errorCount} errors, version ${version.id}; nothing changed`;
  await audit(
    store,
    { who, action: 'reference_change', target: `reference/${kind}.json`, detail, from: input.from },
    now,
  );
  return { version, report: check.report, rebuildFailed, rebuildQueued };
}

/** Every upload kept, newest first. */
export async function listReferenceVersions(store: ObjectStore): Promise<ReferenceVersion[]> {
  const keys = (await store.list(VERSIONS_PREFIX)).filter((k) => k.endsWith('.json'));
  const records = await Promise.all(keys.map((k) => getJson(store, k)));
  return records
    .map((r) => versionSchema.safeParse(r))
    .filter((r) => r.success)
    .map((r) => r.data)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
