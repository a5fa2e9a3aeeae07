/**
 * One row's cells as spans of source strings. The CSV reader fills it without copying any
 * cell, so a validator can read a date or a number straight from the file's text; only the
 * cells it keeps as text are ever sliced out.
 */
export class RowCursor {
  /** How many cells the row has. */
  count = 0;
  src: string[];
  start: Int32Array;
  end: Int32Array;

  constructor(capacity = 64) {
    this.src = new Array<string>(capacity).fill('');
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }

  /** Appends a cell spanning `src[start..end)`. */
  push(src: string, start: number, end: number): void {
    if (this.count === this.start.length) this.grow();
    const j = this.count++;
    this.src[j] = src;
    this.start[j] = start;
    this.end[j] = end;
  }

  /** The text of cell `j`, or '' past the end of the row. */
  text(j: number): string {
    return j < this.count ? this.src[j]!.slice(this.start[j], this.end[j]) : '';
  }

  /** Fills the cursor from a row already split into strings (as the XLSX reader gives). */
  fill(cells: readonly string[]): this {
    this.count = 0;
    for (const c of cells) this.push(c, 0, c.length);
    return this;
  }

  /** Every cell's text: for the rare callers that want plain arrays. */
  toArray(): string[] {
    const out: string[] = [];
    for (let j = 0; j < this.count; j++) out.push(this.text(j));
    return out;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    start.set(this.start);
    end.set(this.end);
    this.start = start;
    this.end = end;
    this.src.length = n;
  }
}
