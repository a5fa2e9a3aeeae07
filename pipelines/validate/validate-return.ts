/**
 * Judges a monthly return as a whole: accepted with typed rows, or rejected with every problem
 * listed (row, column, value, what is wrong, how to fix it). Warnings never block.
 */
import { today as todayNumber } from '../calendar/days.js';
import { periodEnd, periodStart } from '../calendar/periods.js';
import type { RowCursor } from '../csv/row-cursor.js';
import { fieldsFor, type Field, type ReturnKind } from '../returns/fields.js';
import type { ReferenceData } from '../reference/schema.js';
import { columnReader, guardPersonalData, type ColumnReader } from './column-readers.js';
import { resolveContext } from './context.js';
import { detectKind, mapColumns } from './header.js';
import { defaultLimits, type Limits } from './limits.js';
import { readTable } from './read-table.js';
import { ProblemLog, type ValidationReport } from './report.js';
import { checkAggregateRows, checkParticipantRows } from './return-rules.js';
import type { TypedColumn, TypedReturn } from './typed-return.js';

export interface ReturnContext {
  /** The contract the return is for; checked against the reference data when that is given. */
  contractId?: string | null;
  /** The month the return is for, `YYYY-MM`; nothing may be dated after its end. */
  period?: string | null;
  reference?: ReferenceData | null;
  /** Today as a day number; defaults to the real date. */
  today?: number;
  limits?: Partial<Limits>;
}

export type ValidationResult =
  | { status: 'accepted'; report: ValidationReport; data: TypedReturn }
  | { status: 'rejected'; report: ValidationReport };

type Format = ValidationReport['file']['format'];

/** Columns start at most this long and double as rows arrive: a file of line breaks sizes nothing. */
const INITIAL_CAPACITY_LIMIT = 65_536;

/**
 * Validates the bytes of one uploaded return.
 *
 * @example
 * const result = validateReturn(bytes, 'plp-bham-2025-04.csv', { contractId: 'plp-bham', period: '2025-04', reference });
 * if (result.status === 'accepted') stage(result.data); else show(result.report);
 */
