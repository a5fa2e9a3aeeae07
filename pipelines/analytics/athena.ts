/**
 * Ad-hoc queries in AWS: one query through Athena, in the workgroup (which holds the results
 * location and the per-query scan cutoff) over the Glue database with one table per exported
 * mart (docs/decisions/015-aws-deployment.md).
 *
 * StartQueryExecution → GetQueryExecution, polled with backoff until the query settles or the
 * time allowed runs out (then StopQueryExecution) → GetQueryResults, page by page. Values come
 * back as text and are typed from the result's column metadata.
 *
 * @example
 *   const engine = new AthenaEngine({ workgroup: 'outturn', database: 'outturn', client: new AthenaClient({}) });
 *   const { rows, scannedBytes } = await engine.run('SELECT count(*) AS n FROM suppressed_performance WHERE period = ?', ['2025-04'], 100);
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
  type StartQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import {
  AnalyticsError,
  CLIENT_GONE_MESSAGE,
  deadlineMessage,
  normaliseType,
  QUERY_DEADLINE_MS,
  prepareQuery,
  rowObjects,
  uniqueNames,
  type AnalyticsEngine,
  type AnalyticsResult,
  type ParamValue,
  type ResultColumn,
  type RunOptions,
} from './engine.js';

export type AthenaCommand =
  | StartQueryExecutionCommand
  | GetQueryExecutionCommand
  | GetQueryResultsCommand
  | StopQueryExecutionCommand;

/** What the engine needs of an Athena client: an `AthenaClient`, or a fake in tests. */
export interface AthenaSender {
  send(command: AthenaCommand): Promise<unknown>;
}

