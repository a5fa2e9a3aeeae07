/**
 * Pages as code: a report page is a set of named SQL queries over the marts plus a function that
 * lays their results out with components. The same page renders live in the web app and into the
 * published static site, and its tables download as CSV and XLSX from the same queries.
 *
 * Queries are read-only SELECTs (the query function enforces it) with named parameters
 * (`$contract`), never values pasted into SQL: the parameters come from a URL.
 *
 * @example
 *   const db = await openCurated(store);
 *   const page = await renderPage(contractPerformance, db, { params: { contract: 'plp-test' } });
 */
import { OutturnError } from '../pipelines/errors.js';
import type { Column, Row } from './columns.js';
import type { RagRule } from './components/rag-tag.js';
import { toCsvDownload, toXlsxDownload, type Download } from './export.js';
import type { Html } from './html.js';
import { layout, type LayoutOptions, type NavItem } from './layout.js';

export type QueryParams = Record<string, string | number | boolean | null>;

export interface QueryResult {
  columns: string[];
  rows: Row[];
}

/** What runs a query: `CuratedDb` from pipelines/transform/query.ts is one. */
export interface QueryRunner {
  query(sql: string, params?: QueryParams): Promise<QueryResult>;
  /** One part of a result, the part's column left out (a `NamedQuery`'s `part`); `query` when absent. */
  queryPart?(
    sql: string,
    params: QueryParams | undefined,
    column: string,
    part: string,
  ): Promise<QueryResult>;
}

/** What a page is rendered for: its parameters (from the URL) and how to link within the site. */
export interface PageContext<P extends QueryParams = QueryParams> {
  params: P;
  /** The web app (or the static publish) says where a table's downloads live; no links without it. */
  downloadHref?: (pageId: string, table: string, format: 'csv' | 'xlsx') => string;
  /** Passed to the layout. */
  navigation?: NavItem[];
  basePath?: string;
  phase?: LayoutOptions['phase'];
  /** Passed to the layout: false where there is no session to sign out of (the static site). */
  signedIn?: boolean;
  /**
   * A contract in words (programme, area, provider: reports/names.ts `contractTitle`), from the
   * reference data the web app holds; pages fall back to the id without it.
   */
  contractName?: (contractId: string) => string;
  /** A contract's RAG thresholds (its programme's `rag`), so each tag can say its threshold. */
  ragRule?: (contractId: string) => RagRule | undefined;
}

export interface NamedQuery<P extends QueryParams> {
  sql: string;
  /** Parameters bound by name; a function of the page's parameters when they depend on the URL. */
  params?: QueryParams | ((params: P) => QueryParams);
  /**
   * For a query whose page shows one part of what it reads (one quarter of the contract's
   * months, say): the query reads every part at once, each row naming its part in `column`, and
   * the page keeps the rows of the part `of(params)`, in the query's order, without `column`.
   * The query's own parameters then leave the part out, so one result, kept per build
   * (pipelines/transform/result-cache.ts), serves every value of that filter with no query
   * (docs/decisions/043-one-query-per-contract.md).
   */
  part?: { column: string; of: (params: P) => string };
  /**
   * Run the query once for each of these parameters (each contract of the page, in order) and
   * show their rows one after the other, so each contract's result is read and kept once
   * whichever set of contracts a page shows. `params` is then not used.
   */
  each?: (params: P) => QueryParams[];
}

/** Each result's rows by part, worked out once per result (a kept result is shared and frozen). */
const partsOf = new WeakMap<readonly Row[], Map<string, Row[]>>();

function partOf(result: QueryResult, column: string, part: string): QueryResult {
  let parts = partsOf.get(result.rows);
  if (!parts) {
    parts = new Map();
    for (const row of result.rows) {
      const { [column]: name, ...rest } = row;
      const key = String(name);
      const rows = parts.get(key) ?? [];
      if (!rows.length) parts.set(key, rows);
      rows.push(rest);
    }
    partsOf.set(result.rows, parts);
  }
  return { columns: result.columns.filter((c) => c !== column), rows: parts.get(part) ?? [] };
}