export function validateReturn(
  bytes: Uint8Array,
  fileName: string,
  ctx: ReturnContext = {},
): ValidationResult {
  const limits: Limits = { ...defaultLimits, ...ctx.limits };
  if (bytes.length > limits.maxFileBytes)
    return { status: 'rejected', report: oversizedReport(fileName, bytes.length, ctx) };

  const today = ctx.today ?? todayNumber();
  const log = new ProblemLog(limits.maxProblemsListed);
  const file = { name: fileName, bytes: bytes.length };
  const rejected = (format: Format, kind: ReturnKind | null = null): ValidationResult => ({
    status: 'rejected',
    report: buildReport(log, file, ctx, format, kind, 0),
  });
  const resolved = resolveContext(ctx, today, log);

  const table = readTable(bytes, fileName, limits);
  if (!table.ok) {
    log.error(table.rule, table.row, null, null, table.message, table.fix);
    return rejected(table.format);
  }

  let kind: ReturnKind = resolved.programme?.return_kind ?? 'participant';
  let fields: readonly Field[] = fieldsFor(kind);
  let fieldAt: (Field | null)[] = [];
  let readers: (ColumnReader | null)[] = [];
  let extra: number[] = [];
  let unnamed: number[] = [];
  let headerWidth = 0;
  let headerCells: string[] = [];
  const unnamedWithValues = new Set<number>();
  const blank = { run: 0, refused: null as { from: number; to: number } | null };

  // Typed columns, grown as rows arrive (the estimate is only a first guess).
  let capacity = Math.min(Math.max(16, table.rowEstimate), INITIAL_CAPACITY_LIMIT);
  const columns: Record<string, TypedColumn> = {};
  let rowNumbers = new Int32Array(capacity);
  let n = 0;
  const bounds = {
    periodLast: resolved.period ? periodEnd(resolved.period) : null,
    today,
    contractFirst: resolved.contract ? periodStart(resolved.contract.start_period) : null,
    contractId: resolved.contract?.id ?? null,
  };
  const grow = () => {
    capacity *= 2;
    for (const f of fields) columns[f.name] = resize(columns[f.name]!, capacity);
    const r = new Int32Array(capacity);
    r.set(rowNumbers);
    rowNumbers = r;
    readers = compileReaders();
  };
  const compileReaders = () =>
    headerCells.map((_, j) =>
      fieldAt[j] ? columnReader(fieldAt[j]!, columns[fieldAt[j]!.name]!, bounds, log) : null,
    );
  const scanned = table.scan((row, index) => {
    if (index === 0) {
      headerCells = row.toArray();
      headerWidth = row.count;
      if (headerCells.every((h) => h.trim() === '')) return;
      const detected = detectKind(headerCells);
      if (resolved.programme && detected && detected !== kind)
        log.error(
          'reference.return_kind',
          1,
          null,
          null,
          `${resolved.programme.name} takes ${kind === 'participant' ? 'a participant-level return (one row per participant)' : 'an aggregate return (one row per measure)'}, but this file is the other kind.`,
          `Download the ${kind} return template and use that.`,
        );
      if (!resolved.programme && detected) kind = detected;
      fields = fieldsFor(kind);
      const map = mapColumns(headerCells, kind, fields, log);
      fieldAt = map.fields;
      extra = map.extra;
      unnamed = map.unnamed;
      for (const f of fields) columns[f.name] = emptyColumn(f, capacity);
      readers = compileReaders();
      return;
    }
    if (!headerWidth) return;
    if (isBlankRow(row)) {
      if (++blank.run <= limits.maxBlankRun) return;
      blank.refused = { from: index + 2 - blank.run, to: index + 1 };
      return false;
    }
    blank.run = 0;
    const rowNo = index + 1;
    if (n === capacity) grow();
    if (table.format === 'csv' && row.count !== headerWidth)
      checkShape(row, rowNo, headerWidth, log);
    rowNumbers[n] = rowNo;
    readRow(row, n, rowNo);
    for (const j of extra) {
      const value = row.text(j).trim();
      if (value) guardPersonalData(log, rowNo, headerCells[j]!.trim(), value);
    }
    for (const j of unnamed) if (row.text(j).trim()) unnamedWithValues.add(j);
    n++;
  });

  function readRow(row: RowCursor, i: number, rowNo: number) {
    const width = Math.min(row.count, readers.length);
    for (let j = 0; j < readers.length; j++) {
      const read = readers[j];
      if (!read) continue;
      let start = 0;
      let end = 0;
      let src = '';
      if (j < width) {
        src = row.src[j]!;
        start = row.start[j]!;
        end = row.end[j]!;
        while (start < end && src.charCodeAt(start) <= 32) start++;
        while (end > start && src.charCodeAt(end - 1) <= 32) end--;
      }
      if (start === end) {
        const f = fieldAt[j]!;
        if (f.required)
          log.error(
            'cell.required',
            rowNo,
            f.name,
            null,
            `${f.label} is blank.`,
            `Enter the ${f.label.toLowerCase()}: every row needs one. ${f.description}`,
          );
        continue;
      }
      read(src, start, end, i, rowNo);
    }
  }

  if (!headerWidth || headerCells.every((h) => h.trim() === '')) {
    log.error(
      'file.empty',
      1,
      null,
      null,
      'The file has no heading row.',
      'Start from the template: its first row holds the column headings.',
    );
    return rejected(table.format);
  }
  if (!scanned.ok) {
    log.error(scanned.rule, scanned.row, null, null, scanned.message, scanned.fix);
    return rejected(table.format, kind);
  }
  if (blank.refused) {
    const { from, to } = blank.refused;
    log.error(
      'file.blank_rows',
      from,
      null,
      null,
      `Rows ${from.toLocaleString('en-GB')} to ${to.toLocaleString('en-GB')} are all blank: more than ${limits.maxBlankRun.toLocaleString('en-GB')} blank rows one after another.`,
      'Delete the blank rows (or save only the rows that hold data), then upload the file again.',
    );
    return rejected(table.format, kind);
  }
  for (const j of unnamedWithValues)
    log.error(
      'header.unknown_column',
      1,
      `column ${j + 1}`,
      null,
      `Column ${j + 1} has values but no heading.`,
      'Delete the column, or give it the right heading from the template.',
    );

  const data: TypedReturn = {
    kind,
    rowCount: n,
    rowNumbers: rowNumbers.slice(0, n),
    columns: trimColumns(columns, n),
  };
  if (kind === 'participant') checkParticipantRows(data, resolved.programme, log);
  else checkAggregateRows(data, resolved.programme, log);

  const report = buildReport(log, file, ctx, table.format, kind, n);
  return report.status === 'accepted'
    ? { status: 'accepted', report, data }
    : { status: 'rejected', report };
}

