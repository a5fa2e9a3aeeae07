/**
 * The validation report: every problem with a return, each naming the row as the user sees
 * it in a spreadsheet, the column, the value, what is wrong and how to fix it.
 */
import type { ReturnKind } from '../returns/fields.js';

export type Severity = 'error' | 'warning';

/** Every rule the validator applies; a problem always names one. */
export const ruleDescriptions = {
  'file.too_large': 'The file is larger than Outturn accepts',
  'file.empty': 'The file is empty',
  'file.format': 'The file is not a CSV or XLSX file Outturn can read',
  'file.encoding': 'The file is not saved as UTF-8',
  'file.too_many_rows': 'The file has more rows than Outturn accepts',
  'file.too_many_columns': 'A row has more values than Outturn accepts',
  'file.blank_rows': 'The file has too many blank rows in a row',
  'file.ambiguous_dates': 'Every date could be read day first or month first',
  'xlsx.bomb': 'The workbook expands to far more data than it should',
  'header.missing_column': 'A column is missing',
  'header.unknown_column': 'A column is not in the template',
  'header.duplicate_column': 'A column appears twice',
  'header.personal_data_column': 'A column would hold personal data',
  'row.shape': 'A row has a different number of values from the header',
  'cell.too_long': 'A value is too long',
  'cell.required': 'A required value is blank',
  'cell.date': 'A value is not a date',
  'cell.integer': 'A value is not a whole number in range',
  'cell.number': 'A value is not a number in range',
  'cell.code': 'A value is not one of the allowed codes',
  'cell.code_case': 'A code was written in capitals',
  'cell.id': 'A reference has characters that are not allowed',
  'cell.after_period': 'A date is after the end of the period',
  'cell.future_date': 'A date is in the future',
  'cell.before_contract': 'A date is before the contract started',
  'row.milestone_order': 'Milestones are in an impossible order',
  'row.missing_companion': 'A value needs another value beside it',
  'row.score_range': 'A score is outside its instrument’s range',
  'row.required_here': 'A value this row needs is blank',
  'row.age_band': 'The age band does not hold the age',
  'row.simd_ranks': 'The SIMD decile and vigintile disagree',
  'row.contact_after_start': 'First contact is after the start',
  'row.long_wait': 'An unusually long wait',
  'row.duplicate_participant': 'A participant appears twice',
  'row.duplicate_measure': 'A measure and breakdown appear twice',
  'personal_data.ni_number': 'A National Insurance number',
  'personal_data.nhs_number': 'An NHS number',
  'personal_data.email': 'An email address',
  'personal_data.phone': 'A phone number',
  'personal_data.postcode': 'A full postcode',
  'reference.contract': 'The contract is not known',
  'reference.period': 'The period is not one this contract reports on',
  'reference.other_contract': 'The file looks like another contract’s return',
  'reference.return_kind': 'The wrong kind of return for this programme',
  'reference.measure': 'A measure is not one of the programme’s',
  'reference.cmp': 'CMP dates for a programme without a CMP',
  'reference.delivery_partner': 'A delivery partner is not one of the contract’s',
} as const;

export type RuleId = keyof typeof ruleDescriptions;

export interface Problem {
  severity: Severity;
  rule: RuleId;
  /** The row as a spreadsheet shows it: the header is row 1. Null for the file as a whole. */
  row: number | null;
  column: string | null;
  /** The value as it was sent; masked when it looks like personal data. */
  value: string | null;
  message: string;
  fix: string;
  /**
   * The row's participant reference, what a provider searches its case-management system for;
   * null when the row has none Outturn could read (or for the whole file). Absent in receipts
   * written before it was recorded.
   */
  participant?: string | null;
}

/**
 * Problems of one kind: the same rule in the same column with the same fix, so one correction
 * clears them all ("8,127 dates written with a time, rows 2 to 8,128"). Counted for every
 * problem, listed or not.
 */
export interface ProblemGroup {
  severity: Severity;
  rule: RuleId;
  column: string | null;
  /** The first problem's message and the fix they share. */
  message: string;
  fix: string;
  count: number;
  firstRow: number | null;
  lastRow: number | null;
}

export interface RuleCount {
  rule: RuleId;
  severity: Severity;
  description: string;
  count: number;
}

export interface ValidationReport {
  status: 'accepted' | 'rejected';
  file: { name: string; bytes: number; format: 'csv' | 'xlsx' | 'unknown' };
  kind: ReturnKind | null;
  contractId: string | null;
  period: string | null;
  /** Data rows read (blank rows not counted). */
  rowCount: number;
  errorCount: number;
  warningCount: number;
  /** Counts per rule, complete even when the list of problems was cut short. */
  rules: RuleCount[];
  /** The problems, errors first, in row order; at most `problemLimit` of them. */
  problems: Problem[];
  /** How many problems were found but not listed. */
  unlisted: number;
  /** Problems of one kind, largest first; absent in receipts written before groups were kept. */
  groups?: ProblemGroup[];
}

