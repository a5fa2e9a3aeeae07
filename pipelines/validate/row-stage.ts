/**
 * The rows stage: what is checked of each data row as a whole while the file is read. Blank
 * rows are skipped (too many in a row stop the read); a CSV row of the wrong width is reported;
 * columns outside the template are searched for personal data; a column with no heading is
 * reported once if any of its cells has a value.
 */
import type { RowCursor } from '../csv/row-cursor.js';
import { guardPersonalData } from './column-readers.js';
import type { Header } from './header.js';
import type { Limits } from './limits.js';
import type { ProblemLog } from './report.js';
import type { FileFormat } from './read-table.js';

export type RowVerdict = 'read' | 'skip' | 'stop';

export class RowStage {
  private blankRun = 0;
  /** The blank rows that stopped the read, as spreadsheet rows. */
  private blankFlood: { from: number; to: number } | null = null;
  private readonly unnamedWithValues = new Set<number>();

  constructor(
    private readonly header: Header,
    private readonly format: FileFormat,
    private readonly limits: Limits,
    private readonly log: ProblemLog,
  ) {}

  /** Before the row's cells are read: whether to read it, skip it or stop reading the file. */
  before(row: RowCursor, rowNo: number): RowVerdict {
    if (isBlankRow(row)) {
      if (++this.blankRun <= this.limits.maxBlankRun) return 'skip';
      this.blankFlood = { from: rowNo + 1 - this.blankRun, to: rowNo };
      return 'stop';
    }
    this.blankRun = 0;
    if (this.format === 'csv' && row.count !== this.header.width) this.checkShape(row, rowNo);
    return 'read';
  }

  /** After the row's cells are read. */
  after(row: RowCursor, rowNo: number): void {
    const { extra, unnamed } = this.header.map;
    for (const j of extra) {
      const value = row.text(j).trim();
      if (value) guardPersonalData(this.log, rowNo, this.header.cells[j]!.trim(), value);
    }
    for (const j of unnamed) if (row.text(j).trim()) this.unnamedWithValues.add(j);
  }

  /** Whether the read was stopped by a flood of blank rows; logs it if so. */
  stopped(): boolean {
    if (!this.blankFlood) return false;
    const { from, to } = this.blankFlood;
    const n = (x: number) => x.toLocaleString('en-GB');
    this.log.error(
      'file.blank_rows',
      from,
      null,
      null,
      `Rows ${n(from)} to ${n(to)} are all blank: more than ${n(this.limits.maxBlankRun)} blank rows one after another.`,
      'Delete the blank rows (or save only the rows that hold data), then upload the file again.',
    );
    return true;
  }

  /** At the end of the file: columns with values but no heading. */
  finish(): void {
    for (const j of this.unnamedWithValues)
      this.log.error(
        'header.unknown_column',
        1,
        `column ${j + 1}`,
        null,
        `Column ${j + 1} has values but no heading.`,
        'Delete the column, or give it the right heading from the template.',
      );
  }

  private checkShape(row: RowCursor, rowNo: number): void {
    const width = this.header.width;
    let extraValues = false;
    for (let j = width; j < row.count; j++) if (row.text(j).trim()) extraValues = true;
    if (row.count < width || extraValues)
      this.log.error(
        'row.shape',
        rowNo,
        null,
        null,
        `Row ${rowNo} has ${row.count} values but the heading row has ${width} columns.`,
        'Check for a missing or extra comma in that row, or a value with a comma in it that is not in quote marks.',
      );
  }
}

function isBlankRow(row: RowCursor): boolean {
  for (let j = 0; j < row.count; j++) {
    const src = row.src[j]!;
    for (let k = row.start[j]!, end = row.end[j]!; k < end; k++)
      if (src.charCodeAt(k) > 32) return false;
  }
  return true;
}
