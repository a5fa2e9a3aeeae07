/**
 * A tokeniser for the SQL analysts write: enough of the Trino and DuckDB lexical rules to tell
 * words from string literals, quoted identifiers and comments, so that the dialect checker
 * (./trino-dialect.ts) never mistakes `'drop me'` or `-- insert here` for a statement.
 *
 * Comments and whitespace are kept as tokens (with their offsets) so a query can be rewritten
 * token by token without moving anything the analyst wrote.
 */

export type TokenKind =
  | 'word' // an unquoted identifier or keyword: select, performance, strftime
  | 'quoted' // a double-quoted identifier: "contract_id"
  | 'backtick' // a backtick-quoted identifier (MySQL, Hive DDL): `contract_id`
  | 'string' // a string literal: 'abc'
  | 'number' // 12, 1.5, 1e3
  | 'param' // ? (positional), $1, $name, :name
  | 'symbol' // ( ) , . ; * = <> || :: [ ] { } and other operators
  | 'comment' // -- … or /* … */
  | 'space';

export interface Token {
  kind: TokenKind;
  /** The text exactly as written. */
  text: string;
  /** Offset of the first character in the SQL. */
  start: number;
  /** For words: lower case; for quoted identifiers: the name inside the quotes; else the text. */
  value: string;
}

export interface TokeniseResult {
  tokens: Token[];
  /** Unterminated strings, identifiers or comments: the query cannot be read past them. */
  problems: string[];
}

const WORD_START = /[A-Za-z_\u00C0-\uFFFF]/;
const WORD_PART = /[A-Za-z0-9_$\u00C0-\uFFFF]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;
/** Operators read as one token, longest first. */
const OPERATORS = ['::', '||', '<>', '!=', '<=', '>=', '==', '=>', '->', '//', '**'];

/** Reads a quoted run (`'…'`, `"…"`, `` `…` ``) where the quote is escaped by doubling it. */
function quoted(sql: string, start: number, quote: string): { end: number; inner: string } | null {
  let i = start + 1;
  let inner = '';
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        inner += quote;
        i += 2;
        continue;
      }
      return { end: i + 1, inner };
    }
    inner += sql[i];
    i++;
  }
  return null;
}

/**
 * @example tokenise("select 'a;b' -- c;\nfrom t").tokens.filter((t) => t.kind === 'symbol') // [] : the ; are in a string and a comment
 */
export function tokenise(sql: string): TokeniseResult {
  const tokens: Token[] = [];
  const problems: string[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, value?: string) => {
    const text = sql.slice(i, end);
    tokens.push({ kind, text, start: i, value: value ?? text });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (SPACE.test(ch)) {
      let end = i + 1;
      while (end < sql.length && SPACE.test(sql[end]!)) end++;
      push('space', end);
    } else if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl === -1 ? sql.length : nl);
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) {
        problems.push('A /* comment is never closed: end it with */.');
        push('comment', sql.length);
      } else push('comment', close + 2);
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const q = quoted(sql, i, ch);
      const kind: TokenKind = ch === "'" ? 'string' : ch === '"' ? 'quoted' : 'backtick';
      if (!q) {
        problems.push(
          ch === "'"
            ? `A string starting at character ${i + 1} is never closed: end it with '. Write a quote inside a string as two: 'O''Brien'.`
            : `A quoted name starting at character ${i + 1} is never closed: end it with ${ch}.`,
        );
        push(kind, sql.length, sql.slice(i + 1));
      } else push(kind, q.end, kind === 'string' ? q.inner : q.inner.toLowerCase());
    } else if (DIGIT.test(ch) || (ch === '.' && next !== undefined && DIGIT.test(next))) {
      let end = i + 1;
      while (end < sql.length && /[0-9.]/.test(sql[end]!)) end++;
      if (end < sql.length && /[eE]/.test(sql[end]!) && /[0-9+-]/.test(sql[end + 1] ?? '')) {
        end += 2;
        while (end < sql.length && DIGIT.test(sql[end]!)) end++;
      }
      push('number', end);
    } else if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      push('word', end, sql.slice(i, end).toLowerCase());
    } else if (ch === '?') {
      push('param', i + 1);
    } else if (
      (ch === '$' || ch === ':') &&
      next !== undefined &&
      /[A-Za-z0-9_]/.test(next) &&
      !(ch === ':' && sql[i - 1] === ':')
    ) {
      let end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_]/.test(sql[end]!)) end++;
      push('param', end);
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      push('symbol', i + (op?.length ?? 1));
    }
  }
  return { tokens, problems };
}

/** The tokens that mean something: no whitespace or comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}
