/**
 * Judges a monthly return as a whole: accepted with typed rows, or rejected with every problem
 * listed (row, column, value, what is wrong, how to fix it). Warnings never block.
 */
import { isoDate, today as todayNumber } from '../calendar/days.js';
import { isPeriod, periodEnd, periodStart, type Period } from '../calendar/periods.js';
import { fieldsFor, type Field, type ReturnKind } from '../returns/fields.js';
import type { Contract, Programme, ReferenceData } from '../reference/schema.js';
import { CodeList, explainDate, explainId, explainNumber, isValidId, parseDate, parseInteger, parseNumber } from './cells.js';
import { defaultLimits, type Limits } from './limits.js';
import { detectPersonalData, maskValue, personalDataColumn, personalDataFix, personalDataMessage } from './personal-data.js';
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

const MAX_VALUE_SHOWN = 100;

function shown(value: string): string {
  return value.length > MAX_VALUE_SHOWN ? `${value.slice(0, MAX_VALUE_SHOWN)}…` : value;
}

/** Lower case, underscores for spaces: how a heading is matched to a field name. */
function headingKey(heading: string): string {
  return heading.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestScore) [best, bestScore] = [c, d];
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 4)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

function detectKind(keys: string[]): ReturnKind {
  if (keys.includes('participant_id')) return 'participant';
  if (keys.includes('measure') && keys.includes('count')) return 'aggregate';
  return 'participant';
}

interface Resolved {
  contract: Contract | null;
  programme: Programme | null;
  period: Period | null;
}

/** Checks the contract and period against the reference data, when they were given. */
function resolveContext(ctx: ReturnContext, today: number, log: ProblemLog): Resolved {
  let period: Period | null = null;
  if (ctx.period != null) {
    if (!isPeriod(ctx.period))
      log.error('reference.period', null, null, ctx.period, `"${ctx.period}" is not a month.`, 'Give the period as YYYY-MM, for example 2025-04.');
    else if (periodEnd(ctx.period) >= today)
      log.error(
        'reference.period',
        null,
        null,
        ctx.period,
        `The period ${ctx.period} has not ended yet.`,
        'Send a return after the end of the month it reports on.',
      );
    else period = ctx.period;
  }
  let contract: Contract | null = null;
  let programme: Programme | null = null;
  if (ctx.contractId != null && ctx.reference) {
    contract = ctx.reference.contracts.find((c) => c.id === ctx.contractId) ?? null;
    if (!contract) {
      const known = ctx.reference.contracts.map((c) => c.id);
      const near = closest(ctx.contractId, known);
      log.error(
        'reference.contract',
        null,
        null,
        ctx.contractId,
        `There is no contract "${ctx.contractId}".`,
        near ? `Did you mean ${near}?` : 'Check the contract reference in your contract or with your contract manager.',
      );
    } else {
      programme = ctx.reference.programmes.find((p) => p.id === contract!.programme_id) ?? null;
      if (period && (period < contract.start_period || period > contract.end_period))
        log.error(
          'reference.period',
          null,
          null,
          period,
          `Contract ${contract.id} runs from ${contract.start_period} to ${contract.end_period}, so it has no return for ${period}.`,
          'Check the period the return is for.',
        );
    }
  }
  return { contract, programme, period };
}

/**
 * Validates the bytes of one uploaded return.
 *
 * @example
 * const result = validateReturn(bytes, 'plp-bham-2025-04.csv', { contractId: 'plp-bham', period: '2025-04', reference });
 * if (result.status === 'accepted') stage(result.data); else show(result.report);
 */