function isBlankRow(row: RowCursor): boolean {
  for (let j = 0; j < row.count; j++) {
    const src = row.src[j]!;
    for (let k = row.start[j]!, end = row.end[j]!; k < end; k++)
      if (src.charCodeAt(k) > 32) return false;
  }
  return true;
}

function checkShape(row: RowCursor, rowNo: number, width: number, log: ProblemLog): void {
  let extraValues = false;
  for (let j = width; j < row.count; j++) if (row.text(j).trim()) extraValues = true;
  if (row.count < width || extraValues)
    log.error(
      'row.shape',
      rowNo,
      null,
      null,
      `Row ${rowNo} has ${row.count} values but the heading row has ${width} columns.`,
      'Check for a missing or extra comma in that row, or a value with a comma in it that is not in quote marks.',
    );
}

function emptyColumn(f: Field, capacity: number): TypedColumn {
  return f.type === 'id' || f.type === 'code'
    ? new Array<string | null>(capacity).fill(null)
    : new Float64Array(capacity).fill(NaN);
}

function resize(col: TypedColumn, capacity: number): TypedColumn {
  if (col instanceof Float64Array) {
    const out = new Float64Array(capacity).fill(NaN);
    out.set(col);
    return out;
  }
  const out = col.slice();
  while (out.length < capacity) out.push(null);
  return out;
}

function trimColumns(columns: Record<string, TypedColumn>, n: number): Record<string, TypedColumn> {
  const out: Record<string, TypedColumn> = {};
  for (const [name, col] of Object.entries(columns)) out[name] = col.slice(0, n);
  return out;
}

function buildReport(
  log: ProblemLog,
  file: { name: string; bytes: number },
  ctx: ReturnContext,
  format: Format,
  kind: ReturnKind | null,
  rowCount: number,
): ValidationReport {
  return {
    status: log.hasErrors ? 'rejected' : 'accepted',
    file: { ...file, format },
    kind,
    contractId: ctx.contractId ?? null,
    period: ctx.period ?? null,
    rowCount,
    errorCount: log.errorCount,
    warningCount: log.warningCount,
    rules: log.rules(),
    problems: log.sorted(),
    unlisted: log.unlisted,
  };
}

/** The report for a file too large to read, made from its size alone so it is never loaded. */
export function oversizedReport(
  fileName: string,
  bytes: number,
  ctx: ReturnContext = {},
): ValidationReport {
  const limits: Limits = { ...defaultLimits, ...ctx.limits };
  const log = new ProblemLog(limits.maxProblemsListed);
  log.error(
    'file.too_large',
    null,
    null,
    null,
    `The file is ${(bytes / 1048576).toFixed(1)} MB; Outturn accepts returns of up to ${Math.round(limits.maxFileBytes / 1048576)} MB.`,
    'Check the file is one contract’s return for one month, saved as CSV or XLSX without images or extra sheets.',
  );
  return buildReport(log, { name: fileName, bytes }, ctx, 'unknown', null, 0);
}
