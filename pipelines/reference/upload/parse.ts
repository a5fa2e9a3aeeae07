/**
 * Checks an uploaded contracts or profiles file (CSV or XLSX, one row per contract or per
 * contract × measure × month) the way a provider's return is checked: every row against the
 * reference schemas, then the would-be reference data as a whole (parseReferenceData), so a
 * profile for an unknown contract or outside its term is caught before anything changes. The
 * result is a ValidationReport naming the row as the spreadsheet shows it, the column, the value,
 * what is wrong and how to fix it.
 */
import type { ZodType } from 'zod';
import { ReferenceDataError, parseReferenceData, type ReferenceProblem } from '../load.js';
import {
  contractSchema,
  profileSchema,
  referenceFiles,
  type Contract,
  type Profile,
  type ReferenceData,
} from '../schema.js';
import { defaultNation, nations } from '../../calendar/working-days.js';
import { readTable } from '../../validate/read-table.js';
import { defaultLimits, type Limits } from '../../validate/limits.js';
import { ProblemLog, type RuleId, type ValidationReport } from '../../validate/report.js';

export type UploadKind = 'contracts' | 'profiles';
export const uploadKinds: readonly UploadKind[] = ['contracts', 'profiles'];

/** The columns of each file, in template order. */
export const uploadColumns = {
  profiles: ['contract_id', 'measure_id', 'period', 'target'],
  contracts: [
    'id',
    'programme_id',
    'provider_id',
    'area_code',
    'area_name',
    'portfolio',
    'start_period',
    'end_period',
    'service_fee_per_start',
    'job_outcome_payment',
    'sustained_payment',
    'sustained_weeks',
    'return_deadline_working_day',
    'nation',
  ],
} as const satisfies Record<UploadKind, readonly string[]>;

/** Columns a file may leave out, or leave blank, for the default. */
export const optionalColumns: ReadonlySet<string> = new Set(['nation']);

const numericColumns = new Set([
  'target',
  'service_fee_per_start',
  'job_outcome_payment',
  'sustained_payment',
  'sustained_weeks',
  'return_deadline_working_day',
]);

/** What a reference upload's problems are called in the report (each RuleId has one wording here). */
const descriptions: Partial<Record<RuleId, string>> = {
  'reference.contract': 'A contract is not known, or another file still needs it',
  'reference.measure': 'A measure is not one of the programme’s profiled measures',
  'reference.period': 'A month is outside the contract’s term',
  'row.duplicate_measure': 'A row appears twice',
  'cell.code': 'A programme, provider or contract id is not known or is used twice',
  'cell.date': 'A month is not written as YYYY-MM, or ends before it starts',
  'cell.integer': 'A value is not a whole number in range',
  'cell.number': 'A value is not a number in range',
  'cell.id': 'An id has characters that are not allowed',
  'cell.required': 'A required value is blank',
};

const fixes: Record<string, string> = {
  contract_id: 'Use the id of a contract in the contracts file, for example "plp-bham".',
  measure_id:
    'Use the id of one of the programme’s profiled measures, as listed on the reference data page.',
  period: 'Write the month as YYYY-MM, inside the contract’s term.',
  target: 'Enter a whole number of 0 or more.',
  id: 'Give each contract its own id, in lower-case letters, digits and hyphens.',
  programme_id: 'Use the id of a programme listed on the reference data page.',
  provider_id: 'Use the id of a provider listed on the reference data page.',
  portfolio: 'Use lower-case letters, digits and hyphens, for example "north".',
  start_period: 'Write the month as YYYY-MM, for example 2025-04.',
  end_period: 'Write the month as YYYY-MM, no earlier than start_period.',
  sustained_weeks: 'Enter 13 or 26.',
  return_deadline_working_day: 'Enter a whole number from 1 to 20.',
  nation: `Enter ${nations.join(', ')}, or leave it blank for ${defaultNation}.`,
};
const fixFor = (column: string | null) =>
  (column && fixes[column]) || 'Correct the value, then upload the file again.';

const monthColumns = new Set(['period', 'start_period', 'end_period']);
const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * A month as spreadsheets save one, as YYYY-MM: typing 2023-04 into Excel makes a date cell
 * (the 1st, shown "Apr-23"), which an XLSX holds as the date and a CSV as the text shown.
 * Accepted: 2023-04, 2023-04-01, 01/04/2023 (with or without 00:00), Apr-23, Apr 2023, April 2023.
 * Anything else is returned as it is, for the schema to explain.
 */
