/**
 * One download scheme: every table downloads from the page that shows it, as
 * `<page>?table=<table>&format=csv|xlsx`, from the same query the page runs (reports/page.ts
 * renderDownload). The page's own filters apply to its downloads.
 *
 * The older URLs, `/contracts/:id/download/<table>.<format>` and
 * `/programmes/:programme/download/<table>.<format>`, answer a permanent redirect to their
 * place in this scheme, so links saved from earlier pages keep working.
 */
import type { Context } from 'hono';
import type { Download } from '../../../reports/export.js';
import {
  renderDownload,
  UnknownTableError,
  type PageContext,
  type QueryParams,
  type QueryRunner,
  type ReportPage,
} from '../../../reports/page.js';
import { route, type Route } from '../auth/guard.js';
import { WebError } from '../errors.js';

export type DownloadFormat = 'csv' | 'xlsx';
const formats: readonly string[] = ['csv', 'xlsx'];

/**
 * Where a page's table downloads live: the page's own path and filters, with `table` and `format`.
 *
 * @example downloadHref('/programmes/plp', { area: 'E08000025' })('programme-overview', 'outcomes', 'csv') // '/programmes/plp?area=E08000025&table=outcomes&format=csv'
 */
export const downloadHref =
  (path: string, filters: Record<string, string | undefined> = {}) =>
  (_page: string, table: string, format: DownloadFormat): string => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
    query.set('table', table);
    query.set('format', format);
    return `${path}?${query.toString()}`;
  };

/** Whether the request asks for a table rather than the page (checked before who may download). */
export function wantsDownload(c: Context): boolean {
  return c.req.query('table') !== undefined || c.req.query('format') !== undefined;
}

/**
 * The table and format the request asks for, or null when it asks for the page. 400 for a format
 * Outturn does not make, 404 for a table the page does not have.
 */
export function askedDownload(
  c: Context,
  page: Pick<ReportPage, 'tables'>,
): { table: string; format: DownloadFormat } | null {
  const table = c.req.query('table');
  const format = c.req.query('format');
  if (table === undefined && format === undefined) return null;
  const tables = Object.keys(page.tables ?? {});
  if (format === undefined || !formats.includes(format))
    throw new WebError(
      400,
      `Downloads are CSV or XLSX: add format=csv or format=xlsx to the address.`,
    );
  if (table === undefined || !tables.includes(table))
    throw new WebError(
      404,
      `There is no table called "${table ?? ''}" to download. The tables are: ${tables.join(', ')}.`,
    );
  return { table, format: format as DownloadFormat };
}

/** Letters, digits and dashes only, so a file name cannot break the header. */
const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');

/** A download as an attachment, never cached. */
export function attachment(c: Context, download: Download, fileName: string): Response {
  return c.body(download.body as Uint8Array<ArrayBuffer>, 200, {
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${safeName(fileName)}.${download.extension}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
}

/**
 * The asked-for table of `page` as an attachment named `<name>-<table>[-<suffix>]`.
 *
 * @example return sendDownload(c, contractPerformance, db, { params }, asked, contract.id);
 */
export async function sendDownload<P extends QueryParams, Q extends string>(
  c: Context,
  page: ReportPage<P, Q>,
  db: QueryRunner,
  context: PageContext<P>,
  asked: { table: string; format: DownloadFormat },
  name: string,
  suffix = '',
): Promise<Response> {
  try {
    const download = await renderDownload(page, db, context, asked.table, asked.format);
    return attachment(c, download, `${name}-${asked.table}${suffix ? `-${suffix}` : ''}`);
  } catch (e) {
    if (e instanceof UnknownTableError)
      throw new WebError(404, 'There is no such table on this page.');
    throw e;
  }
}

/** `performance.csv` → `?table=performance&format=csv`, the rest of the query string kept. */
function redirectToPage(c: Context, pagePath: string): Response {
  const file = c.req.param('file') ?? '';
  const dot = file.lastIndexOf('.');
  const query = new URLSearchParams(new URL(c.req.url).search);
  query.set('table', dot > 0 ? file.slice(0, dot) : file);
  query.set('format', dot > 0 ? file.slice(dot + 1) : '');
  return c.redirect(`${pagePath}?${query.toString()}`, 301);
}

export const downloadRoutes: Route[] = [
  // Redirects only: the page they send to applies the access rules.
  route('GET', '/contracts/:id/download/:file', { access: 'anyone' }, (c) =>
    redirectToPage(c, `/contracts/${encodeURIComponent(c.req.param('id') ?? '')}`),
  ),
  route('GET', '/programmes/:programme/download/:file', { access: 'anyone' }, (c) =>
    redirectToPage(c, `/programmes/${encodeURIComponent(c.req.param('programme') ?? '')}`),
  ),
];
