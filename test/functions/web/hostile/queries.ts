/**
 * Hostile queries: every technique that got past the dialect checker when it was the access
 * control (issue 9), written out, and a generated fuzz of their spellings. Each names what it
 * tries to reach, so a test can demand that reaching it failed.
 */
import fc from 'fast-check';

export type Target =
  | 'true-mart-file'
  | 'every-true-mart-file'
  | 'staged-file'
  | 'raw-file'
  | 'published-file'
  | 'manifest-file'
  | 'system-file'
  | 'directory'
  | 'true-mart-table'
  | 'staging-table'
  | 'published-table'
  | 'statement';

export interface HostileQuery {
  technique: string;
  target: Target;
  sql: string;
}

/** Where the files are: the store's folder, and a folder for COPY/EXPORT/ATTACH to try to write to. */
export interface HostilePaths {
  dataDir: string;
  outDir: string;
}

type FileKind = 'parquet' | 'csv' | 'json' | 'any';

interface FileTarget {
  target: Target;
  path: string;
  kind: FileKind;
}

function fileTargets({ dataDir }: HostilePaths): FileTarget[] {
  return [
    {
      target: 'true-mart-file',
      path: `${dataDir}/curated/builds/*/performance/*.parquet`,
      kind: 'parquet',
    },
    {
      target: 'every-true-mart-file',
      path: `${dataDir}/curated/builds/*/*/*.parquet`,
      kind: 'parquet',
    },
    { target: 'staged-file', path: `${dataDir}/staged/*/*/*/*.parquet`, kind: 'parquet' },
    { target: 'raw-file', path: `${dataDir}/raw/*`, kind: 'csv' },
    {
      target: 'published-file',
      path: `${dataDir}/curated/published/builds/*/suppressed_performance/*.parquet`,
      kind: 'parquet',
    },
    { target: 'manifest-file', path: `${dataDir}/curated/builds/*/manifest.json`, kind: 'json' },
    { target: 'system-file', path: '/etc/passwd', kind: 'csv' },
    { target: 'directory', path: `${dataDir}/**`, kind: 'any' },
  ];
}

/** The table functions that read a file of each kind (glob lists names of any). */
const READERS: Record<FileKind, readonly string[]> = {
  parquet: [
    'read_parquet',
    'parquet_scan',
    'parquet_metadata',
    'parquet_schema',
    'read_text',
    'read_blob',
  ],
  csv: ['read_csv', 'read_csv_auto', 'read_text', 'read_blob', 'sniff_csv'],
  json: ['read_json', 'read_json_auto', 'read_text'],
  any: ['glob', 'read_text'],
};

/** Ways to write a function's name: plain, in capitals, quoted, qualified by schema or catalog. */
const NAME_SPELLINGS: readonly ((f: string) => string)[] = [
  (f) => f,
  (f) => f.toUpperCase(),
  (f) => f.replace(/^./, (c) => c.toUpperCase()),
  (f) => `"${f}"`,
  (f) => `main.${f}`,
  (f) => `system.main.${f}`,
  (f) => `"system"."main"."${f}"`,
  (f) => `main."${f}"`,
];

/** Ways to write a string literal that DuckDB reads and the old tokeniser read otherwise. */
const LITERAL_SPELLINGS: readonly ((s: string) => string)[] = [
  (s) => `'${s}'`,
  (s) => `E'${s}'`,
  (s) => `$$${s}$$`,
  (s) => `$tag$${s}$tag$`,
  (s) => `'${s.slice(0, 5)}' || '${s.slice(5)}'`,
  (s) => `concat('${s.slice(0, 5)}', '${s.slice(5)}')`,
  (s) => `['${s}']`,
];

/** What may sit between a function's name and its bracket. */
const GAPS = ['', ' ', '\n', '\r', '\t', '/**/', '/* x */ ', ' --c\r'];