export function monthAsSaved(value: string): string {
  const v = value.trim();
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) return v;
  let m = /^(\d{4})-(0[1-9]|1[0-2])-01(?:[ T]00:00(?::00(?:\.0+)?)?)?$/.exec(v);
  if (m) return `${m[1]}-${m[2]}`;
  m = /^0?1\/(0?[1-9]|1[0-2])\/(\d{4})(?: 00:00(?::00)?)?$/.exec(v);
  if (m) return `${m[2]}-${m[1]!.padStart(2, '0')}`;
  m = /^([A-Za-z]{3,9})\.?[- ](\d{2}|\d{4})$/.exec(v);
  if (m) {
    const name = m[1]!.toLowerCase();
    const month = monthNames.findIndex(
      (n) =>
        n === name ||
        (name.length === 3 && n.startsWith(name)) ||
        (name === 'sept' && n === 'september'),
    );
    if (month >= 0)
      return `${m[2]!.length === 2 ? `20${m[2]}` : m[2]}-${String(month + 1).padStart(2, '0')}`;
  }
  return value;
}

/** An amount as spreadsheets show one, as a plain number: £1,500.00 → 1500.00. Else unchanged. */
export function amountAsSaved(value: string): string {
  const m = /^(-?)\s*£?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/.exec(value.trim());
  return m ? `${m[1]}${m[2]!.replaceAll(',', '')}${m[3] ?? ''}` : value;
}

function asSaved(column: string, value: string): string {
  if (monthColumns.has(column)) return monthAsSaved(value);
  if (numericColumns.has(column)) return amountAsSaved(value);
  return value;
}

export interface UploadCheck {
  status: 'accepted' | 'rejected';
  report: ValidationReport;
  /** The reference data with the uploaded file in place of the old one, when accepted. */
  data: ReferenceData | null;
}

export interface UploadInput {
  kind: UploadKind;
  bytes: Uint8Array;
  fileName: string;
  /** The reference data in force. */
  current: ReferenceData;
  /** For a commissioner: the programmes whose contracts and profiles they may change. */
  programmeIds?: readonly string[] | null;
  limits?: Limits;
}

/** The column of the uploaded file a schema path points at: `payment.sustained_weeks` → `sustained_weeks`. */
function columnOf(kind: UploadKind, path: string): string | null {
  if (path === '') return null;
  if (kind === 'contracts') {
    if (path === 'area.code') return 'area_code';
    if (path === 'area.name') return 'area_name';
    if (path.startsWith('payment.')) return path.slice('payment.'.length);
  }
  return path.split('.')[0]!.replace(/\[\d+\]$/, '');
}

function ruleFor(column: string | null, crossFile: boolean): RuleId {
  if (column === null) return crossFile ? 'row.duplicate_measure' : 'cell.required';
  if (crossFile) {
    if (column === 'contract_id') return 'reference.contract';
    if (column === 'measure_id') return 'reference.measure';
    if (column === 'period') return 'reference.period';
    return 'cell.code';
  }
  if (column === 'period' || column.endsWith('_period')) return 'cell.date';
  if (column === 'target' || column === 'return_deadline_working_day') return 'cell.integer';
  if (column === 'sustained_weeks' || column === 'nation') return 'cell.code';
  if (numericColumns.has(column)) return 'cell.number';
  if (column.endsWith('id') || column === 'portfolio') return 'cell.id';
  return 'cell.required';
}

function toRecord(
  kind: UploadKind,
  cells: Record<string, string>,
  existing: Map<string, Contract>,
): unknown {
  const num = (v: string) => (v === '' ? undefined : Number(v));
  if (kind === 'profiles')
    return {
      contract_id: cells.contract_id,
      measure_id: cells.measure_id,
      period: cells.period,
      target: num(cells.target ?? ''),
    };
  return {
    id: cells.id,
    programme_id: cells.programme_id,
    provider_id: cells.provider_id,
    // The flat file has no subcontractors: a contract keeps those it has; a new one has none.
    subcontractors: existing.get(cells.id ?? '')?.subcontractors ?? [],
    area: { code: cells.area_code, name: cells.area_name },
    portfolio: cells.portfolio,
    start_period: cells.start_period,
    end_period: cells.end_period,
    payment: {
      service_fee_per_start: num(cells.service_fee_per_start ?? ''),
      job_outcome_payment: num(cells.job_outcome_payment ?? ''),
      sustained_payment: num(cells.sustained_payment ?? ''),
      sustained_weeks: num(cells.sustained_weeks ?? ''),
    },
    return_deadline_working_day: num(cells.return_deadline_working_day ?? ''),
    nation: cells.nation || undefined,
  };
}

