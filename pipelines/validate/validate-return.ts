/**
 * Judges a monthly return as a whole: accepted with typed rows, or rejected with every problem
 * listed (row, column, value, what is wrong, how to fix it). Warnings never block.
 */
import { today as todayNumber } from '../calendar/days.js';
import { periodEnd, periodStart } from '../calendar/periods.js';
import type { CsvFailure } from '../csv/parse.js';
import type { ReturnKind } from '../returns/fields.js';
import type { ReferenceData } from '../reference/schema.js';
import type { DateBounds } from './column-readers.js';
import { resolveContext, type ResolvedContext } from './context.js';
import { readHeader, type Header } from './header.js';
import { defaultLimits, type Limits } from './limits.js';
import { readTable, type Table } from './read-table.js';
import { buildReport, ProblemLog, type ValidationReport } from './report.js';
import { checkAggregateRows, checkParticipantRows } from './return-rules.js';
import { RowStage } from './row-stage.js';
import { TypedColumns } from './typed-columns.js';
import type { TypedReturn } from './typed-return.js';

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

/**
 * Validates the bytes of one uploaded return, in stages that each hand the next what it found:
 * read (bytes to rows of text) → header (which column is which field) → cells (typed columns)
 * and rows (each row as a whole), in one pass over the file → return rules (across rows) →
 * report. Every stage logs its problems to one `ProblemLog`; a stage that cannot go on stops
 * the rest, and the report says why.
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
  const finish = (
    format: Format,
    kind: ReturnKind | null,
    data: TypedReturn | null,
    columns?: TypedColumns,
  ) => {
    if (columns) log.nameParticipants((row) => columns.participantAt(row));
    return report(log, { ...file, format }, ctx, kind, data);
  };
  const resolved = resolveContext(ctx, today, log);

  // Read.
  const table = readTable(bytes, fileName, limits);
  if (!table.ok) {
    log.error(table.rule, table.row, null, null, table.message, table.fix);
    return finish(table.format, null, null);
  }

  // A wrong contract or period is decisive: every row judged against it would only add noise.
  if (log.hasErrors) return finish(table.format, null, null);

  // Header, cells and rows, in one pass.
  const scanned = scanReturn(table, resolved, today, limits, log);
  if (!scanned.ok) {
    const { failure } = scanned;
    log.error(failure.rule, failure.row, null, null, failure.message, failure.fix);
    return finish(table.format, scanned.kind, null, scanned.columns);
  }
  if (!scanned.header) {
    log.error(
      'file.empty',
      1,
      null,
      null,
      'The file has no heading row.',
      'Start from the template: its first row holds the column headings.',
    );
    return finish(table.format, null, null);
  }
  const { header, rows, columns } = scanned;
  if (rows.stopped()) return finish(table.format, header.kind, null, columns);
  rows.finish();
  columns.checkDateOrder();

  // Return rules.
  const data = columns.finish();
  if (data.kind === 'participant')
    checkParticipantRows(data, resolved.programme, log, resolved.contract);
  else checkAggregateRows(data, resolved.programme, log);

  // Report.
  return finish(table.format, data.kind, data, columns);
}

type Scanned =
  | { ok: true; header: null; columns?: undefined }
  | { ok: true; header: Header; columns: TypedColumns; rows: RowStage }
  | { ok: false; kind: ReturnKind | null; columns?: TypedColumns; failure: CsvFailure };

/** One pass over the table: the heading row, then each data row's cells and shape. */
function scanReturn(
  table: Table,
  resolved: ResolvedContext,
  today: number,
  limits: Limits,
  log: ProblemLog,
): Scanned {
  const bounds: DateBounds = {
    periodLast: resolved.period ? periodEnd(resolved.period) : null,
    today,
    contractFirst: resolved.contract ? periodStart(resolved.contract.start_period) : null,
    contractId: resolved.contract?.id ?? null,
  };
  const state: { stages: { header: Header; columns: TypedColumns; rows: RowStage } | null } = {
    stages: null,
  };
  const result = table.scan((row, index) => {
    if (index === 0) {
      const header = readHeader(row.toArray(), resolved.programme, log);
      state.stages = header && {
        header,
        columns: new TypedColumns(header, bounds, log, table.rowEstimate),
        rows: new RowStage(header, table.format, limits, log),
      };
      return;
    }
    const { stages } = state;
    if (!stages) return;
    const rowNo = index + 1;
    const verdict = stages.rows.before(row, rowNo);
    if (verdict === 'skip') return;
    if (verdict === 'stop') return false;
    stages.columns.add(row, rowNo);
    stages.rows.after(row, rowNo);
  });
  const found = state.stages;
  if (!result.ok)
    return {
      ok: false,
      kind: found?.header.kind ?? null,
      ...(found && { columns: found.columns }),
      failure: result,
    };
  return found ? { ok: true, ...found } : { ok: true, header: null };
}

function report(
  log: ProblemLog,
  file: ValidationReport['file'],
  ctx: ReturnContext,
  kind: ReturnKind | null,
  data: TypedReturn | null,
): ValidationResult {
  const r = buildReport(log, {
    file,
    kind,
    contractId: ctx.contractId ?? null,
    period: ctx.period ?? null,
    rowCount: data?.rowCount ?? 0,
  });
  return r.status === 'accepted' && data
    ? { status: 'accepted', report: r, data }
    : { status: 'rejected', report: r };
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
  return buildReport(log, {
    file: { name: fileName, bytes, format: 'unknown' },
    kind: null,
    contractId: ctx.contractId ?? null,
    period: ctx.period ?? null,
    rowCount: 0,
  });
}