export interface AthenaSettings {
  /** The workgroup: `OUTTURN_ATHENA_WORKGROUP`. It sets the results location and the scan cutoff. */
  workgroup: string;
  /** The Glue database with one table per exported mart: `OUTTURN_GLUE_DATABASE`. */
  database: string;
  /** Default: a new AthenaClient for the function's own region and role. */
  client?: AthenaSender;
  /** How long a query may take before it is stopped. Default 25 s: API Gateway gives up at 30. */
  timeoutMs?: number;
  /** The first wait between polls, doubled each time up to `maxPollMs`. Default 200 ms. */
  firstPollMs?: number;
  /** Default 2 s. */
  maxPollMs?: number;
  /** For tests: the clock and the wait. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A parameter as Athena's ExecutionParameters want it: the text of an SQL literal. Strings are
 * quoted with quotes inside doubled, so a value can never end the literal and become SQL.
 *
 * @example athenaLiteral("O'Brien") // "'O''Brien'"
 */
export function athenaLiteral(value: ParamValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new AnalyticsError(
        'parameters',
        `${value} is not a number a query can use: give a finite number.`,
      );
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Athena's words when a query is stopped by the workgroup's per-query data limit. */
const SCAN_LIMIT =
  /bytes scanned limit|scanned limit was exceeded|data limit|BytesScannedCutoff|exceeded the (?:query )?(?:data|scan)/i;

const PAGE_SIZE = 1000;

export class AthenaEngine implements AnalyticsEngine {
  readonly name = 'athena' as const;
  readonly database: string;
  private readonly settings: Required<Omit<AthenaSettings, 'client'>> & { client: AthenaSender };

  constructor(settings: AthenaSettings) {
    this.database = settings.database;
    this.settings = {
      workgroup: settings.workgroup,
      database: settings.database,
      client: settings.client ?? new AthenaClient({}),
      timeoutMs: settings.timeoutMs ?? QUERY_DEADLINE_MS,
      firstPollMs: settings.firstPollMs ?? 200,
      maxPollMs: settings.maxPollMs ?? 2_000,
      now: settings.now ?? (() => Date.now()),
      sleep: settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }

  private send<T>(command: AthenaCommand): Promise<T> {
    return this.settings.client.send(command) as Promise<T>;
  }

  async run(
    sql: string,
    params: readonly ParamValue[],
    maxRows: number,
    options: RunOptions = {},
  ): Promise<AnalyticsResult> {
    const limited = prepareQuery(sql, params, maxRows);
    if (options.signal?.aborted) throw new AnalyticsError('cancelled', CLIENT_GONE_MESSAGE);
    const { workgroup, database } = this.settings;
    const started = await this.send<StartQueryExecutionCommandOutput>(
      new StartQueryExecutionCommand({
        QueryString: limited,
        QueryExecutionContext: { Database: database },
        WorkGroup: workgroup,
        ...(params.length ? { ExecutionParameters: params.map(athenaLiteral) } : {}),
      }),
    );
    const id = started.QueryExecutionId;
    if (!id)
      throw new AnalyticsError(
        'failed',
        'Athena did not start the query (it gave no execution id). Try again.',
      );
    const execution = await this.settle(id, options.signal);
    const scannedBytes = execution.Statistics?.DataScannedInBytes;
    const { columns, rows } = await this.results(id, maxRows + 1);
    return {
      columns,
      rows: rows.slice(0, maxRows),
      ...(scannedBytes !== undefined ? { scannedBytes } : {}),
      engine: 'athena',
      truncated: rows.length > maxRows,
      queryExecutionId: id,
    };
  }

  /** Polls until the query has SUCCEEDED; throws for FAILED, CANCELLED, too long or the client gone. */
  private async settle(id: string, signal?: AbortSignal): Promise<QueryExecution> {
    const { now, sleep, timeoutMs, maxPollMs } = this.settings;
    const deadline = now() + timeoutMs;
    let wait = this.settings.firstPollMs;
    for (;;) {
      const { QueryExecution: execution } = await this.send<GetQueryExecutionCommandOutput>(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const state = execution?.Status?.State;
      const reason =
        execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? '';
      const scanned = execution?.Statistics?.DataScannedInBytes;
      if (state === 'SUCCEEDED') return execution!;
      if ((state === 'FAILED' || state === 'CANCELLED') && SCAN_LIMIT.test(reason))
        throw new AnalyticsError(
          'scan-limit',
          'The query would read more data than one query may, so Athena stopped it. Narrow it by contract or period: add WHERE contract_id = ? or WHERE period BETWEEN ? AND ?, and select only the columns you need.',
          scanned,
        );
      if (state === 'FAILED')
        throw new AnalyticsError(
          'failed',
          `Athena could not run the query: ${reason || 'it gave no reason'}. Change the query and run it again.`,
          scanned,
        );
      if (state === 'CANCELLED')
        throw new AnalyticsError(
          'cancelled',
          `The query was cancelled in Athena before it finished${reason ? ` (${reason})` : ''}. Run it again.`,
          scanned,
        );
      const gone = signal?.aborted === true;
      if (gone || now() + wait > deadline) {
        await this.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(
          () => undefined,
        );
        throw gone
          ? new AnalyticsError('cancelled', CLIENT_GONE_MESSAGE, scanned)
          : new AnalyticsError('timeout', deadlineMessage(timeoutMs), scanned);
      }
      await sleep(wait);
      wait = Math.min(wait * 2, maxPollMs);
    }
  }

  /** Up to `max` rows, page by page; the first row of the first page is the header. */
  private async results(
    id: string,
    max: number,
  ): Promise<{ columns: ResultColumn[]; rows: Record<string, unknown>[] }> {
    let columns: ResultColumn[] | null = null;
    const values: (string | null)[][] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await this.send<GetQueryResultsCommandOutput>(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          MaxResults: Math.min(PAGE_SIZE, max + (first ? 1 : 0)),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      columns ??= athenaColumns(page);
      const rows = page.ResultSet?.Rows ?? [];
      for (const [i, row] of rows.entries()) {
        if (first && i === 0) continue;
        values.push((row.Data ?? []).map((d) => d.VarCharValue ?? null));
      }
      first = false;
      token = page.NextToken;
    } while (token && values.length < max);
    return { columns: columns ?? [], rows: rowObjects(columns ?? [], values.slice(0, max)) };
  }
}

function athenaColumns(page: GetQueryResultsCommandOutput): ResultColumn[] {
  const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
  const names = uniqueNames(info.map((c, i) => c.Label ?? c.Name ?? `column_${i + 1}`));
  return info.map((c, i) => ({ name: names[i]!, type: normaliseType(c.Type ?? 'varchar') }));
}
