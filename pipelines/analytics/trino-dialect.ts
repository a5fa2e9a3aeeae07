/**
 * Ad-hoc queries are held to the dialect of Athena (Trino, engine v3) so that a query that runs
 * over the local DuckDB marts runs unchanged in AWS, and the other way round. DuckDB accepts far
 * more than Trino does; everything below is refused before a query reaches either engine, each
 * problem with what to write instead. See docs/decisions/019-ad-hoc-analytics.md.
 *
 * Refused:
 * - more than one statement, and a closing `;` (StartQueryExecution rejects it);
 * - anything but a query: a statement must start with SELECT or WITH, and no statement that
 *   changes or loads anything (INSERT, CREATE, UNLOAD, COPY, ATTACH, INSTALL, PRAGMA, SET, …);
 * - identifiers in backticks (write "name"), `x::type` (write CAST(x AS type)), ILIKE (write
 *   lower(x) LIKE 'abc%'), `==` (write =), `$1` and `:name` parameters (write ?);
 * - DuckDB-only functions (DUCKDB_ONLY_FUNCTIONS: strftime, epoch_ms, list_value, struct_pack,
 *   regexp_matches, string_agg, datediff, …) and every table function that reads files
 *   (read_parquet, read_csv, glob, …), and a file name in place of a table (`FROM 'x.parquet'`);
 * - DuckDB-only forms: `* EXCLUDE (…)`, `* REPLACE (…)`, COLUMNS(…), QUALIFY, DISTINCT ON,
 *   USING SAMPLE, GROUP BY ALL / ORDER BY ALL, `[1, 2]` list and `{'a': 1}` struct literals,
 *   INTERVAL 1 DAY and INTERVAL '1 day' (write INTERVAL '1' DAY), LIMIT … OFFSET (write OFFSET … LIMIT);
 * - tables outside the caller's allow-list, optionally qualified with the Glue database.
 *
 * Fine in both, and so allowed: `||` concatenation, DATE '2025-04-01', CAST, CASE, window
 * functions, WITH, UNION, coalesce, date_trunc, date_diff('day', a, b), approx_percentile, …
 */
import { DUCKDB_ONLY_FUNCTIONS, DUCKDB_ONLY_PREFIXES } from './duckdb-only.js';
import { significant, tokenise, type Token } from './sql-tokens.js';

export { DUCKDB_ONLY_FUNCTIONS } from './duckdb-only.js';

export type ProblemRule =
  | 'syntax'
  | 'empty'
  | 'one-statement'
  | 'select-only'
  | 'identifier-quotes'
  | 'cast'
  | 'ilike'
  | 'operator'
  | 'parameters'
  | 'duckdb-function'
  | 'duckdb-form'
  | 'file-read'
  | 'unknown-table'
  | 'table-not-allowed'
  | 'qualified-table';

export interface SqlProblem {
  rule: ProblemRule;
  /** What is wrong, in plain words. */
  message: string;
  /** What to write instead. */
  fix: string;
  /** Offset in the SQL of the part in question, when there is one. */
  at?: number;
}

export interface CheckOptions {
  /** The tables the caller may read. Without it, table names are not checked. */
  tables?: readonly string[];
  /** Every table there is, to tell "no such table" from "not yours to read". Default `tables`. */
  knownTables?: readonly string[];
  /** The Glue database a table may be qualified with: "outturn"."performance". */
  database?: string;
  /**
   * Names that must not appear anywhere in the query as a name unless allowed in `tables`, a net
   * under the FROM clause reading (every table there is, including staging). Default `knownTables`.
   */
  forbiddenNames?: readonly string[];
}

/** Words that change or load something: never in an ad-hoc query. */
const WRITE_WORDS = new Set([
  'insert',
  'update',
  'delete',
  'merge',
  'create',
  'drop',
  'alter',
  'unload',
  'copy',
  'attach',
  'detach',
  'pragma',
  'install',
  'truncate',
  'grant',
  'revoke',
  'vacuum',
  'msck',
  'export',
  'import',
]);

/** Where a FROM list ends. */
const CLAUSE_WORDS = new Set([
  'where',
  'group',
  'having',
  'order',
  'limit',
  'offset',
  'fetch',
  'union',
  'intersect',
  'except',
  'window',
  'qualify',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'natural',
  'on',
  'using',
  'select',
  'tablesample',
  'with',
]);

/** Function calls whose arguments may contain FROM without it naming a table. */
const FROM_IN_ARGUMENTS = new Set(['extract', 'substring', 'trim', 'overlay', 'position']);

