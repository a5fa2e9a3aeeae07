/**
 * The columns of a table of query results, shared by the HTML table and its CSV and XLSX
 * downloads so all three show the same columns under the same headings.
 *
 * A column that is a mart's column takes its heading and format from the mart's definition
 * (pipelines/transform/models: each column's `label` and `format`), picked by name with
 * `martColumns`; only a column a page works out itself (a quarter's sum, a status in words) is
 * declared on the page, once (docs/decisions/036-each-fact-declared-once.md).
 */
import type { ColumnFormat, Model } from '../pipelines/transform/model.js';
import { models } from '../pipelines/transform/registry.js';
import type { HtmlValue } from './html.js';

export interface Column {
  /** The field in each row (a column name from the query). */
  key: string;
  /** The heading users see. */
  label: string;
  /** How the HTML table shows the value; downloads keep the raw value. Default `text`. */
  format?: ColumnFormat;
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
  /** The mart column it shows (`performance.cumulative_actual`), when it is one. */
  source?: string;
}

export type Row = Record<string, unknown>;

/**
 * A mart column by name, with how this table shows it: `key` when the query gives it under
 * another name (a display value such as `cumulative_actual_display`), a `render`, a link. The
 * heading and format are the mart's, and cannot be given here.
 */
export type MartColumnPick =
  string | ({ name: string } & Omit<Partial<Column>, 'label' | 'format' | 'source'>);

const byName = new Map<string, Model>(models.map((m) => [m.name, m]));

/**
 * Columns of a mart by name, headed and formatted as its definition says.
 *
 * @throws Error when the mart has no such column, or the column has no label: a page cannot
 *   show a column under a heading of its own.
 * @example martColumns('performance', ['period', 'measure_label', 'cumulative_actual'])
 */
export function martColumns(mart: string, picks: readonly MartColumnPick[]): Column[] {
  const model = byName.get(mart);
  if (!model) throw new Error(`There is no mart called ${mart}.`);
  return picks.map((pick) => {
    const { name, ...rest } = typeof pick === 'string' ? { name: pick } : pick;
    const column = model.columns.find((c) => c.name === name);
    if (!column) throw new Error(`The mart ${mart} has no column ${name}.`);
    if (!column.label)
      throw new Error(`Give ${mart}.${name} a label in its definition to show it on a page.`);
    return {
      key: name,
      label: column.label,
      ...(column.format ? { format: column.format } : {}),
      source: `${mart}.${name}`,
      ...rest,
    };
  });
}
