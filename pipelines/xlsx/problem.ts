/**
 * Why an uploaded workbook was refused, in words a provider can act on.
 *
 * `message` and `fix` are shown to the person who uploaded the file, so they are plain English
 * and never mention zips, XML or parts. `detail` is for our logs only: it says exactly which
 * check failed, so a support call can be answered without the file.
 */

/**
 * Rule ids shared with the validator's report. Too many columns has no rule of its own there, so it
 * is a `file.format` problem with its own message.
 */
export type XlsxRule = 'file.format' | 'xlsx.bomb' | 'file.too_many_rows' | 'cell.too_long';

export interface XlsxProblem {
  readonly rule: XlsxRule;
  readonly message: string;
  readonly fix: string;
  /** What exactly was wrong, for logs and support. Never shown to providers. */
  readonly detail: string;
  /** The cell the problem is in, as the spreadsheet names it (`D14`), when there is one. */
  readonly cell?: string;
}

const SAVE_AGAIN =
  "Save the file from your spreadsheet program as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8', then upload it again";

/** Not a zip, a damaged zip, or a zip that is not an Excel workbook. */
export function notAWorkbook(detail: string): XlsxProblem {
  return {
    rule: 'file.format',
    message: 'The file is not a valid Excel workbook (.xlsx)',
    fix: SAVE_AGAIN,
    detail,
  };
}

/** An OLE compound file: either an Excel 97–2003 workbook or any Office file protected with a password. */
export function oldFormatOrPassword(detail: string): XlsxProblem {
  return {
    rule: 'file.format',
    message: 'The file is an older Excel workbook (.xls) or is protected with a password',
    fix: `Remove any password. ${SAVE_AGAIN}`,
    detail,
  };
}

export function passwordProtected(detail: string): XlsxProblem {
  return {
    rule: 'file.format',
    message: 'The file is protected with a password',
    fix: `Remove the password. ${SAVE_AGAIN}`,
    detail,
  };
}

export function openDocument(detail: string): XlsxProblem {
  return {
    rule: 'file.format',
    message: 'The file is an OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx)',
    fix: SAVE_AGAIN,
    detail,
  };
}

/** A file that unpacks to far more than any return needs: a zip bomb, or something very unlike a return. */
export function bomb(detail: string): XlsxProblem {
  return {
    rule: 'xlsx.bomb',
    message:
      'The file unpacks to much more data than a monthly return needs, so we did not open it',
    fix: "Check you chose the right file. Copy the return into a new, empty workbook, save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8', then upload it again",
    detail,
  };
}

export function tooManyRows(row: number, maxRows: number): XlsxProblem {
  return {
    rule: 'file.too_many_rows',
    message: `The sheet has data in row ${withCommas(row)}. A return can have up to ${withCommas(maxRows)} rows`,
    fix: 'Delete any rows below the return, then upload the file again',
    detail: `data in row ${row}, limit ${maxRows}`,
  };
}

export function tooManyColumns(cell: string, column: number, maxColumns: number): XlsxProblem {
  return {
    rule: 'file.format',
    message: `Cell ${cell} has data in column ${withCommas(column)}. A return can have up to ${withCommas(maxColumns)} columns`,
    fix: 'Delete any columns to the right of the return, then upload the file again',
    detail: `data in column ${column}, limit ${maxColumns}`,
    cell,
  };
}

export function cellTooLong(cell: string, length: number, maxLength: number): XlsxProblem {
  return {
    rule: 'cell.too_long',
    message: `Cell ${cell} is longer than ${withCommas(maxLength)} characters`,
    fix: `Shorten the text in cell ${cell} to ${withCommas(maxLength)} characters or fewer, then upload the file again`,
    detail: `${length} characters, limit ${maxLength}`,
    cell,
  };
}

/** `250,000`: written out here so messages do not depend on the runtime's locale data. */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