/** One of a page's queries for the page's parameters: its rows, or its part's rows. */
async function runQuery<P extends QueryParams>(
  q: NamedQuery<P>,
  db: QueryRunner,
  pageParams: P,
): Promise<QueryResult> {
  const one = async (params: QueryParams | undefined): Promise<QueryResult> => {
    if (!q.part) return db.query(q.sql, params);
    const part = q.part.of(pageParams);
    if (db.queryPart) return db.queryPart(q.sql, params, q.part.column, part);
    return partOf(await db.query(q.sql, params), q.part.column, part);
  };
  if (!q.each) return one(typeof q.params === 'function' ? q.params(pageParams) : q.params);
  const results: QueryResult[] = [];
  for (const params of q.each(pageParams)) results.push(await one(params));
  return {
    columns: results[0]?.columns ?? [],
    rows: results.flatMap((r) => r.rows),
  };
}

/** A table the page offers as a download: which query's rows, under which columns. */
export interface DownloadableTable<Q extends string> {
  title: string;
  query: Q;
  columns: readonly Column[];
  /** The query's rows as the download holds them (names for ids, counts as numbers); default as they come. */
  prepare?: (rows: Row[]) => Row[];
}

export interface ReportPage<P extends QueryParams = QueryParams, Q extends string = string> {
  /** Stable, URL-safe: used in download links and published file names. */
  id: string;
  /** The page's title, for the browser tab; a function when it depends on the results. */
  title: string | ((results: Record<Q, QueryResult>, context: PageContext<P>) => string);
  description: string;
  queries: Record<Q, NamedQuery<P>>;
  tables?: Record<string, DownloadableTable<Q>>;
  render(results: Record<Q, QueryResult>, context: PageContext<P>): Html;
}

/** Runs each of a page's queries in turn (one DuckDB connection runs one statement at a time). */
export async function runQueries<P extends QueryParams, Q extends string>(
  page: ReportPage<P, Q>,
  db: QueryRunner,
  context: PageContext<P>,
): Promise<Record<Q, QueryResult>> {
  const results = {} as Record<Q, QueryResult>;
  for (const name of Object.keys(page.queries) as Q[])
    results[name] = await runQuery(page.queries[name], db, context.params);
  return results;
}

/** The whole HTML document for a page. */
export async function renderPage<P extends QueryParams, Q extends string>(
  page: ReportPage<P, Q>,
  db: QueryRunner,
  context: PageContext<P>,
): Promise<Html> {
  const results = await runQueries(page, db, context);
  const title = typeof page.title === 'function' ? page.title(results, context) : page.title;
  return layout({
    title,
    content: page.render(results, context),
    navigation: context.navigation,
    basePath: context.basePath,
    phase: context.phase,
    signedIn: context.signedIn,
  });
}

export class UnknownTableError extends OutturnError {
  constructor(message = 'There is no such table on this page.') {
    super('not-found', message);
    this.name = 'UnknownTableError';
  }
}

/** One of a page's tables as CSV or XLSX, from the same query the page shows. */
export async function renderDownload<P extends QueryParams, Q extends string>(
  page: ReportPage<P, Q>,
  db: QueryRunner,
  context: PageContext<P>,
  tableName: string,
  format: 'csv' | 'xlsx',
): Promise<Download> {
  const table = page.tables?.[tableName];
  if (!table) throw new UnknownTableError(`The page ${page.id} has no table called ${tableName}.`);
  const { rows: queried } = await runQuery(page.queries[table.query], db, context.params);
  const rows = table.prepare ? table.prepare(queried) : queried;
  return format === 'csv'
    ? toCsvDownload(table.columns, rows)
    : toXlsxDownload(table.title, table.columns, rows);
}
