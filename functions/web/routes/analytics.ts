/**
 * Ad-hoc analytics: analysts write one query in the Athena (Trino) dialect over the marts they
 * may read (docs/decisions/019-ad-hoc-analytics.md, 020-restricted-engine.md).
 *
 * Where it runs is `queryEngineKind` (auth/policy.ts). Admins: every exported mart, in Athena when
 * the app has `athena` settings (AWS) and over the local marts in DuckDB otherwise. Commissioners
 * and contract managers: the restricted engine for their scope, a DuckDB instance that holds only
 * the published tables and only their contracts' rows, with no file access — so what they may
 * not see is out of reach whatever the SQL says. Providers: none (403). The dialect checker is a
 * lint (what would not run on Athena, and a clear refusal for a table the caller may not read),
 * not the access control. Every query has a deadline, a row ceiling and a memory ceiling, and is
 * stopped when the request is closed. Every query run, failed or refused for a table leaves an
 * audit entry with the SQL.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { AthenaEngine } from '../../../pipelines/analytics/athena.js';
import {
  AnalyticsError,
  MAX_ROWS_LIMIT,
  type AnalyticsEngine,
  type AnalyticsErrorKind,
  type AnalyticsResult,
  type ParamValue,
} from '../../../pipelines/analytics/engine.js';
import { LocalEngine } from '../../../pipelines/analytics/local.js';
import {
  openRestricted,
  RESTRICTED_MEMORY_LIMIT,
  scopeKey,
} from '../../../pipelines/analytics/restricted.js';
import {
  ALL_TABLE_NAMES,
  describeTables,
  EXPORTED_MART_NAMES,
} from '../../../pipelines/analytics/tables.js';
import { checkAthenaSql, type SqlProblem } from '../../../pipelines/analytics/trino-dialect.js';
import { toCsvDownload } from '../../../reports/export.js';
import { route, type Caller, type Route } from '../auth/guard.js';
import {
  AccessRefusedError,
  queryableTables,
  queryEngineKind,
  restrictedScope,
  userAccess,
} from '../../../pipelines/access/index.js';
import type { Deps } from '../deps.js';
import type { QueryResultShape } from '../api-shapes.js';
import { WebError } from '../errors.js';
import {
  analyticsPage,
  analyticsPath,
  PAGE_ROWS,
  resultColumns,
  type AnalyticsForm,
} from '../../../reports/pages/analytics/index.js';
import { auditAnalyticsQuery } from './audit-hooks.js';

export const analyticsApiPath = '/api/analytics/query';

/** Engines per app, by scope: an Athena client is made once, not per request. */
const engines = new WeakMap<Deps, Map<string, AnalyticsEngine>>();

/** The engine the caller's queries run in (null for a provider, who may not query). */
export function analyticsEngine(deps: Deps, caller: Caller): AnalyticsEngine | null {
  const kind = queryEngineKind(caller.user);
  if (!kind) return null;
  let mine = engines.get(deps);
  if (!mine) engines.set(deps, (mine = new Map()));
  const scope = kind === 'restricted' ? restrictedScope(caller.user, caller.reference) : null;
  const key = scope ? `restricted|${scopeKey(scope)}` : 'full';
  let engine = mine.get(key);
  if (!engine) {
    engine = scope
      ? new LocalEngine(() => openRestricted(deps.store, scope, { source: deps.publishedSource }), {
          memoryLimit: RESTRICTED_MEMORY_LIMIT,
        })
      : deps.athena
        ? new AthenaEngine(deps.athena)
        : new LocalEngine(deps.store);
    mine.set(key, engine);
  }
  return engine;
}

/** The caller's engine; 403 for those who may query none. */
function engineFor(deps: Deps, caller: Caller): AnalyticsEngine {
  const engine = analyticsEngine(deps, caller);
  if (!engine) throw noQueries();
  return engine;
}

// The routes' access kind refuses these callers first; this keeps the functions safe alone.
const noQueries = () => new AccessRefusedError('forbidden', userAccess.analytics.refusal);

/** The tables the caller may query; 403 for those who may query none. */
function allowedTables(caller: Caller): readonly string[] {
  const tables = queryableTables(caller.user);
  if (!tables) throw noQueries();
  return tables;
}

export type QueryOutcome =
  | { kind: 'ran'; result: AnalyticsResult }
  /** The query must change first: 400 for the dialect, 403 for a table the caller may not read. */
  | { kind: 'problems'; status: 400 | 403; problems: SqlProblem[] }
  | { kind: 'failed'; status: 400 | 409 | 503 | 504; message: string };

const failureStatus: Record<AnalyticsErrorKind, 400 | 409 | 503 | 504> = {
  parameters: 400,
  failed: 400,
  memory: 400,
  'scan-limit': 400,
  cancelled: 409,
  timeout: 504,
  'no-data': 503,
};