const lower = (t: Token | undefined) => (t && t.kind === 'word' ? t.value : undefined);

/** Index of the `)` matching the `(` at `open` (or the last token when there is none). */
function closing(s: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i]!.text === '(') depth++;
    else if (s[i]!.text === ')' && --depth === 0) return i;
  }
  return s.length - 1;
}

/** The names defined by WITH: `name AS (` or `name (cols) AS (`, after WITH or a comma. */
function cteNames(s: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 1; i < s.length; i++) {
    const t = s[i]!;
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const before = s[i - 1]!;
    if (!(lower(before) === 'with' || lower(before) === 'recursive' || before.text === ','))
      continue;
    let j = i + 1;
    if (s[j]?.text === '(') j = closing(s, j) + 1;
    if (lower(s[j]) === 'as' && s[j + 1]?.text === '(') names.add(t.value);
  }
  return names;
}

export interface TableReference {
  /** The table's name, lower case. */
  name: string;
  /** The names before it (database, catalog), lower case. */
  qualifiers: string[];
  at: number;
}

interface FromScan {
  tables: TableReference[];
  problems: SqlProblem[];
}

/** Every table named after FROM (and in its comma list) or JOIN, and table functions or files read there. */
function scanFromClauses(s: readonly Token[]): FromScan {
  const tables: TableReference[] = [];
  const problems: SqlProblem[] = [];
  const openers: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const t = s[i]!;
    if (t.text === '(') openers.push(lower(s[i - 1]) ?? '');
    else if (t.text === ')') openers.pop();
    const word = lower(t);
    if (word !== 'from' && word !== 'join') continue;
    if (word === 'from') {
      if (FROM_IN_ARGUMENTS.has(openers[openers.length - 1] ?? '')) continue;
      // a IS [NOT] DISTINCT FROM b
      if (lower(s[i - 1]) === 'distinct' && ['is', 'not'].includes(lower(s[i - 2]) ?? '')) continue;
    }
    let depth = 0;
    let expectRef = true;
    for (let j = i + 1; j < s.length; j++) {
      const u = s[j]!;
      if (expectRef) {
        expectRef = false;
        if (u.text === '(') {
          // A subquery is scanned where its own FROM is; a parenthesised table, (performance), here.
          if (['select', 'with', 'values'].includes(lower(s[j + 1]) ?? '')) j = closing(s, j);
          else {
            depth++;
            expectRef = true;
          }
          continue;
        }
        const w = lower(u);
        if (w === 'unnest' || w === 'lateral') continue;
        if (u.kind === 'string') {
          problems.push({
            rule: 'file-read',
            message: `${u.text} names a file: Athena reads tables, not files.`,
            fix: 'Read from one of the tables by name, e.g. FROM suppressed_performance.',
            at: u.start,
          });
          continue;
        }
        if (u.kind === 'word' || u.kind === 'quoted') {
          const parts = [u];
          while (
            s[j + 1]?.text === '.' &&
            (s[j + 2]?.kind === 'word' || s[j + 2]?.kind === 'quoted')
          ) {
            parts.push(s[j + 2]!);
            j += 2;
          }
          if (s[j + 1]?.text === '(') {
            // A table function: its name is reported with the function rules unless it is an unknown one.
            const name = parts[parts.length - 1]!.value;
            if (
              !(name in DUCKDB_ONLY_FUNCTIONS) &&
              !DUCKDB_ONLY_PREFIXES.some((p) => name.startsWith(p))
            )
              problems.push({
                rule: 'file-read',
                message: `${name}(…) is a table function: ad-hoc queries read only the marts.`,
                fix: 'Read from one of the tables by name, e.g. FROM suppressed_performance.',
                at: u.start,
              });
            j = closing(s, j + 1);
            continue;
          }
          tables.push({
            name: parts[parts.length - 1]!.value,
            qualifiers: parts.slice(0, -1).map((p) => p.value),
            at: u.start,
          });
        }
        continue;
      }
      if (u.text === '(') depth++;
      else if (u.text === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0) {
        if (u.text === ';') break;
        if (word === 'from' && u.text === ',') expectRef = true;
        else if (CLAUSE_WORDS.has(lower(u) ?? '')) break;
      }
    }
  }
  return { tables, problems };
}

/**
 * The tables a query reads (after FROM or JOIN), not counting names it defines with WITH.
 *
 * @example tablesReferenced('WITH t AS (SELECT * FROM performance) SELECT * FROM t').map((r) => r.name) // ['performance']
 */
