/**
 * Every table of the contract performance page and the programme overview as CSV or XLSX, from
 * the same queries the pages run (reports/page.ts renderDownload).
 *
 * Contract downloads carry the true figures, so they are for those who may see participant-level
 * rows (providers, contract managers, admins): a commissioner gets 403 and downloads the
 * programme's suppressed tables instead. The programme downloads read through the restricted
 * engine for the caller (only the published tables, only their contracts' rows: ADR 020).
 *
 * The URL's last segment is `<table>.<format>` (Hono cannot split one segment into two
 * parameters, so the route takes it whole as `:file`).
 */
import type { Context } from 'hono';
import type { Row } from '../../../reports/columns.js';
import type { Download } from '../../../reports/export.js';
import {
  renderDownload,
  type QueryParams,
  type QueryResult,
  type QueryRunner,
  type ReportPage,
} from '../../../reports/page.js';
import { contractPerformance } from '../../../reports/pages/contract-performance.js';
import {
  breakdownColumns,
  breakdownsQuery,
  outcomeColumns,
  performanceDownloadColumns,
  programmeOverview,
  timelinessColumns,
  type OverviewParams,
} from '../../../reports/pages/programme-overview.js';
import { formatPercent } from '../../../reports/format.js';
import type { Programme, ReferenceData } from '../../../pipelines/reference/schema.js';
import { openCurated, QueryError, type CuratedDb } from '../../../pipelines/transform/query.js';
import { route, type Route } from '../auth/guard.js';
import { WebError } from '../errors.js';
import { openPublished } from '../published.js';

export type DownloadFormat = 'csv' | 'xlsx';
const formats: readonly DownloadFormat[] = ['csv', 'xlsx'];

/** Where a contract page's table downloads live: pass as `downloadHref` when rendering the page. */
export const contractDownloadHref =
  (contractId: string) => (_page: string, table: string, format: DownloadFormat) =>
    `/contracts/${encodeURIComponent(contractId)}/download/${table}.${format}`;

/** Where a programme overview's table downloads live. */
export const programmeDownloadHref =
  (programmeId: string) => (_page: string, table: string, format: DownloadFormat) =>
    `/programmes/${encodeURIComponent(programmeId)}/download/${table}.${format}`;

