/**
 * The Athena engine against a hand-written fake client. There is no local Athena (nor a
 * container of one) to run a query against, so these tests prove what the engine sends and how it
 * reads what Athena answers, using answers shaped as the Athena API documents them: the header
 * row first on the first page of GetQueryResults, every value as VarCharValue text, a missing
 * VarCharValue for NULL. Whether a query's SQL means the same in Trino is the dialect checker's
 * job, and every query sent here is put through it.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type ColumnInfo,
  type GetQueryExecutionCommandOutput,
  type GetQueryResultsCommandOutput,
  type QueryExecutionState,
} from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import {
  AthenaEngine,
  athenaLiteral,
  type AthenaCommand,
  type AthenaSender,
} from '../../../pipelines/analytics/athena.js';
import { AnalyticsError } from '../../../pipelines/analytics/engine.js';
import { checkAthenaSql } from '../../../pipelines/analytics/trino-dialect.js';

type Status = { state: QueryExecutionState; reason?: string; scanned?: number };

/** A fake Athena: answers each command class from a script and records every command sent. */
class FakeAthena implements AthenaSender {
  readonly sent: AthenaCommand[] = [];
  statuses: Status[] = [{ state: 'SUCCEEDED', scanned: 1234 }];
  pages: GetQueryResultsCommandOutput[] = [];

  async send(command: AthenaCommand): Promise<unknown> {
    this.sent.push(command);
    if (command instanceof StartQueryExecutionCommand)
      return { QueryExecutionId: 'qe-1', $metadata: {} };
    if (command instanceof GetQueryExecutionCommand) {
      const status = this.statuses.length > 1 ? this.statuses.shift()! : this.statuses[0]!;
      const out: GetQueryExecutionCommandOutput = {
        $metadata: {},
        QueryExecution: {
          QueryExecutionId: command.input.QueryExecutionId,
          Status: {
            State: status.state,
            ...(status.reason ? { StateChangeReason: status.reason } : {}),
          },
          ...(status.scanned !== undefined
            ? { Statistics: { DataScannedInBytes: status.scanned } }
            : {}),
        },
      };
      return out;
    }
    if (command instanceof GetQueryResultsCommand) {
      const index = command.input.NextToken ? Number(command.input.NextToken) : 0;
      const page = this.pages[index];
      if (!page) throw new Error(`no page ${index}`);
      return page;
    }
    if (command instanceof StopQueryExecutionCommand) return { $metadata: {} };
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  }

  of<C extends AthenaCommand>(kind: new (...args: never[]) => C): C[] {
    return this.sent.filter((c): c is C => c instanceof kind);
  }
}

const columns: ColumnInfo[] = [
  { Name: 'contract_id', Label: 'contract_id', Type: 'varchar' },
  { Name: 'months', Label: 'months', Type: 'integer' },
  { Name: 'people', Label: 'people', Type: 'bigint' },
  { Name: 'rate', Label: 'rate', Type: 'double' },
  { Name: 'late', Label: 'late', Type: 'boolean' },
  { Name: 'first_day', Label: 'first_day', Type: 'date' },
  { Name: 'cost', Label: 'cost', Type: 'decimal' },
];
const header = { Data: columns.map((c) => ({ VarCharValue: c.Name })) };
const row = (...values: (string | undefined)[]) => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});

function page(
  rows: ReturnType<typeof row>[],
  next?: string,
  withHeader = false,
): GetQueryResultsCommandOutput {
  return {
    $metadata: {},
    ResultSet: {
      Rows: [...(withHeader ? [header] : []), ...rows],
      ResultSetMetadata: { ColumnInfo: columns },
    },
    ...(next ? { NextToken: next } : {}),
  };
}