export function tablesReferenced(sql: string): TableReference[] {
  const s = significant(tokenise(sql).tokens);
  const ctes = cteNames(s);
  return scanFromClauses(s).tables.filter((t) => t.qualifiers.length > 0 || !ctes.has(t.name));
}

/** How many `?` parameters the query has. */
export function placeholderCount(sql: string): number {
  return tokenise(sql).tokens.filter((t) => t.kind === 'param' && t.text === '?').length;
}

const list = (names: readonly string[]) => names.join(', ');

function tableProblems(
  s: readonly Token[],
  refs: readonly TableReference[],
  options: CheckOptions,
): SqlProblem[] {
  const problems: SqlProblem[] = [];
  const ctes = cteNames(s);
  const allowed = options.tables ?? [];
  const known = options.knownTables ?? allowed;
  const qualified = (name: string) => (options.database ? `"${options.database}"."${name}"` : name);
  const forbidden = new Set((options.forbiddenNames ?? known).filter((n) => !allowed.includes(n)));
  for (const ref of refs) {
    // A WITH query named like a forbidden table is refused too: inside its own body the name is the table.
    if (ref.qualifiers.length === 0 && ctes.has(ref.name) && !forbidden.has(ref.name)) continue;
    if (ref.qualifiers.length > 0) {
      const database = options.database?.toLowerCase();
      if (ref.qualifiers.length > 1 || ref.qualifiers[0] !== database) {
        problems.push({
          rule: 'qualified-table',
          message: `${[...ref.qualifiers, ref.name].join('.')} is not a table in the Outturn database.`,
          fix: `Name the table alone (${ref.name})${options.database ? ` or as ${qualified(ref.name)}` : ''}.`,
          at: ref.at,
        });
        continue;
      }
    }
    if (options.tables === undefined || allowed.includes(ref.name)) continue;
    if (!known.includes(ref.name))
      problems.push({
        rule: 'unknown-table',
        message: `There is no table called ${ref.name}.`,
        fix: `Use one of the tables you may query: ${list(allowed)}.`,
        at: ref.at,
      });
    else
      problems.push({
        rule: 'table-not-allowed',
        message: `You may not query ${ref.name}: it holds figures you are not allowed to see.`,
        fix: `Use one of the tables you may query: ${list(allowed)}.`,
        at: ref.at,
      });
  }
  // The net: a forbidden table's name anywhere else (TABLE x, a form the scan does not know).
  if (options.tables !== undefined) {
    const said = new Set(problems.map((p) => p.message));
    for (const t of s) {
      if ((t.kind !== 'word' && t.kind !== 'quoted') || !forbidden.has(t.value)) continue;
      const problem: SqlProblem = known.includes(t.value)
        ? {
            rule: 'table-not-allowed',
            message: `You may not query ${t.value}: it holds figures you are not allowed to see.`,
            fix: `Use one of the tables you may query: ${list(allowed)}.`,
            at: t.start,
          }
        : {
            rule: 'unknown-table',
            message: `There is no table called ${t.value}.`,
            fix: `Use one of the tables you may query: ${list(allowed)}.`,
            at: t.start,
          };
      if (said.has(problem.message)) continue;
      said.add(problem.message);
      problems.push(problem);
    }
  }
  // One problem a name, however often it appears.
  return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
}

/**
 * Everything in `sql` that Athena would refuse, or that would run only on DuckDB; empty when the
 * query may be sent. Words inside strings, quoted names and comments never count.
 *
 * @example checkAthenaSql("SELECT strftime(period_start, '%Y') FROM suppressed_performance")[0].fix // "format_datetime(ts, 'yyyy-MM') or …"
 */
