/**
 * The columns of a table of query results, shared by the HTML table and its CSV and XLSX
 * downloads so all three show the same columns under the same headings.
 */
import type { ValueFormat } from './format.js';
import type { HtmlValue } from './html.js';

export interface Column {
  /** The field in each row (a column name from the query). */
  key: string;
  /** The heading users see. */
  label: string;
  /** How the HTML table shows the value; downloads keep the raw value. Default `text`. */
  format?: ValueFormat | 'rag';
  /** Where the HTML table links the cell to (escaped like any attribute); downloads keep the text. */
  href?: (row: Row) => string | undefined;
  /**
   * The HTML table's cell content when formatting the value is not enough (a tag, a list, a
   * suppressed figure); text is escaped as ever. Downloads keep the value under `key`.
   */
  render?: (row: Row) => HtmlValue;
  /** The row's header cell (`<th scope="row">`): what the row is about. */
  rowHeader?: boolean;
  /** Right-aligned as a figure even when `render` makes the content (default: from `format`). */
  numeric?: boolean;
}

export type Row = Record<string, unknown>;
