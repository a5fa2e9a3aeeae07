/**
 * Change records: the milestone dates one accepted participant return changed or took away,
 * compared with the accepted return just before it for the same contract (returns in order of
 * period, then version). Found once, at ingest, from the contract's own two snapshots, and kept
 * in the staged zone beside the version:
 *
 *   staged/changes/<contract>/<period>/v<version>.from-<period before>-v<version before>.parquet
 *
 * The key names both returns, so a record is never rewritten: when a return for an earlier month
 * is sent later, the return after it now follows a different one, and its comparison with that
 * one is a new file. The build reads the records of each consecutive pair of the contract's
 * returns, making any that are missing (a store staged before records existed, or an ingest that
 * stopped between the staged file and the receipt), so restatements cost the size of the returns
 * compared, never the whole history (ADR 031).
 *
 * A milestone given for the first time is progress, not a restatement, and has no record; a
 * participant missing from the later return has each of their milestones recorded as removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../duckdb/open.js';
import { zones, type ObjectStore } from '../store/object-store.js';
import { milestoneColumnNames } from '../transform/field-columns.js';
import { stagingConnection } from './stage.js';

/** One return version in a contract's sequence of participant returns. */
export interface ReturnVersion {
  contract_id: string;
  period: string;
  version: number;
  staged_key: string;
}

/** The columns of a change-records file (and of the `restatements` mart that reads them). */
export const changeRecordColumns = [
  ['contract_id', 'VARCHAR'],
  ['participant_id', 'VARCHAR'],
  ['milestone', 'VARCHAR'],
  ['period_before', 'VARCHAR'],
  ['version_before', 'INTEGER'],
  ['value_before', 'DATE'],
  ['period_after', 'VARCHAR'],
  ['version_after', 'INTEGER'],
  ['value_after', 'DATE'],
  ['resubmission', 'BOOLEAN'],
  ['change', 'VARCHAR'],
] as const;

/** The folder of a contract's change records. */
export function changesPrefix(contractId: string): string {
  return `${zones.staged}changes/${contractId}/`;
}

/** The key of the records comparing `after` with the return before it, `before`. */
export function changeRecordsKey(before: ReturnVersion, after: ReturnVersion): string {
  return `${changesPrefix(after.contract_id)}${after.period}/v${after.version}.from-${before.period}-v${before.version}.parquet`;
}

/** Returns in the order restatements compare them: period, then version. */
export function inReturnOrder<T extends ReturnVersion>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) =>
    a.period < b.period ? -1 : a.period > b.period ? 1 : a.version - b.version,
  );
}

/** Each return of one contract with the return before it: the pairs that have change records. */
export function consecutivePairs<T extends ReturnVersion>(
  versions: readonly T[],
): { before: T; after: T }[] {
  const ordered = inReturnOrder(versions);
  return ordered.slice(1).map((after, i) => ({ before: ordered[i]!, after }));
}

/** The SELECT giving the change records between two staged files (local paths). */
export function changeRecordsSql(
  before: ReturnVersion,
  beforePath: string,
  after: ReturnVersion,
  afterPath: string,
): string {
  const m = milestoneColumnNames;
  const read = (path: string) =>
    `select participant_id, ${m.join(', ')} from read_parquet(${sqlString(path)})`;
  const differs = m.map((c) => `b.${c} is distinct from a.${c}`).join(' or ');
  const perMilestone = m.map(
    (c) =>
      `select participant_id, ${sqlString(c)} as milestone, b_${c} as value_before, a_${c} as value_after, in_after from differing where b_${c} is not null and b_${c} is distinct from a_${c}`,
  );
  return `with b as (${read(beforePath)}),
a as (${read(afterPath)}),
differing as materialized (
    select b.participant_id, a.participant_id is not null as in_after,
        ${m.map((c) => `b.${c} as b_${c}, a.${c} as a_${c}`).join(', ')}
    from b left join a on a.participant_id = b.participant_id
    where a.participant_id is null or ${differs}
),
restated as (
    ${perMilestone.join('\n    union all\n    ')}
)
select
    ${sqlString(after.contract_id)} as contract_id,
    participant_id,
    milestone,
    ${sqlString(before.period)} as period_before,
    ${before.version}::integer as version_before,
    value_before,
    ${sqlString(after.period)} as period_after,
    ${after.version}::integer as version_after,
    value_after,
    ${before.period === after.period} as resubmission,
    case
        when value_after is not null then 'changed'
        when in_after then 'cleared'
        else 'participant_removed'
    end as change
from restated
order by participant_id, milestone`;
}