/** A clock that moves only when the engine sleeps, and the sleeps it was asked for. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
}

function engine(fake: FakeAthena, time = fakeTime(), timeoutMs = 10_000) {
  return new AthenaEngine({
    workgroup: 'outturn-wg',
    database: 'outturn_db',
    client: fake,
    now: time.now,
    sleep: time.sleep,
    timeoutMs,
    firstPollMs: 100,
    maxPollMs: 800,
  });
}

const sql =
  'SELECT contract_id, months, people, rate, late, first_day, cost FROM suppressed_performance WHERE period = ? AND contract_id = ?';

describe('AthenaEngine.run', () => {
  it('starts the query in the workgroup and database, with the parameters as SQL literals, and sends SQL that passes the checker', async () => {
    const fake = new FakeAthena();
    fake.pages = [
      page([row('plp-test', '3', '12', '0.5', 'false', '2025-01-01', '1200.50')], undefined, true),
    ];
    await engine(fake).run(sql, ['2025-01', "O'Brien"], 100);
    const [start] = fake.of(StartQueryExecutionCommand);
    expect(start!.input.WorkGroup).toBe('outturn-wg');
    expect(start!.input.QueryExecutionContext).toEqual({ Database: 'outturn_db' });
    expect(start!.input.ExecutionParameters).toEqual(["'2025-01'", "'O''Brien'"]);
    expect(start!.input.QueryString).toBe(`${sql}\nLIMIT 101`);
    expect(
      checkAthenaSql(start!.input.QueryString!, { tables: ['suppressed_performance'] }),
    ).toEqual([]);
  });

  it('sends no ExecutionParameters when there are none (Athena refuses an empty list)', async () => {
    const fake = new FakeAthena();
    fake.pages = [page([], undefined, true)];
    await engine(fake).run('SELECT contract_id FROM suppressed_performance', [], 10);
    expect(fake.of(StartQueryExecutionCommand)[0]!.input).not.toHaveProperty('ExecutionParameters');
  });

  it('types each value by its column and gives the bytes scanned', async () => {
    const fake = new FakeAthena();
    fake.pages = [
      page(
        [
          row('plp-test', '3', '9007199254740993', '0.25', 'true', '2025-01-01', '1200.50'),
          row('vrs-test', undefined, undefined, undefined, undefined, undefined, undefined),
        ],
        undefined,
        true,
      ),
    ];
    const result = await engine(fake).run(sql, ['2025-01', 'plp-test'], 100);
    expect(result.engine).toBe('athena');
    expect(result.scannedBytes).toBe(1234);
    expect(result.queryExecutionId).toBe('qe-1');
    expect(result.truncated).toBe(false);
    expect(result.columns).toEqual(columns.map((c) => ({ name: c.Name, type: c.Type })));
    expect(result.rows).toEqual([
      // A bigint past 2^53 stays text, exactly.
      {
        contract_id: 'plp-test',
        months: 3,
        people: '9007199254740993',
        rate: 0.25,
        late: true,
        first_day: '2025-01-01',
        cost: 1200.5,
      },
      {
        contract_id: 'vrs-test',
        months: null,
        people: null,
        rate: null,
        late: null,
        first_day: null,
        cost: null,
      },
    ]);
  });

  it('polls with a doubling wait, capped, until the query succeeds', async () => {
    const fake = new FakeAthena();
    fake.statuses = [
      { state: 'QUEUED' },
      { state: 'RUNNING' },
      { state: 'RUNNING' },
      { state: 'RUNNING' },
      { state: 'RUNNING' },
      { state: 'SUCCEEDED', scanned: 10 },
    ];
    fake.pages = [page([], undefined, true)];
    const time = fakeTime();
    await engine(fake, time).run('SELECT 1 AS one', [], 10);
    expect(time.sleeps).toEqual([100, 200, 400, 800, 800]);
    expect(fake.of(GetQueryExecutionCommand)).toHaveLength(6);
    expect(
      fake.of(GetQueryExecutionCommand).every((c) => c.input.QueryExecutionId === 'qe-1'),
    ).toBe(true);
  });

  it('reads every page, skipping the header on the first page only', async () => {
    const fake = new FakeAthena();
    fake.pages = [
      page([row('a', '1')], '1', true),
      page([row('b', '2'), row('c', '3')], '2'),
      page([row('d', '4')]),
    ];
    const result = await engine(fake).run(
      'SELECT contract_id, months FROM suppressed_performance',
      [],
      100,
    );
    expect(result.rows.map((r) => r.contract_id)).toEqual(['a', 'b', 'c', 'd']);
    const calls = fake.of(GetQueryResultsCommand).map((c) => c.input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, '1', '2']);
    expect(calls.every((c) => c.QueryExecutionId === 'qe-1' && c.MaxResults! <= 1000)).toBe(true);
  });

  it('stops reading once it has one row more than asked for, and says the result was cut short', async () => {
    const fake = new FakeAthena();
    fake.pages = [
      page([row('a'), row('b')], '1', true),
      page([row('c'), row('d')], '2'),
      page([row('e')]),
    ];
    const result = await engine(fake).run('SELECT contract_id FROM suppressed_performance', [], 2);
    expect(result.rows.map((r) => r.contract_id)).toEqual(['a', 'b']);
    expect(result.truncated).toBe(true);
    expect(fake.of(GetQueryResultsCommand)).toHaveLength(2);
  });

  it('a FAILED query gives Athena’s reason and what to do', async () => {
    const fake = new FakeAthena();
    fake.statuses = [
      { state: 'RUNNING' },
      { state: 'FAILED', reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" },
    ];
    const error = await engine(fake)
      .run('SELECT nope FROM suppressed_performance', [], 10)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalyticsError);
    expect((error as AnalyticsError).kind).toBe('failed');
    expect((error as AnalyticsError).message).toMatch(
      /Column 'nope' cannot be resolved.*Change the query/,
    );
    expect(fake.of(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('the workgroup’s scan cutoff tells the analyst to narrow the query by contract or period', async () => {
    for (const state of ['FAILED', 'CANCELLED'] as const) {
      const fake = new FakeAthena();
      fake.statuses = [
        {
          state,
          reason: 'Query cancelled: Bytes scanned limit was exceeded',
          scanned: 104_857_600,
        },
      ];
      const error = (await engine(fake)
        .run('SELECT * FROM suppressed_performance', [], 10)
        .catch((e: unknown) => e)) as AnalyticsError;
      expect(error.kind, state).toBe('scan-limit');
      expect(error.message).toMatch(/contract or period/);
      expect(error.scannedBytes).toBe(104_857_600);
    }
  });

  it('a CANCELLED query says so', async () => {
    const fake = new FakeAthena();
    fake.statuses = [{ state: 'CANCELLED' }];
    const error = (await engine(fake)
      .run('SELECT 1 AS one', [], 10)
      .catch((e: unknown) => e)) as AnalyticsError;
    expect(error.kind).toBe('cancelled');
    expect(error.message).toMatch(/cancelled.*Run it again/);
  });

  it('a query still running when the time is up is stopped, and the analyst told to narrow it', async () => {
    const fake = new FakeAthena();
    fake.statuses = [{ state: 'RUNNING' }];
    const time = fakeTime();
    const error = (await engine(fake, time, 3_000)
      .run('SELECT 1 AS one', [], 10)
      .catch((e: unknown) => e)) as AnalyticsError;
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/longer than 3 seconds.*contract or period/);
    expect(fake.of(StopQueryExecutionCommand).map((c) => c.input.QueryExecutionId)).toEqual([
      'qe-1',
    ]);
    expect(time.now()).toBeLessThanOrEqual(3_000);
  });

  it('a query whose client goes away is stopped in Athena (StopQueryExecution), and says why', async () => {
    const fake = new FakeAthena();
    fake.statuses = [{ state: 'RUNNING' }];
    const client = new AbortController();
    const time = fakeTime();
    // The client leaves during the third wait between polls.
    let waits = 0;
    const error = (await new AthenaEngine({
      workgroup: 'outturn-wg',
      database: 'outturn_db',
      client: fake,
      now: time.now,
      sleep: async (ms) => {
        await time.sleep(ms);
        if (++waits === 3) client.abort();
      },
      timeoutMs: 600_000,
    })
      .run('SELECT 1 AS one', [], 10, { signal: client.signal })
      .catch((e: unknown) => e)) as AnalyticsError;
    expect(error.kind).toBe('cancelled');
    expect(error.message).toMatch(/request was closed before it finished/);
    expect(fake.of(StopQueryExecutionCommand).map((c) => c.input.QueryExecutionId)).toEqual([
      'qe-1',
    ]);
    expect(fake.of(GetQueryResultsCommand)).toEqual([]);
  });

  it('refuses a parameter count that does not match the ? marks before sending anything', async () => {
    const fake = new FakeAthena();
    await expect(engine(fake).run(sql, ['2025-01'], 10)).rejects.toThrow(
      /2 \? parameters but 1 value was given/,
    );
    expect(fake.sent).toEqual([]);
  });
});

describe('athenaLiteral', () => {
  it('quotes strings with quotes inside doubled, and writes numbers, booleans and null as SQL', () => {
    expect(athenaLiteral("it's; DROP TABLE x --")).toBe("'it''s; DROP TABLE x --'");
    expect(athenaLiteral(12.5)).toBe('12.5');
    expect(athenaLiteral(true)).toBe('true');
    expect(athenaLiteral(null)).toBe('NULL');
    expect(() => athenaLiteral(Number.NaN)).toThrow(/finite/);
  });
});