/** Where a table expression can be put so that the old checker missed it. */
const WRAPPERS: readonly [string, (src: string) => string][] = [
  ['plain', (src) => `SELECT * FROM ${src}`],
  ['subquery', (src) => `SELECT * FROM (SELECT * FROM ${src}) AS sub`],
  ['lateral', (src) => `SELECT x.* FROM suppressed_costs, LATERAL (SELECT * FROM ${src}) AS x`],
  [
    'cte named like an allowed table',
    (src) =>
      `WITH suppressed_performance AS (SELECT * FROM ${src}) SELECT * FROM suppressed_performance`,
  ],
  ['comment ended by a lone CR', (src) => `SELECT 1 AS ok --\r, t.* FROM ${src} AS t`],
  ['scalar subquery', (src) => `SELECT (SELECT CAST(list(x) AS VARCHAR) FROM ${src} AS x) AS leak`],
  ['join', (src) => `SELECT * FROM suppressed_costs c JOIN ${src} AS x ON true`],
  ['cte', (src) => `WITH a AS (SELECT * FROM ${src}) SELECT * FROM a`],
  ['from first', (src) => `FROM ${src} SELECT *`],
  [
    'union',
    (src) =>
      `SELECT CAST(contract_id AS VARCHAR) AS v FROM suppressed_costs UNION ALL SELECT CAST(x AS VARCHAR) FROM ${src} AS x`,
  ],
];

const TRUE_TABLES = [
  'performance',
  'outcomes',
  'payments',
  'funnel',
  'standards',
  'returns_status',
  'data_quality',
  'distance_travelled',
  'outcome_transitions',
  'int_restatements',
  'int_participant_ids',
];
const STAGING_TABLES = ['stg_participants', 'stg_milestones', 'stg_contracts'];
const TABLE_SPELLINGS: readonly ((t: string) => string)[] = [
  (t) => t,
  (t) => `"${t}"`,
  (t) => t.toUpperCase(),
  (t) => `main.${t}`,
  (t) => `outturn.${t}`,
  (t) => `"outturn"."${t}"`,
  (t) => `memory.main.${t}`,
  (t) => `temp.main.${t}`,
  (t) => `query_table('${t}')`,
  (t) => `query('SELECT * FROM ${t}')`,
];

/** Every technique, written out: each reader on each file, each spelling, each wrapper. */
export function hostileQueries(paths: HostilePaths): HostileQuery[] {
  const out: HostileQuery[] = [];
  for (const file of fileTargets(paths)) {
    for (const reader of READERS[file.kind]) {
      out.push({
        technique: `${reader} on ${file.target}`,
        target: file.target,
        sql: `SELECT * FROM ${reader}('${file.path}')`,
      });
      for (const [name, wrap] of WRAPPERS)
        out.push({
          technique: `${reader} in a ${name}`,
          target: file.target,
          sql: wrap(`${reader}('${file.path}')`),
        });
    }
    const reader = READERS[file.kind][0]!;
    NAME_SPELLINGS.forEach((spell, i) =>
      out.push({
        technique: `function name spelled #${i}`,
        target: file.target,
        sql: `SELECT * FROM ${spell(reader)}('${file.path}')`,
      }),
    );
    LITERAL_SPELLINGS.forEach((spell, i) =>
      out.push({
        technique: `path written #${i}`,
        target: file.target,
        sql: `SELECT * FROM ${reader}(${spell(file.path)})`,
      }),
    );
    if (file.kind !== 'any') {
      out.push({
        technique: 'a file named as a table',
        target: file.target,
        sql: `SELECT * FROM '${file.path}'`,
      });
      out.push({
        technique: 'a file named as a quoted table',
        target: file.target,
        sql: `SELECT * FROM "${file.path}"`,
      });
    }
  }
  for (const [tables, target] of [
    [TRUE_TABLES, 'true-mart-table'],
    [STAGING_TABLES, 'staging-table'],
  ] as const)
    for (const table of tables) {
      TABLE_SPELLINGS.forEach((spell, i) =>
        out.push({
          technique: `table spelled #${i}`,
          target,
          sql: `SELECT * FROM ${spell(table)}`,
        }),
      );
      out.push({
        technique: 'cte named like an allowed table',
        target,
        sql: `WITH suppressed_outcomes AS (SELECT * FROM ${table}) SELECT * FROM suppressed_outcomes`,
      });
      out.push({
        technique: 'describe',
        target,
        sql: `DESCRIBE ${table}`,
      });
    }
  for (const table of [
    'suppressed_performance',
    'suppressed_outcomes',
    'suppressed_costs',
    'provider_timeliness',
  ])
    out.push(
      { technique: 'every row', target: 'published-table', sql: `SELECT * FROM ${table}` },
      {
        technique: 'every row, qualified',
        target: 'published-table',
        sql: `SELECT * FROM "outturn"."${table}"`,
      },
    );
  out.push(
    {
      technique: 'the catalogue',
      target: 'published-table',
      sql: 'SELECT * FROM duckdb_tables()',
    },
    {
      technique: 'the catalogue',
      target: 'published-table',
      sql: 'SELECT * FROM duckdb_views()',
    },
    {
      technique: 'the catalogue',
      target: 'published-table',
      sql: 'SELECT * FROM information_schema.tables',
    },
    {
      technique: 'the settings',
      target: 'published-table',
      sql: 'SELECT * FROM duckdb_settings()',
    },
  );
  const { outDir, dataDir } = paths;
  for (const [technique, sql] of [
    ['COPY out', `COPY (SELECT * FROM suppressed_costs) TO '${outDir}/copied.csv'`],
    ['COPY in', `COPY suppressed_costs FROM '${dataDir}/raw/x.csv'`],
    ['ATTACH', `ATTACH '${outDir}/attached.duckdb' AS x`],
    ['ATTACH read only', `ATTACH '${dataDir}/curated/current.json' AS x (READ_ONLY)`],
    ['EXPORT', `EXPORT DATABASE '${outDir}/exported'`],
    ['INSTALL', 'INSTALL httpfs'],
    ['LOAD', 'LOAD httpfs'],
    ['LOAD a file', `LOAD '${dataDir}/raw/x.duckdb_extension'`],
    ['SET', 'SET enable_external_access = true'],
    ['RESET', 'RESET enable_external_access'],
    ['PRAGMA', 'PRAGMA disable_checkpoint_on_shutdown'],
    ['CREATE', `CREATE TABLE x AS SELECT * FROM read_parquet('${dataDir}/staged/*/*/*/*.parquet')`],
    ['two statements', `SELECT 1; COPY (SELECT 1) TO '${outDir}/second.csv'`],
    ['two statements, CR', `SELECT 1 --\r; ATTACH '${outDir}/cr.duckdb' AS y`],
    ['CALL', `CALL pragma_database_list()`],
  ] as const)
    out.push({ technique, target: 'statement', sql });
  return out;
}