/** Writes the change records between two staged files to a Parquet file at `path`. */
export async function writeChangeRecords(
  connection: DuckDBConnection,
  before: ReturnVersion,
  beforePath: string,
  after: ReturnVersion,
  afterPath: string,
  path: string,
): Promise<void> {
  await connection.run(
    `COPY (${changeRecordsSql(before, beforePath, after, afterPath)}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}

/**
 * Makes the change records between `before` and `after` in the store, unless they are there
 * already, and returns their key. `localPaths` gives local copies of staged files by key when
 * the caller has them (ingest, before the new version is moved into the store).
 */
export async function ensureChangeRecords(
  store: ObjectStore,
  before: ReturnVersion,
  after: ReturnVersion,
  localPaths: ReadonlyMap<string, string> = new Map(),
): Promise<string> {
  const key = changeRecordsKey(before, after);
  if (await store.exists(key)) return key;
  const dir = await mkdtemp(join(tmpdir(), 'outturn-changes-'));
  const connection = await stagingConnection();
  try {
    const path = join(dir, 'changes.parquet');
    const local = async (v: ReturnVersion) =>
      localPaths.get(v.staged_key) ?? (await store.localFile(v.staged_key));
    await writeChangeRecords(
      connection,
      before,
      await local(before),
      after,
      await local(after),
      path,
    );
    await store.putFile(key, path, { move: true, contentType: 'application/vnd.apache.parquet' });
    return key;
  } finally {
    connection.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The participant returns of a contract staged so far, read from the staged zone's listing (one
 * LIST, no receipts read): what ingest compares a new version with. A staged file whose receipt
 * was never written may be among them; the build, which follows the receipts, then finds its own
 * pairs' records missing and makes them.
 */
export async function stagedParticipantVersions(
  store: ObjectStore,
  contractId: string,
): Promise<ReturnVersion[]> {
  const prefix = `${zones.staged}participant/${contractId}/`;
  const out: ReturnVersion[] = [];
  for (const key of await store.list(prefix)) {
    const m = /^(\d{4}-\d{2})\/v(\d+)\.parquet$/.exec(key.slice(prefix.length));
    if (m)
      out.push({ contract_id: contractId, period: m[1]!, version: Number(m[2]), staged_key: key });
  }
  return out;
}

/**
 * At ingest, once a participant version is written (before it is moved into the store): the records comparing it with the return
 * before it and, when a return for a later month was already in, that return with this one.
 */
export async function recordChangesAtIngest(
  store: ObjectStore,
  staged: ReturnVersion,
  stagedPath: string,
): Promise<string[]> {
  const others = (await stagedParticipantVersions(store, staged.contract_id)).filter(
    (v) => !(v.period === staged.period && v.version === staged.version),
  );
  const ordered = inReturnOrder([...others, staged]);
  const i = ordered.findIndex((v) => v === staged);
  const keys: string[] = [];
  const local = new Map([[staged.staged_key, stagedPath]]);
  const before = ordered[i - 1];
  const after = ordered[i + 1];
  if (before) keys.push(await ensureChangeRecords(store, before, staged, local));
  if (after) keys.push(await ensureChangeRecords(store, staged, after, local));
  return keys;
}

/** What changed in a return since the one before it, for the contract manager reviewing it. */
export interface ChangeSummary {
  before: { period: string; version: number };
  /** Participants in this return and not the one before. */
  added: number;
  /** Participants in the return before and not this one. */
  removed: number;
  /** Milestone dates given before and now different or taken away, of participants still in. */
  restated: number;
  /** How many participants those restated dates belong to. */
  restatedParticipants: number;
}

/**
 * The summary of a participant return version against the return before it (period, then
 * version), from the change records (made now if missing) and the two staged files; null for
 * the contract's first return.
 *
 * @example await changeSummary(store, { contract_id: 'plp-test', period: '2025-02', version: 1, staged_key })
 */
export async function changeSummary(
  store: ObjectStore,
  version: ReturnVersion,
): Promise<ChangeSummary | null> {
  const ordered = inReturnOrder(await stagedParticipantVersions(store, version.contract_id));
  const i = ordered.findIndex((v) => v.period === version.period && v.version === version.version);
  const before = i > 0 ? ordered[i - 1]! : undefined;
  if (!before) return null;
  const key = await ensureChangeRecords(store, before, version);
  const [recordsPath, beforePath, afterPath] = await Promise.all([
    store.localFile(key),
    store.localFile(before.staged_key),
    store.localFile(version.staged_key),
  ]);
  const connection = await stagingConnection();
  try {
    const ids = (path: string) =>
      `(select distinct participant_id from read_parquet(${sqlString(path)}))`;
    const reader = await connection.runAndReadAll(
      `select
        (select count(*) from ${ids(afterPath)} a where a.participant_id not in ${ids(beforePath)})::integer as added,
        (select count(*) from ${ids(beforePath)} b where b.participant_id not in ${ids(afterPath)})::integer as removed,
        (select count(*) from read_parquet(${sqlString(recordsPath)}) where change <> 'participant_removed')::integer as restated,
        (select count(distinct participant_id) from read_parquet(${sqlString(recordsPath)}) where change <> 'participant_removed')::integer as restated_participants`,
    );
    const row = reader.getRowObjectsJS()[0] as Record<string, number>;
    return {
      before: { period: before.period, version: before.version },
      added: Number(row.added),
      removed: Number(row.removed),
      restated: Number(row.restated),
      restatedParticipants: Number(row.restated_participants),
    };
  } finally {
    connection.closeSync();
  }
}