export function validateReturn(bytes: Uint8Array, fileName: string, ctx: ReturnContext = {}): ValidationResult {
  const limits: Limits = { ...defaultLimits, ...ctx.limits };
  const today = ctx.today ?? todayNumber();
  const log = new ProblemLog(limits.maxProblemsListed);
  const base = { name: fileName, bytes: bytes.length };
  const resolved = resolveContext(ctx, today, log);

  const finish = (format: 'csv' | 'xlsx' | 'unknown', kind: ReturnKind | null, rowCount: number) =>
    buildReport(log, base, ctx, format, kind, rowCount);

  if (bytes.length > limits.maxFileBytes) return { status: 'rejected', report: oversizedReport(fileName, bytes.length, ctx) };

  const table = readTable(bytes, fileName, limits);
  if (!table.ok) {
    log.error(table.rule, table.row, null, null, table.message, table.fix);
    return { status: 'rejected', report: finish(table.format, null, 0) };
  }
  const rows = table.rows;
  const header = rows[0] ?? [];
  if (rows.length === 0 || header.every((h) => h.trim() === '')) {
    log.error('file.empty', 1, null, null, 'The file has no heading row.', 'Start from the template: its first row holds the column headings.');
    return { status: 'rejected', report: finish(table.format, null, 0) };
  }

  const keys = header.map(headingKey);
  const kind: ReturnKind = resolved.programme?.return_kind ?? detectKind(keys);
  if (resolved.programme && detectKind(keys) !== kind && (keys.includes('participant_id') || keys.includes('measure')))
    log.error(
      'reference.return_kind',
      1,
      null,
      null,
      `${resolved.programme.name} takes ${kind === 'participant' ? 'a participant-level return (one row per participant)' : 'an aggregate return (one row per measure)'}, but this file is the other kind.`,
      `Download the ${kind} return template and use that.`,
    );
  const fields = fieldsFor(kind);

  // Map each column to its field; everything else is reported, and its cells still guarded.
  const columnField: (Field | null)[] = [];
  const seen = new Map<string, number>();
  const extraColumns: number[] = [];
  keys.forEach((key, j) => {
    const heading = header[j]!.trim();
    const field = fields.find((f) => f.name === key) ?? null;
    columnField.push(null);
    if (field) {
      if (seen.has(key)) {
        log.error(
          'header.duplicate_column',
          1,
          heading,
          heading,
          `The column ${key} appears twice (columns ${seen.get(key)! + 1} and ${j + 1}).`,
          'Delete one of them.',
        );
        return;
      }
      seen.set(key, j);
      columnField[j] = field;
      return;
    }
    if (heading === '') {
      if (rows.some((r, i) => i > 0 && (r[j] ?? '').trim() !== ''))
        log.error('header.unknown_column', 1, `column ${j + 1}`, null, `Column ${j + 1} has values but no heading.`, 'Delete the column, or give it the right heading from the template.');
      return;
    }
    const personal = personalDataColumn(heading);
    if (personal) {
      log.error(
        'header.personal_data_column',
        1,
        heading,
        heading,
        `The column "${heading}" looks like it holds ${personal}. Outturn must not receive personal data, so the whole file has been refused.`,
        'Delete the column and use your own pseudonymous participant reference instead, then upload the file again.',
      );
    } else {
      const near = closest(key, fields.map((f) => f.name));
      log.error(
        'header.unknown_column',
        1,
        heading,
        heading,
        `"${heading}" is not a column of the ${kind} return.`,
        near ? `Did you mean ${near}? Rename the column to match the template exactly.` : 'Delete the column, or rename it to match the template.',
      );
    }
    extraColumns.push(j);
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

  // Read every cell into typed columns.
  const capacity = rows.length - 1;
  const columns: Record<string, TypedColumn> = {};
  for (const f of fields)
    columns[f.name] = f.type === 'id' || f.type === 'code' ? new Array<string | null>(capacity).fill(null) : new Float64Array(capacity).fill(NaN);
  const rowNumbers = new Int32Array(capacity);
  const codeLists = new Map<string, CodeList>();
  for (const f of fields) if (f.type === 'code') codeLists.set(f.name, new CodeList(f.codes));
  const periodLast = resolved.period ? periodEnd(resolved.period) : null;
  const contractFirst = resolved.contract ? periodStart(resolved.contract.start_period) : null;
  const checkedColumns = columnField.map((f, j) => ({ j, f })).filter((c): c is { j: number; f: Field } => c.f !== null);
  const width = header.length;
  const xlsx = table.format === 'xlsx';

  const personal = (rowNo: number, column: string, value: string): boolean => {
    const rule = detectPersonalData(value);
    if (!rule) return false;
    log.error(rule, rowNo, column, maskValue(value), personalDataMessage(rule), personalDataFix);
    return true;
  };

  let n = 0;
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    const rowNo = r + 1;
    let blank = true;
    for (let j = 0; j < cells.length; j++) if (cells[j] !== '' && cells[j]!.trim() !== '') { blank = false; break; }
    if (blank) continue;
    if (!xlsx && cells.length !== width) {
      const extra = cells.slice(width).some((c) => c.trim() !== '');
      if (cells.length < width || extra)
        log.error(
          'row.shape',
          rowNo,
          null,
          null,
          `Row ${rowNo} has ${cells.length} values but the heading row has ${width} columns.`,
          'Check for a missing or extra comma in that row, or a value with a comma in it that is not in quote marks.',
        );
    }
    rowNumbers[n] = rowNo;
    for (const { j, f } of checkedColumns) {
      let raw = cells[j] ?? '';
      if (raw.length && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32)) raw = raw.trim();
      if (raw === '') {
        if (f.required) log.error('cell.required', rowNo, f.name, null, `${f.label} is blank.`, `Enter the ${f.label.toLowerCase()}: every row needs one. ${f.description}`);
        continue;
      }
      const col = columns[f.name]!;
      switch (f.type) {
        case 'date': {
          const d = parseDate(raw);
          if (Number.isNaN(d)) {
            if (!personal(rowNo, f.name, raw)) {
              const e = explainDate(raw);
              log.error('cell.date', rowNo, f.name, shown(raw), e.message, e.fix);
            }
            break;
          }
          (col as Float64Array)[n] = d;
          if (periodLast !== null && d > periodLast)
            log.error('cell.after_period', rowNo, f.name, raw, `${f.label} ${isoDate(d)} is after the end of the period (${isoDate(periodLast)}).`, 'A return shows what happened up to the end of its month: check the date, or leave it blank until next month’s return.');
          else if (periodLast === null && d > today)
            log.error('cell.future_date', rowNo, f.name, raw, `${f.label} ${isoDate(d)} is in the future.`, 'Check the date: a return can only record what has happened.');
          if (f.name === 'referral_date' && contractFirst !== null && d < contractFirst)
            log.error('cell.before_contract', rowNo, f.name, raw, `The referral date ${isoDate(d)} is before contract ${resolved.contract!.id} started (${isoDate(contractFirst)}).`, 'Check the date, and that the participant belongs to this contract.');
          break;
        }
        case 'code': {
          const list = codeLists.get(f.name)!;
          if (list.has(raw)) (col as (string | null)[])[n] = raw;
          else {
            const folded = list.caseFolded(raw);
            if (folded) {
              (col as (string | null)[])[n] = folded;
              log.warning('cell.code_case', rowNo, f.name, raw, `"${raw}" was read as the code ${folded}.`, 'Codes are written in lower case; no need to resend.');
            } else if (!personal(rowNo, f.name, raw)) {
              const e = list.explain(raw);
              log.error('cell.code', rowNo, f.name, shown(raw), e.message, e.fix);
            }
          }
          break;
        }
        case 'integer':
        case 'number': {
          const v = f.type === 'integer' ? parseInteger(raw) : parseNumber(raw);
          if (Number.isNaN(v) || v < f.min || v > f.max) {
            if (!personal(rowNo, f.name, raw)) {
              const e = explainNumber(f, raw, v);
              log.error(f.type === 'integer' ? 'cell.integer' : 'cell.number', rowNo, f.name, shown(raw), e.message, e.fix);
            }
          } else (col as Float64Array)[n] = v;
          break;
        }
        case 'id': {
          if (personal(rowNo, f.name, raw)) break;
          if (isValidId(raw, f.maxLength)) (col as (string | null)[])[n] = raw;
          else {
            const e = explainId(raw, f.maxLength);
            log.error('cell.id', rowNo, f.name, shown(raw), e.message, e.fix);
          }
          break;
        }
      }
    }
    for (const j of extraColumns) {
      const raw = (cells[j] ?? '').trim();
      if (raw) personal(rowNo, header[j]!.trim(), raw);
    }
    n++;
  }

  const data: TypedReturn = { kind, rowCount: n, rowNumbers: rowNumbers.subarray(0, n), columns: trimColumns(columns, n) };
  if (kind === 'participant') checkParticipantRows(data, resolved.programme, log);
  else checkAggregateRows(data, resolved.programme, log);

  const report = finish(table.format, kind, n);
  return report.status === 'accepted' ? { status: 'accepted', report, data } : { status: 'rejected', report };
}

function buildReport(
  log: ProblemLog,
  file: { name: string; bytes: number },
  ctx: ReturnContext,
  format: 'csv' | 'xlsx' | 'unknown',
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
export function oversizedReport(fileName: string, bytes: number, ctx: ReturnContext = {}): ValidationReport {
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

function trimColumns(columns: Record<string, TypedColumn>, n: number): Record<string, TypedColumn> {
  const out: Record<string, TypedColumn> = {};
  for (const [name, col] of Object.entries(columns)) out[name] = col instanceof Float64Array ? col.subarray(0, n) : col.slice(0, n);
  return out;
}
