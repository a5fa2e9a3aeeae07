/**
 * The heading row: which column holds which field. Headings match case-insensitively and in
 * any order; a missing, unknown, duplicated or personal-data column is reported by name.
 */
import type { Programme } from '../reference/schema.js';
import { fieldsFor, type Field, type ReturnKind } from '../returns/fields.js';
import { closest } from './closest.js';
import { personalDataColumn } from './personal-data.js';
import type { ProblemLog } from './report.js';

/** What the heading row says: the stage every later one reads its columns from. */
export interface Header {
  kind: ReturnKind;
  fields: readonly Field[];
  /** The headings as written. */
  cells: readonly string[];
  /** How many cells the heading row has; a CSV row of another width is reported. */
  width: number;
  map: ColumnMap;
}

/**
 * Reads the heading row: the kind of return (the programme's, else what the headings say) and
 * which column holds which field. Null when the row is blank, so the file has no heading.
 */
export function readHeader(
  cells: readonly string[],
  programme: Programme | null,
  log: ProblemLog,
): Header | null {
  if (cells.every((h) => h.trim() === '')) return null;
  let kind: ReturnKind = programme?.return_kind ?? 'participant';
  const detected = detectKind(cells);
  if (programme && detected && detected !== kind)
    log.error(
      'reference.return_kind',
      1,
      null,
      null,
      `${programme.name} takes ${kind === 'participant' ? 'a participant-level return (one row per participant)' : 'an aggregate return (one row per measure)'}, but this file is the other kind.`,
      `Download the ${kind} return template and use that.`,
    );
  if (!programme && detected) kind = detected;
  const fields = fieldsFor(kind);
  return { kind, fields, cells, width: cells.length, map: mapColumns(cells, kind, fields, log) };
}

export interface ColumnMap {
  /** The field each column holds, or null. */
  fields: (Field | null)[];
  /** Columns with a heading that is not a field: their cells are still searched for personal data. */
  extra: number[];
  /** Columns with no heading: reported if any of their cells has a value. */
  unnamed: number[];
}

/** Lower case, underscores for spaces: how a heading is matched to a field name. */
export function headingKey(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Which kind of return a heading row belongs to, when the programme does not say. */
export function detectKind(headings: readonly string[]): ReturnKind | null {
  const keys = headings.map(headingKey);
  if (keys.includes('participant_id')) return 'participant';
  if (keys.includes('measure') && keys.includes('count')) return 'aggregate';
  return null;
}

export function mapColumns(
  header: readonly string[],
  kind: ReturnKind,
  fields: readonly Field[],
  log: ProblemLog,
): ColumnMap {
  const map: ColumnMap = { fields: [], extra: [], unnamed: [] };
  const seen = new Map<string, number>();
  header.forEach((cell, j) => {
    const heading = cell.trim();
    const key = headingKey(cell);
    const field = fields.find((f) => f.name === key) ?? null;
    map.fields.push(null);
    if (field) {
      if (seen.has(key))
        log.error(
          'header.duplicate_column',
          1,
          heading,
          heading,
          `The column ${key} appears twice (columns ${seen.get(key)! + 1} and ${j + 1}).`,
          'Delete one of them.',
        );
      else {
        seen.set(key, j);
        map.fields[j] = field;
      }
      return;
    }
    if (heading === '') {
      map.unnamed.push(j);
      return;
    }
    map.extra.push(j);
    const personal = personalDataColumn(heading);
    if (personal)
      log.error(
        'header.personal_data_column',
        1,
        heading,
        heading,
        `The column "${heading}" looks like it holds ${personal}. Outturn must not receive personal data, so the whole file has been refused.`,
        'Delete the column and use your own pseudonymous participant reference instead, then upload the file again.',
      );
    else {
      const near = closest(
        key,
        fields.map((f) => f.name),
      );
      log.error(
        'header.unknown_column',
        1,
        heading,
        heading,
        `"${heading}" is not a column of the ${kind} return.`,
        near
          ? `Did you mean ${near}? Rename the column to match the template exactly.`
          : 'Delete the column, or rename it to match the template.',
      );
    }
  });
  for (const f of fields)
    if (!seen.has(f.name))
      log.error(
        'header.missing_column',
        1,
        f.name,
        null,
        `The column ${f.name} is missing.`,
        `Add a column headed ${f.name}${f.required ? '' : ' (its cells may be blank)'}: the template has every column in order.`,
      );
  return map;
}
