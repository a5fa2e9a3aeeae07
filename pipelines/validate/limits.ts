/**
 * The limits that keep one upload from exhausting the machine. Generous for a real return
 * (the largest contracts hold tens of thousands of participants), small enough to refuse a
 * mistake or an attack quickly.
 */
export interface Limits {
  /** Largest file accepted, in bytes, CSV or XLSX. */
  maxFileBytes: number;
  /** Most data rows (the header not counted). */
  maxRows: number;
  /** Longest value in any cell, in characters. */
  maxCellLength: number;
  /** Most values in one CSV row, empty ones included (an XLSX row counts only cells with values). */
  maxColumns: number;
  /** Most blank rows one after another: more is a file padded to hide, or by mistake. */
  maxBlankRun: number;
  /** Most bytes an XLSX may expand to when unzipped. */
  maxInflatedBytes: number;
  /** Most problems listed in a report; the counts per rule stay exact beyond it. */
  maxProblemsListed: number;
}

export const defaultLimits: Limits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxRows: 250_000,
  maxCellLength: 1_000,
  maxColumns: 1_000,
  maxBlankRun: 10_000,
  maxInflatedBytes: 200 * 1024 * 1024,
  maxProblemsListed: 5_000,
};
