/**
 * "No silent loss of a caseload" (ADR 023): a participant return is a snapshot of everyone
 * referred to the contract so far, so a new version that leaves out most of the participants
 * the version in force had (an unfilled template, a "this month only" extract, another
 * contract's file) would wipe the contract's history. Such a version is held for the provider
 * to confirm, with the counts in plain words; a file that is plainly another contract's is refused.
 */
import { sqlString } from '../duckdb/open.js';
import { participantFields } from '../returns/fields.js';
import type { TypedReturn } from '../validate/typed-return.js';
import type { CaseloadCheck } from './receipt.js';
import { stagingConnection } from './stage.js';

/** Below this share of the caseload in force, a new version is held (ADR 023). */
export const HALF = 0.5;
/** Below this share of the caseload in force kept by the new version, it is held. */
export const LITTLE_OVERLAP = 0.2;
/** At least this share of a file's participants in another contract's caseload, and less than
 * LITTLE_OVERLAP in this one's, and the file is refused as that contract's. */
export const ELSEWHERE = 0.5;

const milestones = participantFields
  .filter((f) => 'milestone' in f && f.milestone)
  .map((f) => f.name);

/** Participant id → which milestones are given (bit i for the i-th milestone field). */
export type Caseload = Map<string, number>;

/** The caseload of a typed participant return held in memory. */
export function caseloadOf(data: TypedReturn): Caseload {
  const ids = data.columns.participant_id as (string | null)[];
  const dates = milestones.map((m) => data.columns[m] as Float64Array | undefined);
  const out: Caseload = new Map();
  for (let i = 0; i < data.rowCount; i++) {
    const id = ids[i];
    if (id == null) continue;
    let given = 0;
    dates.forEach((col, j) => {
      if (col && !Number.isNaN(col[i]!)) given |= 1 << j;
    });
    out.set(id, given);
  }
  return out;
}

/** The caseload of a staged participant version, read from its Parquet file. */
export async function stagedCaseload(path: string): Promise<Caseload> {
  const given = milestones
    .map((m, j) => `(CASE WHEN ${m} IS NULL THEN 0 ELSE ${1 << j} END)`)
    .join(' + ');
  const connection = await stagingConnection();
  try {
    const result = await connection.runAndReadAll(
      `SELECT participant_id, CAST(${given} AS INTEGER) AS given FROM read_parquet(${sqlString(path)})`,
    );
    const out: Caseload = new Map();
    for (const [id, bits] of result.getRows()) out.set(String(id), Number(bits));
    return out;
  } finally {
    connection.closeSync();
  }
}

function bitCount(n: number): number {
  let c = 0;
  for (let x = n; x; x &= x - 1) c++;
  return c;
}

/**
 * Compares a new version with the caseload it would replace.
 *
 * @example
 * compareCaseloads(new Map([['P-1', 3]]), new Map(), { period: '2025-03', version: 1 }, false)
 * // { participants_before: 1, participants_now: 0, participants_removed: 1, milestones_removed: 2, drop: 'empty', held: true, … }
 */
export function compareCaseloads(
  before: Caseload | null,
  now: Caseload,
  comparedWith: CaseloadCheck['compared_with'],
  confirmed: boolean,
): CaseloadCheck {
  let kept = 0;
  let milestonesRemoved = 0;
  for (const [id, given] of before ?? []) {
    const after = now.get(id);
    if (after !== undefined) kept++;
    milestonesRemoved += bitCount(given & ~(after ?? 0));
  }
  const n = before?.size ?? 0;
  const drop: CaseloadCheck['drop'] =
    n === 0
      ? null
      : now.size === 0
        ? 'empty'
        : now.size < n * HALF
          ? 'fewer_than_half'
          : kept < n * LITTLE_OVERLAP
            ? 'little_overlap'
            : null;
  return {
    compared_with: before ? comparedWith : null,
    participants_before: n,
    participants_now: now.size,
    participants_kept: kept,
    participants_removed: n - kept,
    milestones_removed: milestonesRemoved,
    drop,
    held: drop !== null && !confirmed,
  };
}

/** How many of `ids` are in `caseload`. */
export function overlap(ids: Caseload, caseload: Caseload): number {
  let n = 0;
  for (const id of ids.keys()) if (caseload.has(id)) n++;
  return n;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/**
 * The caseload check in plain words, for the receipt page, the API and the CLI.
 *
 * @example caseloadMessage(check) // 'This file has 0 participants; the version in force (March 2025, version 1) has 667. …'
 */
export function caseloadMessage(c: CaseloadCheck): string | null {
  if (!c.drop || !c.compared_with) return null;
  const w = c.compared_with;
  const what =
    c.drop === 'empty'
      ? `This file has no participants; the version in force for ${w.period} (version ${w.version}) has ${plural(c.participants_before, 'participant')}.`
      : c.drop === 'fewer_than_half'
        ? `This file has ${plural(c.participants_now, 'participant')}, fewer than half of the ${c.participants_before.toLocaleString('en-GB')} in the version in force for ${w.period} (version ${w.version}).`
        : `This file shares only ${plural(c.participants_kept, 'participant')} with the ${c.participants_before.toLocaleString('en-GB')} in the version in force for ${w.period} (version ${w.version}).`;
  const loss = `Putting it in force would remove ${plural(c.participants_removed, 'participant')} and ${plural(c.milestones_removed, 'milestone')} from the contract's figures.`;
  const next = c.held
    ? 'It is held, not in force: confirm it if the participants really should go, or discard it and send the complete return (every participant referred so far).'
    : 'The removal was confirmed when the file was sent, so it is in force.';
  return `${what} ${loss} ${next}`;
}