/** Checks an uploaded reference file against the schemas and the rest of the reference data. */
export function checkReferenceUpload(input: UploadInput): UploadCheck {
  const { kind, bytes, fileName, current } = input;
  const limits = input.limits ?? defaultLimits;
  const log = new ProblemLog(limits.maxProblemsListed);
  const columns: readonly string[] = uploadColumns[kind];
  let format: ValidationReport['file']['format'] = /\.xlsx$/i.test(fileName)
    ? 'xlsx'
    : /\.csv$/i.test(fileName)
      ? 'csv'
      : 'unknown';
  let rowCount = 0;
  const finish = (data: ReferenceData | null): UploadCheck => {
    const status = log.hasErrors || !data ? 'rejected' : 'accepted';
    return {
      status,
      data: status === 'accepted' ? data : null,
      report: {
        status,
        file: { name: fileName, bytes: bytes.length, format },
        kind: null,
        contractId: null,
        period: null,
        rowCount,
        errorCount: log.errorCount,
        warningCount: log.warningCount,
        rules: log
          .rules()
          .map((r) => ({ ...r, description: descriptions[r.rule] ?? r.description })),
        problems: log.sorted(),
        unlisted: log.unlisted,
      },
    };
  };

  if (bytes.length > limits.maxFileBytes) {
    log.error(
      'file.too_large',
      null,
      null,
      null,
      `The file is ${bytes.length} bytes, more than the ${limits.maxFileBytes} Outturn accepts.`,
      'Check you chose the right file.',
    );
    return finish(null);
  }
  const table = readTable(bytes, fileName, limits, { windows1252: true });
  if (!table.ok) {
    format = table.format;
    log.error(
      table.rule,
      table.row,
      null,
      null,
      table.message,
      table.fix.replace('the return', 'the file'),
    );
    return finish(null);
  }
  format = table.format;

  const rows: unknown[] = [];
  const sheetRows: number[] = [];
  let header: string[] | null = null;
  let headerBad = false;
  const existing = new Map(current.contracts.map((c) => [c.id, c]));
  const scan = table.scan((cursor, index) => {
    const cells = cursor.toArray().map((c) => c.trim());
    if (index === 0) {
      header = cells.map((c) => c.replace(/^\uFEFF/, '').toLowerCase());
      const seen = new Set<string>();
      header.forEach((name, j) => {
        if (name === '') return;
        if (seen.has(name))
          log.error(
            'header.duplicate_column',
            1,
            name,
            name,
            `The column "${name}" appears more than once.`,
            'Delete the second copy of the column.',
          );
        else if (!columns.includes(name))
          log.error(
            'header.unknown_column',
            1,
            name || `column ${j + 1}`,
            name,
            `"${name}" is not a column of the ${kind} file.`,
            `The columns are: ${columns.join(', ')}.`,
          );
        seen.add(name);
      });
      for (const name of columns)
        if (!seen.has(name) && !optionalColumns.has(name))
          log.error(
            'header.missing_column',
            1,
            name,
            null,
            `The column "${name}" is missing.`,
            `Add a column headed "${name}". The columns are: ${columns.join(', ')}.`,
          );
      headerBad = log.hasErrors;
      return;
    }
    if (!header || headerBad) return;
    if (cells.every((c) => c === '')) return;
    rowCount++;
    const row = index + 1;
    const byName: Record<string, string> = {};
    header.forEach((name, j) => (byName[name] = asSaved(name, cells[j] ?? '')));
    let bad = false;
    for (const name of columns) {
      const value = byName[name] ?? '';
      if (value === '' && optionalColumns.has(name)) continue;
      if (value === '') {
        log.error('cell.required', row, name, null, `There is no ${name}.`, fixFor(name));
        bad = true;
      } else if (numericColumns.has(name) && !Number.isFinite(Number(value))) {
        log.error(
          name === 'target' ? 'cell.integer' : 'cell.number',
          row,
          name,
          value,
          `"${value}" is not a number.`,
          fixFor(name),
        );
        bad = true;
      }
    }
    if (bad) return;
    const record = toRecord(kind, byName, existing);
    const schema: ZodType = kind === 'profiles' ? profileSchema : contractSchema;
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = columnOf(kind, issue.path.map(String).join('.'));
        log.error(
          ruleFor(column, false),
          row,
          column,
          column ? (byName[column] ?? null) : null,
          issue.message,
          fixFor(column),
        );
      }
      return;
    }
    rows.push(parsed.data);
    sheetRows.push(row);
  });
  if (!scan.ok) {
    log.error(scan.rule as RuleId, scan.row ?? null, null, null, scan.message, scan.fix);
    return finish(null);
  }
  if (!header) {
    log.error(
      'file.empty',
      null,
      null,
      null,
      'The file has no heading row.',
      `Put the column headings in row 1: ${columns.join(', ')}.`,
    );
    return finish(null);
  }
  if (log.hasErrors) return finish(null);

  const next: ReferenceData = { ...current, [kind]: rows as Profile[] & Contract[] };
  if (input.programmeIds) outsideProgrammes(kind, current, next, input.programmeIds, log);
  let data: ReferenceData | null = null;
  try {
    data = parseReferenceData(next);
  } catch (e) {
    if (!(e instanceof ReferenceDataError)) throw e;
    for (const p of e.problems) crossProblem(kind, p, sheetRows, rows, log);
  }
  return finish(data);
}