export function checkAthenaSql(sql: string, options: CheckOptions = {}): SqlProblem[] {
  const { tokens, problems: lexical } = tokenise(sql);
  const problems: SqlProblem[] = lexical.map((message) => ({
    rule: 'syntax',
    message,
    fix: 'Close it, then run the query again.',
  }));
  const s = significant(tokens);
  if (s.length === 0)
    return [
      {
        rule: 'empty',
        message: 'There is no query to run.',
        fix: 'Write a SELECT query, e.g. SELECT * FROM suppressed_performance LIMIT 10.',
      },
    ];

  // One statement, with no closing semicolon.
  const semicolons = s.map((t, i) => [t, i] as const).filter(([t]) => t.text === ';');
  if (semicolons.some(([, i]) => s.slice(i + 1).some((t) => t.text !== ';')))
    problems.push({
      rule: 'one-statement',
      message: 'This has more than one statement.',
      fix: 'Run one query at a time: remove everything after the first ;.',
      at: semicolons[0]![0].start,
    });
  else if (semicolons.length)
    problems.push({
      rule: 'one-statement',
      message: 'The query ends with ;, which Athena refuses.',
      fix: 'Remove the ; at the end.',
      at: semicolons[0]![0].start,
    });

  // A query, and nothing that writes.
  const first = s.find((t) => t.text !== '(');
  if (first && lower(first) !== 'select' && lower(first) !== 'with')
    problems.push({
      rule: 'select-only',
      message: `Only queries that read can be run, and this starts with ${first.text}.`,
      fix:
        lower(first) === 'from'
          ? 'Put SELECT first: SELECT … FROM table.'
          : 'Start the query with SELECT (or WITH … SELECT).',
      at: first.start,
    });
  for (const t of s)
    if (t !== first && t.kind === 'word' && WRITE_WORDS.has(t.value))
      problems.push({
        rule: 'select-only',
        message: `${t.text.toUpperCase()} is not allowed: the marts are read-only here.`,
        fix: 'Write a SELECT query that reads the tables.',
        at: t.start,
      });

  for (let i = 0; i < s.length; i++) {
    const t = s[i]!;
    const prev = s[i - 1];
    const next = s[i + 1];
    const word = lower(t);
    if (t.kind === 'backtick')
      problems.push({
        rule: 'identifier-quotes',
        message: `${t.text} is quoted with backticks, which Athena queries do not accept.`,
        fix: `Write "${t.value}" in double quotes.`,
        at: t.start,
      });
    else if (t.text === '::')
      problems.push({
        rule: 'cast',
        message: `${prev?.text ?? ''}::${next?.text ?? ''} uses ::, which Athena does not have.`,
        fix: `Write CAST(${prev?.text ?? 'x'} AS ${next?.text ?? 'type'}).`,
        at: t.start,
      });
    else if (word === 'ilike')
      problems.push({
        rule: 'ilike',
        message: 'Athena has no ILIKE.',
        fix: "Compare in lower case: lower(x) LIKE '%abc%'.",
        at: t.start,
      });
    else if (t.kind === 'param' && t.text !== '?')
      problems.push({
        rule: 'parameters',
        message: `${t.text} is not a parameter Athena understands.`,
        fix: 'Write each parameter as ? and give the values in order.',
        at: t.start,
      });
    else if (t.text === '==')
      problems.push({
        rule: 'operator',
        message: '== is DuckDB only.',
        fix: 'Write = to compare.',
        at: t.start,
      });
    else if (t.text === '//')
      problems.push({
        rule: 'operator',
        message: '// (integer division) is DuckDB only.',
        fix: 'Write CAST(floor(a / b) AS bigint), or a / b with both whole numbers.',
        at: t.start,
      });
    else if (t.text === '{')
      problems.push({
        rule: 'duckdb-form',
        message: 'A {…} struct literal is DuckDB only.',
        fix: 'Write ROW(a, b), or select the values as columns.',
        at: t.start,
      });
    else if (
      t.text === '[' &&
      (!prev ||
        (prev.kind === 'symbol' && prev.text !== ')' && prev.text !== ']') ||
        (prev.kind === 'word' && isKeyword(prev.value)))
    )
      problems.push({
        rule: 'duckdb-form',
        message: 'A [a, b] list literal is DuckDB only.',
        fix: 'Write ARRAY[a, b].',
        at: t.start,
      });
    else if (
      word &&
      next?.text === '(' &&
      prev?.text !== '.' &&
      (word in DUCKDB_ONLY_FUNCTIONS || DUCKDB_ONLY_PREFIXES.some((p) => word.startsWith(p)))
    )
      problems.push({
        rule: 'duckdb-function',
        message: `${t.text}(…) is a DuckDB function that Athena does not have.`,
        fix: `Write ${DUCKDB_ONLY_FUNCTIONS[word] ?? 'a query over the tables instead'}.`,
        at: t.start,
      });
    else if ((word === 'exclude' || word === 'replace') && prev?.text === '*' && next?.text === '(')
      problems.push({
        rule: 'duckdb-form',
        message: `SELECT * ${word.toUpperCase()} (…) is DuckDB only.`,
        fix:
          word === 'exclude'
            ? 'List the columns you want instead of *.'
            : 'List the columns, writing the changed one as expression AS name.',
        at: t.start,
      });
    else if (word === 'qualify')
      problems.push({
        rule: 'duckdb-form',
        message: 'Athena has no QUALIFY.',
        fix: 'Compute the window function in a subquery and filter it outside: SELECT * FROM (SELECT …, row_number() OVER (…) AS rn FROM …) WHERE rn = 1.',
        at: t.start,
      });
    else if (word === 'distinct' && lower(next) === 'on' && lower(prev) === 'select')
      problems.push({
        rule: 'duckdb-form',
        message: 'Athena has no DISTINCT ON.',
        fix: 'Use row_number() OVER (PARTITION BY … ORDER BY …) in a subquery and keep rn = 1.',
        at: t.start,
      });
    else if (word === 'using' && lower(next) === 'sample')
      problems.push({
        rule: 'duckdb-form',
        message: 'USING SAMPLE is DuckDB only.',
        fix: 'Write TABLESAMPLE BERNOULLI (10) after the table name.',
        at: t.start,
      });
    else if (
      word === 'all' &&
      lower(prev) === 'by' &&
      ['group', 'order'].includes(lower(s[i - 2]) ?? '') &&
      (lower(s[i - 2]) === 'order' || !next || next.text === ')' || isKeyword(lower(next) ?? ''))
    )
      problems.push({
        rule: 'duckdb-form',
        message: `${lower(s[i - 2])!.toUpperCase()} BY ALL is DuckDB only.`,
        fix: 'Name the columns, or their positions: GROUP BY 1, 2.',
        at: t.start,
      });
    else if (
      word === 'interval' &&
      (next?.kind === 'number' || (next?.kind === 'string' && /[a-z]/i.test(next.value)))
    )
      problems.push({
        rule: 'duckdb-form',
        message: `INTERVAL ${next.text}… is written the DuckDB way.`,
        fix: "Write the number as a string and the unit after it: INTERVAL '1' DAY, INTERVAL '3' MONTH.",
        at: t.start,
      });
  }

  // Trino takes OFFSET before LIMIT only; DuckDB takes either order.
  let limitSeen = false;
  for (const t of s) {
    if (lower(t) === 'limit') limitSeen = true;
    else if (lower(t) === 'offset' && limitSeen)
      problems.push({
        rule: 'duckdb-form',
        message: 'Athena takes OFFSET before LIMIT, not after it.',
        fix: 'Write OFFSET 10 LIMIT 5.',
        at: t.start,
      });
    if (lower(t) === 'select') limitSeen = false;
  }

  const scan = scanFromClauses(s);
  problems.push(...scan.problems);
  problems.push(...tableProblems(s, scan.tables, options));
  return problems.sort((a, b) => (a.at ?? -1) - (b.at ?? -1));
}