/** `performance.csv` → table and format; 400 for a format we do not make, 404 for a table the page lacks. */
export function parseDownloadFile(
  file: string,
  tables: readonly string[],
): { table: string; format: DownloadFormat } {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9]+)$/.exec(file);
  if (!match)
    throw new WebError(
      404,
      `There is no download called "${file}". Downloads are named like performance.csv.`,
    );
  const [, table, format] = match as unknown as [string, string, string];
  if (!(formats as readonly string[]).includes(format))
    throw new WebError(400, `Downloads are CSV or XLSX: ask for ${table}.csv or ${table}.xlsx.`);
  if (!tables.includes(table))
    throw new WebError(
      404,
      `There is no table called "${table}" to download. The tables are: ${tables.join(', ')}.`,
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

// ---- The programme overview's tables -------------------------------------------------------

const programmeTableColumns = {
  performance: {
    title: 'Performance against profile',
    query: 'performance',
    columns: performanceDownloadColumns,
  },
  outcomes: { title: 'Job entry rates', query: 'outcomes', columns: outcomeColumns },
  timeliness: {
    title: 'Reporting rate and timeliness',
    query: 'timeliness',
    columns: timelinessColumns,
  },
  breakdown: {
    title: 'Job entry rates by breakdown',
    query: 'breakdown',
    columns: breakdownColumns,
  },
} satisfies ReportPage<
  OverviewParams,
  'performance' | 'outcomes' | 'timeliness' | 'breakdown'
>['tables'];

export const programmeTables = Object.keys(programmeTableColumns);

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The overview's query rows as the page shows them: area and provider by name, the interval as
 * words, and a display count that is a plain number ("6", not "<5") as a number so a spreadsheet
 * can add it up. Suppressed displays ("<5", "[c]") stay text.
 */
function namedRows(reference: ReferenceData, programme: Programme): (row: Row) => Row {
  const providers = new Map(reference.providers.map((p) => [p.id, p.name]));
  const contracts = new Map(
    reference.contracts.filter((x) => x.programme_id === programme.id).map((x) => [x.id, x]),
  );
  return (row) => {
    const contract = contracts.get(String(row.contract_id));
    const out: Row = { ...row };
    if (contract) {
      out.area = `${contract.area.name} (${contract.area.code})`;
      out.provider = providers.get(contract.provider_id) ?? contract.provider_id;
    }
    const low = num(row.job_entry_rate_low);
    const high = num(row.job_entry_rate_high);
    if ('job_entry_rate_low' in row)
      out.interval =
        low === null || high === null ? null : `${formatPercent(low)} to ${formatPercent(high)}`;
    for (const [key, value] of Object.entries(row))
      if (key.endsWith('_display') && typeof value === 'string' && /^\d+$/.test(value))
        out[key] = Number(value);
    return out;
  };
}

/** A runner whose rows pass through `keep` and `map`. */
const mapping = (
  db: QueryRunner,
  keep: (row: Row) => boolean,
  map: (row: Row) => Row,
): QueryRunner => ({
  async query(sql: string, params?: QueryParams): Promise<QueryResult> {
    const result = await db.query(sql, params);
    return { columns: result.columns, rows: result.rows.filter(keep).map(map) };
  },
});

export const downloadRoutes: Route[] = [
  route(
    'GET',
    '/contracts/:id/download/:file',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, contract }) => {
      const { table, format } = parseDownloadFile(
        c.req.param('file') ?? '',
        Object.keys(contractPerformance.tables ?? {}),
      );
      const db = await explainNoMarts(openCurated(deps.store));
      try {
        const download = await renderDownload(
          contractPerformance,
          db,
          { params: { contract: contract.id } },
          table,
          format,
        );
        return attachment(c, download, `${contract.id}-${table}`);
      } finally {
        db.close();
      }
    },
  ),

  route(
    'GET',
    '/programmes/:programme/download/:file',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const { reference } = caller;
      const { table, format } = parseDownloadFile(c.req.param('file') ?? '', programmeTables);
      const contracts = reference.contracts.filter((x) => x.programme_id === programme.id);
      const db = await explainNoMarts(openPublished(deps, caller));
      try {
        const breakdowns = (await db.query(breakdownsQuery, { programme: programme.id })).rows.map(
          (r) => String(r.breakdown),
        );
        const breakdown = (c.req.query('breakdown') ?? '').trim();
        if (table === 'breakdown' && !breakdowns.includes(breakdown))
          throw new WebError(
            400,
            breakdowns.length
              ? `Say which breakdown to download: add ?breakdown= and one of ${breakdowns.join(', ')}.`
              : 'There are no breakdowns for this programme yet.',
          );
        const none = { area: '', period: '', breakdown: '' };
        const page = {
          ...programmeOverview({
            programme: { id: programme.id, name: programme.name },
            profiledMeasures: programme.measures.filter((m) => m.profiled).map((m) => m.id),
            contracts: [],
            breakdowns,
            filters: none,
            entered: none,
            errors: [],
          }),
          tables: programmeTableColumns,
        };
        const params: OverviewParams = {
          programme: programme.id,
          contracts: contracts.map((x) => x.id).join(','),
          providers: [...new Set(contracts.map((x) => x.provider_id))].join(','),
          period: '',
          breakdown: table === 'breakdown' ? breakdown : '',
        };
        // As on the page, the performance table has the profiled measures only.
        const profiled = new Set(programme.measures.filter((m) => m.profiled).map((m) => m.id));
        const keep = (row: Row) => !('measure_id' in row) || profiled.has(String(row.measure_id));
        const download = await renderDownload(
          page,
          mapping(db, keep, namedRows(reference, programme)),
          { params },
          table,
          format,
        );
        return attachment(
          c,
          download,
          `${programme.id}-${table}${table === 'breakdown' ? `-${breakdown}` : ''}`,
        );
      } finally {
        db.close();
      }
    },
  ),
];

async function explainNoMarts(opening: Promise<CuratedDb>): Promise<CuratedDb> {
  try {
    return await opening;
  } catch (e) {
    if (e instanceof QueryError)
      throw new WebError(
        404,
        'There are no figures to download yet. They appear once a return has been accepted.',
      );
    throw e;
  }
}
