import { describe, expect, it } from 'vitest';
import {
  checkAthenaSql,
  placeholderCount,
  tablesReferenced,
  withLimit,
  type ProblemRule,
} from '../../../pipelines/analytics/trino-dialect.js';
import { tokenise } from '../../../pipelines/analytics/sql-tokens.js';

const tables = [
  'performance',
  'suppressed_performance',
  'suppressed_outcomes',
  'provider_timeliness',
];
const options = { tables, database: 'outturn' };
const rules = (sql: string, opts = options): ProblemRule[] =>
  checkAthenaSql(sql, opts).map((p) => p.rule);

describe('checkAthenaSql accepts queries that run in both Athena and DuckDB', () => {
  const good = [
    'SELECT * FROM performance',
    'select contract_id, sum(actual) AS total from performance group by contract_id order by total desc limit 10',
    '  \n SELECT 1 AS one  \n',
    'SELECT 1 -- a comment; with a semicolon and DROP TABLE in it\n',
    "SELECT 'DROP TABLE x; INSERT INTO y' AS text, 'a''b' AS quote FROM suppressed_performance",
    'SELECT "period", "contract_id" FROM "suppressed_performance"',
    'SELECT * FROM "outturn"."performance"',
    'SELECT p.contract_id FROM outturn.performance AS p JOIN suppressed_outcomes o ON o.contract_id = p.contract_id',
    "SELECT CAST(actual AS double) / profile AS share, DATE '2025-04-01' AS d FROM performance",
    "SELECT contract_id || '-' || period AS key FROM performance WHERE lower(measure_id) LIKE '%job%'",
    'SELECT * FROM performance WHERE contract_id = ? AND period BETWEEN ? AND ?',
    'WITH t AS (SELECT contract_id, count(*) AS n FROM performance GROUP BY contract_id) SELECT * FROM t WHERE n > 1',
    'WITH a (id) AS (SELECT contract_id FROM performance), b AS (SELECT * FROM a) SELECT * FROM b',
    'SELECT * FROM performance, suppressed_outcomes',
    'SELECT * FROM (SELECT contract_id FROM performance) sub',
    "SELECT extract(year FROM DATE '2025-01-01') AS y, substring(period FROM 1 FOR 4) AS yr FROM performance",
    'SELECT * FROM performance WHERE contract_id IS DISTINCT FROM provider_id',
    "SELECT date_diff('day', DATE '2025-01-01', DATE '2025-02-01') AS days, date_add('month', 1, DATE '2025-01-01') AS next",
    "SELECT approx_percentile(actual, 0.5) AS med, array_join(array_agg(contract_id), ', ') AS ids FROM performance",
    'SELECT row_number() OVER (PARTITION BY contract_id ORDER BY period) AS rn FROM performance',
    "SELECT ARRAY[1, 2] AS xs, element_at(ARRAY['a'], 1) AS x, (ARRAY[1, 2])[1] AS first_x",
    'SELECT * FROM performance CROSS JOIN UNNEST(ARRAY[1, 2]) AS t(n)',
    'SELECT * FROM performance p LEFT JOIN suppressed_outcomes o ON o.contract_id = p.contract_id RIGHT OUTER JOIN (SELECT contract_id FROM suppressed_performance) s ON true',
    "SELECT now() AS t, INTERVAL '1' DAY AS one_day, replace(period, '-', '') AS p FROM performance",
    '(SELECT contract_id FROM performance) UNION ALL (SELECT contract_id FROM suppressed_outcomes)',
    'SELECT * FROM performance ORDER BY period OFFSET 10 LIMIT 5',
    'SELECT * FROM (SELECT * FROM performance LIMIT 5) t WHERE contract_id IN (SELECT contract_id FROM suppressed_outcomes OFFSET 1)',
    'SELECT "select", "from" FROM performance /* from nowhere; drop */',
  ];
  for (const sql of good) it(sql, () => expect(checkAthenaSql(sql, options)).toEqual([]));
});

