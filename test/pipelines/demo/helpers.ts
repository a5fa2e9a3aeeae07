/**
 * Test helpers for the demo: a plain CSV reader and an independent checker of the
 * cross-field rules a return must keep. The checker is written from the rules in the brief
 * and fields.ts, not from the generator, so that it can disagree with it.
 */
import { readFileSync } from 'node:fs';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { instrumentCodes, participantFields } from '../../../pipelines/returns/fields.js';

export interface Csv {
  header: string[];
  rows: string[][];
}

/** The demo writes no quoted cells, so a split is a full parse; a quote would fail here. */
export function parseCsv(text: string): Csv {
  if (text.includes('"')) throw new Error('Unexpected quote in demo CSV');
  if (!text.endsWith('\r\n')) throw new Error('The file does not end with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  const [head, ...rest] = lines;
  return { header: (head ?? '').split(','), rows: rest.map((l) => l.split(',')) };
}

export function readCsv(path: string): Csv {
  return parseCsv(readFileSync(path, 'utf8'));
}

export type Row = Record<string, string | number | null>;

const numeric = new Set<string>(
  participantFields.filter((f) => f.type === 'integer' || f.type === 'number').map((f) => f.name),
);

/** A CSV row as the zod schema expects it: empty cells null, numeric columns numbers. */
export function toRow(header: readonly string[], cells: readonly string[]): Row {
  const row: Row = {};
  header.forEach((name, i) => {
    const cell = cells[i] ?? '';
    row[name] = cell === '' ? null : numeric.has(name) ? Number(cell) : cell;
  });
  return row;
}

const day = (v: string | number | null | undefined) =>
  typeof v === 'string' ? fromIsoDate(v) : NaN;
const present = (v: unknown) => v !== null && v !== undefined && v !== '';
const ranges = new Map<string, readonly [number, number]>(
  instrumentCodes.map((c) => [c.code, c.scoreRange]),
);

const dateFields = participantFields.filter((f) => f.type === 'date').map((f) => f.name);

/** Every broken cross-field rule of one row, as short messages. Warnings are not included. */
export function crossFieldProblems(row: Row, periodEndDay: number): string[] {
  const problems: string[] = [];
  const referral = day(row.referral_date);
  for (const f of dateFields) {
    const v = row[f];
    if (!present(v)) continue;
    const d = day(v);
    if (Number.isNaN(d)) problems.push(`${f} is not a date`);
    if (d > periodEndDay) problems.push(`${f} is after the period end`);
    if (d < referral) problems.push(`${f} is before the referral`);
  }
  const needs = (later: string, earlier: string, minGap = 0) => {
    if (!present(row[later])) return;
    if (!present(row[earlier])) problems.push(`${later} without ${earlier}`);
    else if (day(row[later]) - day(row[earlier]) < minGap)
      problems.push(`${later} less than ${minGap} days after ${earlier}`);
  };
  needs('cmp_start_date', 'cmp_referral_date');
  needs('cmp_completion_date', 'cmp_start_date');
  needs('sustained_13_weeks_date', 'job_entry_date', 91);
  needs('sustained_26_weeks_date', 'job_entry_date', 182);
  needs('follow_up_date', 'exit_date', 1);
  if (present(row.exit_date) !== present(row.exit_reason))
    problems.push('exit_reason must be given exactly when exit_date is');
  if (present(row.work_status_at_exit) && !present(row.exit_date))
    problems.push('work_status_at_exit without exit_date');
  if (present(row.work_status_at_follow_up) && !present(row.follow_up_date))
    problems.push('work_status_at_follow_up without follow_up_date');
  if (present(row.exit_score) && !present(row.exit_date)) problems.push('exit_score before exit');
  for (const score of ['baseline_score', 'exit_score'] as const) {
    const v = row[score];
    if (!present(v)) continue;
    const range = ranges.get(String(row.outcome_instrument));
    if (!range) problems.push(`${score} without an outcome instrument`);
    else if (typeof v !== 'number' || v < range[0] || v > range[1])
      problems.push(`${score} ${v} outside ${range.join('–')}`);
  }
  return problems;
}

/** Rules that only warn: first contact after the start. */
export function warnings(row: Row): string[] {
  return present(row.first_contact_date) &&
    present(row.start_date) &&
    day(row.first_contact_date) > day(row.start_date)
    ? ['first_contact_date after start_date']
    : [];
}