/** Reserved words after which `[` starts a literal rather than a subscript. */
function isKeyword(word: string): boolean {
  return [
    'select',
    'where',
    'and',
    'or',
    'not',
    'in',
    'then',
    'else',
    'when',
    'return',
    'as',
    'on',
    'by',
    'having',
    'limit',
    'order',
    'group',
    'from',
    'join',
    'union',
    'case',
    'end',
  ].includes(word);
}

/**
 * The query with at most `max` rows: a top-level LIMIT above `max` (or LIMIT ALL) is lowered to
 * it, a query with none gets `LIMIT max` appended, and one that pages with FETCH is wrapped.
 * Appending rather than wrapping keeps ORDER BY, which Trino ignores in a subquery.
 *
 * @example withLimit('SELECT * FROM suppressed_performance ORDER BY period', 100) // '… ORDER BY period\nLIMIT 100'
 */
export function withLimit(sql: string, max: number): string {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`A row limit is a whole number above 0, not ${max}.`);
  const s = significant(tokenise(sql).tokens);
  let depth = 0;
  let limit: number | null = null;
  let fetch = false;
  for (let i = 0; i < s.length; i++) {
    const t = s[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && lower(t) === 'limit') limit = i;
    else if (depth === 0 && lower(t) === 'fetch') fetch = true;
  }
  const trimmed = sql.replace(/\s+$/, '');
  if (fetch) return `SELECT * FROM (\n${trimmed}\n) AS "limited" LIMIT ${max}`;
  if (limit !== null) {
    const value = s[limit + 1];
    if (value && (value.kind === 'number' || lower(value) === 'all')) {
      if (value.kind === 'number' && Number(value.text) <= max) return trimmed;
      return `${sql.slice(0, value.start)}${max}${sql.slice(value.start + value.text.length)}`.replace(
        /\s+$/,
        '',
      );
    }
    // LIMIT ? or another form we cannot judge: bound it from outside.
    return `SELECT * FROM (\n${trimmed}\n) AS "limited" LIMIT ${max}`;
  }
  return `${trimmed}\nLIMIT ${max}`;
}