/** Beyond this many kinds of problem, new kinds of a rule and column share one group. */
const MAX_GROUPS = 1_000;

/** Collects problems as the validator finds them, keeping counts exact and the list bounded. */
export class ProblemLog {
  readonly problems: Problem[] = [];
  readonly counts = new Map<RuleId, { severity: Severity; count: number }>();
  private readonly groups = new Map<string, ProblemGroup>();
  errorCount = 0;
  warningCount = 0;
  unlisted = 0;

  constructor(private readonly limit: number) {}

  add(p: Problem): void {
    if (p.severity === 'error') this.errorCount++;
    else this.warningCount++;
    const c = this.counts.get(p.rule);
    if (c) c.count++;
    else this.counts.set(p.rule, { severity: p.severity, count: 1 });
    this.group(p);
    if (this.problems.length < this.limit) this.problems.push(p);
    else this.unlisted++;
  }

  error(
    rule: RuleId,
    row: number | null,
    column: string | null,
    value: string | null,
    message: string,
    fix: string,
  ): void {
    this.add({ severity: 'error', rule, row, column, value, message, fix });
  }

  warning(
    rule: RuleId,
    row: number | null,
    column: string | null,
    value: string | null,
    message: string,
    fix: string,
  ): void {
    this.add({ severity: 'warning', rule, row, column, value, message, fix });
  }

  private group(p: Problem): void {
    let key = `${p.rule}\u0000${p.column ?? ''}\u0000${p.fix}`;
    let g = this.groups.get(key);
    if (!g && this.groups.size >= MAX_GROUPS) {
      key = `${p.rule}\u0000${p.column ?? ''}\u0000`;
      g = this.groups.get(key);
    }
    if (!g) {
      this.groups.set(key, {
        severity: p.severity,
        rule: p.rule,
        column: p.column,
        message: p.message,
        fix: p.fix,
        count: 1,
        firstRow: p.row,
        lastRow: p.row,
      });
      return;
    }
    g.count++;
    if (p.row !== null) {
      if (g.firstRow === null || p.row < g.firstRow) g.firstRow = p.row;
      if (g.lastRow === null || p.row > g.lastRow) g.lastRow = p.row;
    }
  }

  /** Groups of problems, errors first, then largest first. */
  problemGroups(): ProblemGroup[] {
    return [...this.groups.values()]
      .map((g) => ({ ...g }))
      .sort(
        (a, b) =>
          (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
          b.count - a.count ||
          (a.firstRow ?? 0) - (b.firstRow ?? 0),
      );
  }

  /**
   * Names the participant on each listed problem of a data row, from the row's reference;
   * `participantOf` returns null when the row has none.
   */
  nameParticipants(participantOf: (row: number) => string | null): void {
    for (const p of this.problems)
      if (p.row !== null && p.row > 1) p.participant = participantOf(p.row);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  rules(): RuleCount[] {
    return [...this.counts]
      .map(([rule, c]) => ({
        rule,
        severity: c.severity,
        description: ruleDescriptions[rule],
        count: c.count,
      }))
      .sort((a, b) =>
        a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1,
      );
  }

  /** Errors before warnings, file-level problems first, then by row. */
  sorted(): Problem[] {
    return [...this.problems].sort(
      (a, b) =>
        (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
        (a.row ?? 0) - (b.row ?? 0),
    );
  }
}

/** One line per problem, the way the command line and logs show it. */
export function formatProblem(p: Problem): string {
  const where = [
    p.row === null ? null : `row ${p.row}`,
    p.column === null ? null : `column ${p.column}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${p.severity === 'error' ? 'Error' : 'Warning'}${where ? ` (${where})` : ''}: ${p.message} ${p.fix}`;
}

/** The report stage: the log's verdict, counts and sorted problems, with what was judged. */
export function buildReport(
  log: ProblemLog,
  about: Pick<ValidationReport, 'file' | 'kind' | 'contractId' | 'period' | 'rowCount'>,
): ValidationReport {
  return {
    status: log.hasErrors ? 'rejected' : 'accepted',
    ...about,
    errorCount: log.errorCount,
    warningCount: log.warningCount,
    rules: log.rules(),
    problems: log.sorted(),
    unlisted: log.unlisted,
    groups: log.problemGroups(),
  };
}

/** A report without its groups, whose example messages quote cells of the return. */
export function withoutGroups<T extends { groups?: unknown }>(report: T): Omit<T, 'groups'> {
  const { groups: _groups, ...rest } = report;
  return rest;
}
