/** `outturn query "SQL" [--csv|--json]`: a read-only query over the marts in force. */
import { csvLine } from '../../../pipelines/csv/write.js';
import { openCurated, QueryError } from '../../../pipelines/transform/query.js';
import { plainQueryError } from '../../../pipelines/transform/query-errors.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';

export async function queryCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    csv: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  const sql = positionals.join(' ').trim();
  if (!sql)
    throw new UsageError(
      'Give a query, for example: outturn query "select * from performance limit 5"',
    );
  if (values.csv && values.json) throw new UsageError('Choose --csv or --json, not both');
  let db;
  try {
    db = await openCurated(openStoreFor(io));
  } catch (e) {
    if (e instanceof QueryError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  try {
    const { columns, rows } = await db.query(sql);
    if (values.json) io.out(JSON.stringify(rows, null, 2) + '\n');
    else if (values.csv) {
      io.out(csvLine(columns));
      for (const r of rows) io.out(csvLine(columns.map((c) => format(r[c]))));
    } else io.out(table(columns, rows));
    return 0;
  } catch (e) {
    const tables = Object.keys(db.manifest.models).filter((n) => !/^(int|stg)_/.test(n));
    io.err(
      `${e instanceof QueryError ? e.message : plainQueryError((e as Error).message, tables)}\n`,
    );
    return 1;
  } finally {
    db.close();
  }
}

function format(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A plain aligned table for the terminal. */
function table(columns: string[], rows: Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => String(format(r[c]) ?? '')));
  const widths = columns.map((c, j) =>
    Math.min(40, Math.max(c.length, ...cells.map((row) => row[j]!.length))),
  );
  const line = (values: string[]) =>
    values
      .map((v, j) => v.slice(0, 40).padEnd(widths[j]!))
      .join('  ')
      .trimEnd() + '\n';
  return (
    line(columns) +
    line(widths.map((w) => '-'.repeat(w))) +
    cells.map(line).join('') +
    `(${rows.length} row${rows.length === 1 ? '' : 's'})\n`
  );
}