/** A generated mix of spellings, placements and targets, the same every run (fixed seed). */
export function fuzzedQueries(
  paths: HostilePaths,
  count: number,
  seed = 20_260_101,
): HostileQuery[] {
  const files = fileTargets(paths);
  const fileQuery = fc
    .record({
      file: fc.constantFrom(...files),
      readerIndex: fc.nat(),
      name: fc.constantFrom(...NAME_SPELLINGS),
      gap: fc.constantFrom(...GAPS),
      literal: fc.constantFrom(...LITERAL_SPELLINGS),
      wrapper: fc.constantFrom(...WRAPPERS),
      padding: fc.constantFrom('', ' ', '\n', '\r\n', '\r', '/* lead */ ', '-- lead\n'),
    })
    .map(({ file, readerIndex, name, gap, literal, wrapper: [placement, wrap], padding }) => {
      const readers = READERS[file.kind];
      const reader = readers[readerIndex % readers.length]!;
      return {
        technique: `fuzz: ${reader} in a ${placement}`,
        target: file.target,
        sql: `${padding}${wrap(`${name(reader)}${gap}(${literal(file.path)})`)}`,
      };
    });
  const tableQuery = fc
    .record({
      table: fc.constantFrom(...TRUE_TABLES, ...STAGING_TABLES),
      spelling: fc.constantFrom(...TABLE_SPELLINGS),
      wrapper: fc.constantFrom(...WRAPPERS),
    })
    .map(({ table, spelling, wrapper: [placement, wrap] }) => ({
      technique: `fuzz: a table in a ${placement}`,
      target: (STAGING_TABLES.includes(table) ? 'staging-table' : 'true-mart-table') as Target,
      sql: wrap(spelling(table)),
    }));
  return fc.sample(
    fc.oneof({ arbitrary: fileQuery, weight: 3 }, { arbitrary: tableQuery, weight: 1 }),
    {
      numRuns: count,
      seed,
    },
  );
}