/** A problem found across the files, placed on the uploaded row it names or on the whole file. */
function crossProblem(
  kind: UploadKind,
  p: ReferenceProblem,
  sheetRows: number[],
  rows: unknown[],
  log: ProblemLog,
): void {
  const at = /^\[(\d+)\]\.?(.*)$/.exec(p.path);
  if (p.file === referenceFiles[kind].file && at) {
    const i = Number(at[1]);
    const column = columnOf(kind, at[2] ?? '');
    const record = rows[i] as Record<string, unknown> | undefined;
    const value = column && record ? flatValue(record, column) : null;
    log.error(
      ruleFor(column, true),
      sheetRows[i] ?? null,
      column,
      value,
      p.message,
      column ? fixFor(column) : 'Delete the second copy of the row.',
    );
    return;
  }
  log.error(
    'reference.contract',
    null,
    null,
    null,
    `With this file in place, ${p.file} would be wrong at ${p.path || 'the whole file'}: ${p.message}.`,
    kind === 'contracts'
      ? 'Keep every contract that profiles, users or other files still name, or change those first.'
      : 'Correct the file, then upload it again.',
  );
}

function flatValue(record: Record<string, unknown>, column: string): string | null {
  const nested = (record.payment as Record<string, unknown> | undefined)?.[column];
  const area = record.area as { code?: string; name?: string } | undefined;
  const v =
    column === 'area_code'
      ? area?.code
      : column === 'area_name'
        ? area?.name
        : (record[column] ?? nested);
  return v === undefined || v === null ? null : String(v);
}

/** A commissioner changes only their own programmes' rows: everything else must stay as it is. */
function outsideProgrammes(
  kind: UploadKind,
  current: ReferenceData,
  next: ReferenceData,
  mine: readonly string[],
  log: ProblemLog,
): void {
  const programmeOf = new Map(
    [...current.contracts, ...next.contracts].map((c) => [c.id, c.programme_id]),
  );
  const others = (d: ReferenceData) =>
    kind === 'profiles'
      ? d.profiles
          .filter((p) => !mine.includes(programmeOf.get(p.contract_id) ?? ''))
          .map((p) => JSON.stringify(p))
          .sort()
      : d.contracts
          .filter((c) => !mine.includes(c.programme_id))
          .map((c) => JSON.stringify(c))
          .sort();
  if (JSON.stringify(others(current)) !== JSON.stringify(others(next)))
    log.error(
      'reference.contract',
      null,
      null,
      null,
      `The file changes ${kind} of programmes you do not commission (you commission ${mine.join(', ')}).`,
      `Keep the rows for other programmes exactly as they are: download them from the reference data page, or ask an administrator.`,
    );
}
