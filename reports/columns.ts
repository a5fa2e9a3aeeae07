/**
 * The columns of a table of query results, shared by the HTML table and its CSV and XLSX
 * downloads so all three show the same columns under the same headings.
 */
import type { ValueFormat } from './format.js';

export interface Column {
  /** The field in each row (a column name from the query). */
  key: string;
  /** The heading users see. */
  label: string;
  /** How the HTML table shows the value; downloads keep the raw value. Default `text`. */
  format?: ValueFormat | 'rag';
  /** Where the HTML table links the cell to (escaped like any attribute); downloads keep the text. */
  href?: (row: Row) => string | undefined;
}

export type Row = Record<string, unknown>;