/** Checks the query against the dialect and the caller's tables, runs it, and records it in the audit log. */
export async function runQuery(
  c: Context,
  deps: Deps,
  caller: Caller,
  request: { sql: string; params: readonly ParamValue[]; maxRows: number },
): Promise<QueryOutcome> {
  const tables = allowedTables(caller);
  const engine = engineFor(deps, caller);
  const now = deps.now();
  const record = (
    a: Omit<Parameters<typeof auditAnalyticsQuery>[3], 'sql' | 'params' | 'engine'>,
  ) =>
    auditAnalyticsQuery(
      deps.store,
      c,
      caller.user.id,
      { sql: request.sql, params: request.params, engine: engine.name, ...a },
      now,
    );

  const problems = checkAthenaSql(request.sql, {
    tables,
    knownTables: EXPORTED_MART_NAMES,
    forbiddenNames: ALL_TABLE_NAMES,
    database: engine.database,
  });
  const refused = problems.filter((p) => p.rule === 'table-not-allowed');
  if (refused.length) {
    await record({ outcome: 'refused', reason: refused.map((p) => p.message).join(' ') });
    return { kind: 'problems', status: 403, problems: refused };
  }
  if (problems.length) return { kind: 'problems', status: 400, problems };
  try {
    const result = await engine.run(request.sql, request.params, request.maxRows, {
      signal: c.req.raw.signal,
    });
    await record({
      outcome: 'ran',
      rows: result.rows.length,
      ...(result.scannedBytes !== undefined ? { scannedBytes: result.scannedBytes } : {}),
      ...(result.queryExecutionId ? { queryExecutionId: result.queryExecutionId } : {}),
    });
    return { kind: 'ran', result };
  } catch (e) {
    if (!(e instanceof AnalyticsError)) throw e;
    await record({
      outcome: 'failed',
      reason: e.message,
      ...(e.scannedBytes !== undefined ? { scannedBytes: e.scannedBytes } : {}),
    });
    return { kind: 'failed', status: failureStatus[e.kind], message: e.message };
  }
}

/** A problem as one sentence for the page: what is wrong, then what to write. */
const problemText = (p: SqlProblem) => `${p.message} ${p.fix}`;

/** The page's form fields: the values for `?` are one a line, blank lines ignored. */
async function readForm(
  c: Context,
): Promise<AnalyticsForm & { download: boolean; values: string[] }> {
  const body = await c.req.parseBody();
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const params = text(body.params);
  return {
    sql: text(body.sql),
    params,
    download: body.download === 'csv',
    values: params.split(/\r?\n/).filter((line) => line.trim() !== ''),
  };
}

const apiRequest = z.object({
  sql: z.string({ error: 'Give the query as "sql", a string.' }),
  params: z
    .array(z.union([z.string(), z.number(), z.boolean(), z.null()]), {
      error: '"params" is a list of values for the ? marks: strings, numbers, booleans or null.',
    })
    .optional(),
  max_rows: z
    .number()
    .int()
    .min(1)
    .max(MAX_ROWS_LIMIT, { error: `"max_rows" is at most ${MAX_ROWS_LIMIT}.` })
    .optional(),
});

export const analyticsRoutes: Route[] = [
  route('GET', analyticsPath, { access: 'analytics' }, (c, { deps, caller }) => {
    const tables = allowedTables(caller);
    const engine = engineFor(deps, caller);
    return c.html(
      analyticsPage({
        tables: describeTables(tables),
        engine: engine.name,
        database: engine.database,
        form: { sql: '', params: '' },
      }).toString(),
    );
  }),

  route('POST', analyticsPath, { access: 'analytics' }, async (c, { deps, caller }) => {
    const tables = describeTables(allowedTables(caller));
    const engine = engineFor(deps, caller);
    const form = await readForm(c);
    const page = (
      status: 200 | 400 | 403 | 409 | 503 | 504,
      extra: Pick<Parameters<typeof analyticsPage>[0], 'problems' | 'result'>,
    ) =>
      c.html(
        analyticsPage({
          tables,
          engine: engine.name,
          database: engine.database,
          form: { sql: form.sql, params: form.params },
          ...extra,
        }).toString(),
        status,
      );
    const outcome = await runQuery(c, deps, caller, {
      sql: form.sql,
      params: form.values,
      maxRows: form.download ? MAX_ROWS_LIMIT : PAGE_ROWS,
    });
    if (outcome.kind === 'problems')
      return page(outcome.status, {
        problems: outcome.problems.map((p) => ({ text: problemText(p) })),
      });
    if (outcome.kind === 'failed')
      return page(outcome.status, { problems: [{ text: outcome.message }] });
    if (!form.download) return page(200, { result: outcome.result });
    const download = toCsvDownload(resultColumns(outcome.result, 'download'), outcome.result.rows);
    return c.body(download.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': download.contentType,
      'content-disposition': 'attachment; filename="outturn-query.csv"',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  }),

  route('POST', analyticsApiPath, { access: 'analytics' }, async (c, { deps, caller }) => {
    allowedTables(caller);
    const body: unknown = await c.req.json().catch(() => {
      throw new WebError(400, 'Send the query as JSON: {"sql": "SELECT …", "params": []}.');
    });
    const parsed = apiRequest.safeParse(body);
    if (!parsed.success)
      throw new WebError(
        400,
        parsed.error.issues[0]?.message ?? 'Send {"sql": "SELECT …", "params": []}.',
      );
    const { sql, params = [], max_rows: maxRows = PAGE_ROWS } = parsed.data;
    const outcome = await runQuery(c, deps, caller, { sql, params, maxRows });
    if (outcome.kind === 'problems') {
      const error = outcome.problems.map(problemText).join(' ');
      if (outcome.status === 403) return c.json({ error }, 403);
      return c.json(
        {
          error: `Change the query before it can run. ${error}`,
          problems: outcome.problems.map(({ rule, message, fix, at }) => ({
            rule,
            message,
            fix,
            ...(at !== undefined ? { at } : {}),
          })),
        },
        400,
      );
    }
    if (outcome.kind === 'failed') return c.json({ error: outcome.message }, outcome.status);
    const { result } = outcome;
    const answer: QueryResultShape = {
      columns: result.columns,
      rows: result.rows,
      engine: result.engine,
      scanned_bytes: result.scannedBytes ?? null,
      truncated: result.truncated,
      ...(result.queryExecutionId ? { query_execution_id: result.queryExecutionId } : {}),
    };
    return c.json(answer);
  }),
];