describe('checkAthenaSql refuses, naming the fix', () => {
  const bad: [string, ProblemRule, RegExp][] = [
    ['', 'empty', /SELECT/],
    ['-- only a comment', 'empty', /SELECT/],
    ['SELECT 1;', 'one-statement', /Remove the ;/],
    ['SELECT 1; SELECT 2', 'one-statement', /one query at a time/],
    ['SELECT 1;;', 'one-statement', /Remove the ;/],
    ['DROP TABLE performance', 'select-only', /Start the query with SELECT/],
    ["INSERT INTO performance VALUES ('x')", 'select-only', /SELECT/],
    ['CREATE TABLE x AS SELECT 1', 'select-only', /SELECT/],
    ["UNLOAD (SELECT 1) TO 's3://bucket/x' WITH (format = 'PARQUET')", 'select-only', /SELECT/],
    ['PRAGMA show_tables', 'select-only', /SELECT/],
    ["COPY performance TO 'x.csv'", 'select-only', /SELECT/],
    ["ATTACH 'x.db'", 'select-only', /SELECT/],
    ['INSTALL httpfs', 'select-only', /SELECT/],
    ["SET memory_limit = '1GB'", 'select-only', /SELECT/],
    ['FROM performance SELECT contract_id', 'select-only', /Put SELECT first/],
    ['WITH t AS (SELECT 1) INSERT INTO performance SELECT * FROM t', 'select-only', /read-only/],
    ['SELECT `contract_id` FROM performance', 'identifier-quotes', /"contract_id"/],
    ['SELECT actual::double FROM performance', 'cast', /CAST\(actual AS double\)/],
    ["SELECT * FROM performance WHERE measure_id ILIKE '%job%'", 'ilike', /lower\(x\) LIKE/],
    ['SELECT * FROM performance WHERE contract_id = $1', 'parameters', /\?/],
    ['SELECT * FROM performance WHERE contract_id = :contract', 'parameters', /\?/],
    ['SELECT * FROM performance WHERE actual == 1', 'operator', /=/],
    [
      "SELECT strftime(DATE '2025-01-01', '%Y') AS y",
      'duckdb-function',
      /date_format|format_datetime/,
    ],
    ['SELECT epoch_ms(1700000000000) AS t', 'duckdb-function', /from_unixtime/],
    ['SELECT list_value(1, 2) AS xs', 'duckdb-function', /ARRAY\[/],
    ['SELECT struct_pack(a := 1) AS s', 'duckdb-function', /ROW/],
    ["SELECT regexp_matches(period, '^2025') FROM performance", 'duckdb-function', /regexp_like/],
    [
      "SELECT string_agg(contract_id, ',') FROM performance",
      'duckdb-function',
      /array_join|listagg/,
    ],
    [
      "SELECT datediff('day', DATE '2025-01-01', DATE '2025-02-01') AS d",
      'duckdb-function',
      /date_diff/,
    ],
    ['SELECT median(actual) FROM performance', 'duckdb-function', /approx_percentile/],
    ['SELECT left(period, 4) AS y FROM performance', 'duckdb-function', /substr\(text, 1, n\)/],
    ["SELECT * FROM read_parquet('/data/curated/*.parquet')", 'duckdb-function', /table by name/],
    ["SELECT * FROM read_csv('x.csv')", 'duckdb-function', /table by name/],
    ['SELECT * FROM duckdb_tables()', 'duckdb-function', /tables/],
    ["SELECT * FROM query('SELECT * FROM stg_participants')", 'duckdb-function', /query itself/],
    ["SELECT current_setting('temp_directory') AS t", 'duckdb-function', /settings are not data/],
    ["SELECT * FROM 'data/curated/performance.parquet'", 'file-read', /by name/],
    ['SELECT * FROM some_table_function(1)', 'file-read', /by name/],
    ['SELECT * EXCLUDE (rag) FROM performance', 'duckdb-form', /List the columns/],
    ['SELECT * REPLACE (upper(rag) AS rag) FROM performance', 'duckdb-form', /List the columns/],
    ["SELECT COLUMNS('actual.*') FROM performance", 'duckdb-function', /columns/],
    [
      'SELECT contract_id FROM performance QUALIFY row_number() OVER (PARTITION BY contract_id) = 1',
      'duckdb-form',
      /subquery/,
    ],
    ['SELECT DISTINCT ON (contract_id) * FROM performance', 'duckdb-form', /row_number/],
    ['SELECT * FROM performance USING SAMPLE 10%', 'duckdb-form', /TABLESAMPLE/],
    ['SELECT contract_id, count(*) FROM performance GROUP BY ALL', 'duckdb-form', /GROUP BY 1/],
    ['SELECT * FROM performance ORDER BY ALL', 'duckdb-form', /GROUP BY 1|Name the columns/],
    ['SELECT [1, 2] AS xs', 'duckdb-form', /ARRAY\[a, b\]/],
    ["SELECT {'a': 1} AS s", 'duckdb-form', /ROW/],
    ["SELECT DATE '2025-01-01' + INTERVAL 1 DAY AS d", 'duckdb-form', /INTERVAL '1' DAY/],
    ["SELECT DATE '2025-01-01' + INTERVAL '1 day' AS d", 'duckdb-form', /INTERVAL '1' DAY/],
    ['SELECT * FROM performance LIMIT 5 OFFSET 10', 'duckdb-form', /OFFSET 10 LIMIT 5/],
    ['SELECT * FROM "other_db"."performance"', 'qualified-table', /performance/],
    ['SELECT * FROM awsdatacatalog.outturn.performance', 'qualified-table', /alone/],
    ['SELECT * FROM information_schema.tables', 'qualified-table', /alone/],
    ['SELECT * FROM no_such_table', 'unknown-table', /suppressed_performance/],
    ["SELECT 'unterminated FROM performance", 'syntax', /Close it/],
    ['SELECT 1 /* never closed', 'syntax', /Close it/],
  ];
  for (const [sql, rule, fix] of bad)
    it(`${rule}: ${sql || '(empty)'}`, () => {
      const problems = checkAthenaSql(sql, options);
      const match = problems.find((p) => p.rule === rule);
      expect(match, JSON.stringify(problems)).toBeDefined();
      expect(match!.message.length).toBeGreaterThan(5);
      expect(`${match!.message} ${match!.fix}`).toMatch(fix);
    });
});

describe('words inside strings, quoted names and comments never trigger a rule', () => {
  const inside = [
    "SELECT 'strftime(x) read_parquet(y) ILIKE :name $1 :: ; `x` INSERT' AS s",
    'SELECT 1 AS n -- ILIKE strftime( read_parquet( ; INSERT DROP `x` ::',
    'SELECT 1 AS n /* QUALIFY EXCLUDE ; UNLOAD $1 */',
    'SELECT "insert", "ilike", "qualify" FROM performance',
    "SELECT * FROM performance WHERE rag = 'FROM secret_table'",
  ];
  for (const sql of inside) it(sql, () => expect(checkAthenaSql(sql, options)).toEqual([]));
});

describe('the table allow-list', () => {
  it('tells a table the caller may not read from one that does not exist, listing those they may', () => {
    const opts = {
      tables: ['suppressed_performance'],
      knownTables: ['performance', 'suppressed_performance'],
      database: 'outturn',
    };
    const [refused] = checkAthenaSql('SELECT * FROM performance', opts);
    expect(refused).toMatchObject({ rule: 'table-not-allowed', at: 14 });
    expect(refused!.message).toMatch(/may not query performance/);
    expect(refused!.fix).toBe('Use one of the tables you may query: suppressed_performance.');
    expect(rules('SELECT * FROM nowhere', opts)).toEqual(['unknown-table']);
  });

  it('catches a forbidden table however it is reached: joins, comma lists, subqueries, CTEs, unions, qualified', () => {
    const opts = { tables: ['suppressed_performance'], knownTables: tables, database: 'outturn' };
    for (const sql of [
      'SELECT * FROM suppressed_performance s JOIN performance p ON p.contract_id = s.contract_id',
      'SELECT * FROM suppressed_performance, performance',
      'SELECT * FROM suppressed_performance WHERE contract_id IN (SELECT contract_id FROM performance)',
      'WITH x AS (SELECT * FROM performance) SELECT * FROM x',
      'SELECT contract_id FROM suppressed_performance UNION SELECT contract_id FROM performance',
      'SELECT * FROM "outturn"."performance"',
      'SELECT * FROM "PERFORMANCE"',
      'SELECT * FROM suppressed_performance LEFT OUTER JOIN (performance) ON true',
    ])
      expect(rules(sql, opts), sql).toContain('table-not-allowed');
  });

  it('a CTE named like a table it hides is still checked where it reads', () => {
    const opts = { tables: ['suppressed_performance'], knownTables: tables, database: 'outturn' };
    expect(
      rules(
        'WITH suppressed_performance AS (SELECT * FROM performance) SELECT * FROM suppressed_performance',
        opts,
      ),
    ).toEqual(['table-not-allowed']);
    // Inside its own body a WITH query's name is the table, so one named like a forbidden table is refused.
    expect(
      rules('WITH performance AS (SELECT * FROM performance) SELECT * FROM performance', opts),
    ).toEqual(['table-not-allowed']);
  });

  it('a forbidden name anywhere is refused, even in forms the FROM scan does not read', () => {
    const opts = {
      tables: ['suppressed_performance'],
      knownTables: tables,
      forbiddenNames: [...tables, 'stg_participants'],
      database: 'outturn',
    };
    expect(
      rules('SELECT * FROM suppressed_performance s WHERE EXISTS (TABLE performance)', opts),
    ).toContain('table-not-allowed');
    expect(
      rules('SELECT * FROM suppressed_performance JOIN (stg_participants) ON true', opts),
    ).toEqual(['unknown-table']);
    // …but a word in a string or a comment is not a name.
    expect(
      rules("SELECT 'performance' AS t FROM suppressed_performance -- not performance", opts),
    ).toEqual([]);
  });

  it('without a list, table names are not judged', () => {
    expect(checkAthenaSql('SELECT * FROM anything')).toEqual([]);
  });

  it('lists the tables read, not the names a WITH defines', () => {
    expect(
      tablesReferenced(
        'WITH t AS (SELECT * FROM performance) SELECT * FROM t JOIN "outturn".suppressed_outcomes o ON true',
      ).map((r) => [r.qualifiers, r.name]),
    ).toEqual([
      [[], 'performance'],
      [['outturn'], 'suppressed_outcomes'],
    ]);
  });
});

describe('tokenise', () => {
  it('keeps strings, quoted names and comments whole, with doubled quotes inside', () => {
    const kinds = tokenise(`SELECT 'it''s', "a ""b""", x -- c\n/* d */`)
      .tokens.filter((t) => t.kind !== 'space')
      .map((t) => [t.kind, t.value]);
    expect(kinds).toEqual([
      ['word', 'select'],
      ['string', "it's"],
      ['symbol', ','],
      ['quoted', 'a "b"'],
      ['symbol', ','],
      ['word', 'x'],
      ['comment', '-- c'],
      ['comment', '/* d */'],
    ]);
  });

  it('counts ? parameters outside strings only', () => {
    expect(placeholderCount("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ? -- ?")).toBe(2);
  });
});

describe('withLimit', () => {
  it('appends a LIMIT on a new line, so a closing comment cannot swallow it, and keeps ORDER BY', () => {
    expect(withLimit('SELECT * FROM performance ORDER BY period -- newest last', 100)).toBe(
      'SELECT * FROM performance ORDER BY period -- newest last\nLIMIT 100',
    );
  });
  it('keeps a smaller LIMIT and lowers a larger one or LIMIT ALL', () => {
    expect(withLimit('SELECT * FROM performance LIMIT 10', 100)).toBe(
      'SELECT * FROM performance LIMIT 10',
    );
    expect(withLimit('SELECT * FROM performance LIMIT 5000 ', 100)).toBe(
      'SELECT * FROM performance LIMIT 100',
    );
    expect(withLimit('SELECT * FROM performance LIMIT ALL', 100)).toBe(
      'SELECT * FROM performance LIMIT 100',
    );
  });
  it('judges only the outer LIMIT', () => {
    expect(withLimit('SELECT * FROM (SELECT * FROM performance LIMIT 5) AS t', 100)).toBe(
      'SELECT * FROM (SELECT * FROM performance LIMIT 5) AS t\nLIMIT 100',
    );
  });
  it('wraps a query that limits with FETCH or a parameter', () => {
    expect(withLimit('SELECT * FROM performance FETCH FIRST 5 ROWS ONLY', 3)).toBe(
      'SELECT * FROM (\nSELECT * FROM performance FETCH FIRST 5 ROWS ONLY\n) AS "limited" LIMIT 3',
    );
    expect(withLimit('SELECT * FROM performance LIMIT ?', 3)).toMatch(
      /^SELECT \* FROM \(\n[\s\S]*\n\) AS "limited" LIMIT 3$/,
    );
  });
  it('what it makes still passes the checker', () => {
    for (const sql of [
      'SELECT * FROM performance',
      'SELECT * FROM performance LIMIT 999',
      'SELECT * FROM performance FETCH FIRST 5 ROWS ONLY',
    ])
      expect(checkAthenaSql(withLimit(sql, 10), options)).toEqual([]);
  });
  it('refuses a limit that is not a positive whole number', () => {
    expect(() => withLimit('SELECT 1', 0)).toThrow(RangeError);
  });
});
