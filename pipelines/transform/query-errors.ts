/**
 * DuckDB's error messages rewritten in Outturn's voice for someone querying the marts: what is
 * wrong, in words, and what to try; DuckDB's pointer to the place in the query is kept.
 */

const typeWords: Record<string, string> = {
  INT8: 'a whole number',
  INT16: 'a whole number',
  INT32: 'a whole number',
  INT64: 'a whole number',
  INTEGER: 'a whole number',
  BIGINT: 'a whole number',
  DOUBLE: 'a number',
  FLOAT: 'a number',
  DECIMAL: 'a number',
  DATE: 'a date (YYYY-MM-DD)',
  TIMESTAMP: 'a date and time',
  BOOLEAN: 'true or false',
};

const list = (names: readonly string[]) =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

/**
 * @param message DuckDB's message
 * @param tables the tables a query may name, for "there is no table" messages
 * @example plainQueryError('Catalog Error: Table with name nope does not exist!…', ['performance']) // 'There is no table "nope". The tables are: performance.'
 */
export function plainQueryError(message: string, tables: readonly string[]): string {
  const [first = '', ...rest] = message.split('\n');
  // DuckDB's "LINE 1: …" and the caret under the place it stopped.
  const at = rest.findIndex((l) => /^LINE \d+:/.test(l));
  const pointer = at < 0 ? '' : rest.slice(at).join('\n').trimEnd();
  const said = (text: string) => (pointer ? `${text}\n\n${pointer}` : text);
  const head = first.replace(/^Failed to extract statements: /, '');

  let m = /^Catalog Error: Table(?: Function)? with name (\S+) does not exist!/.exec(head);
  if (m) {
    const suggestion = /Did you mean "([^"]+)"/.exec(message)?.[1];
    const nearest = suggestion && tables.includes(suggestion) ? ` Did you mean ${suggestion}?` : '';
    return said(`There is no table "${m[1]}".${nearest} The tables are: ${tables.join(', ')}.`);
  }
  m = /^Binder Error: Referenced column "([^"]+)" not found in FROM clause!/.exec(head);
  if (m) {
    const candidates = [
      ...(/Candidate bindings: (.*)/.exec(message)?.[1] ?? '').matchAll(/"([^"]+)"/g),
    ].map((c) => c[1]!.replace(/^.*\./, ''));
    return said(
      `There is no column "${m[1]}" in the tables the query reads.${candidates.length ? ` Did you mean ${list(candidates)}?` : ''} "describe TABLE" lists a table's columns.`,
    );
  }
  m = /^Parser Error: syntax error at or near "([^"]*)"/.exec(head);
  if (m)
    return said(
      `The query is not SQL Outturn can read: check the spelling and punctuation at "${m[1]}".`,
    );
  m = /^Parser Error: syntax error at end of input/.exec(head);
  if (m)
    return said(
      'The query stops before it is finished: check for a missing name or bracket at the end.',
    );
  m =
    /^Conversion Error: Could not convert string '([^']*)' to (\w+)(?: when casting from source column (\w+))?/.exec(
      head,
    );
  if (m) {
    const what = typeWords[m[2]!] ?? m[2]!.toLowerCase();
    return said(
      m[3]
        ? `The column ${m[3]} holds text such as '${m[1]}', which is not ${what}: compare it with text in quotes, for example ${m[3]} = '${m[1]}'.`
        : `'${m[1]}' is not ${what}.`,
    );
  }
  m = /^Binder Error: No function matches the given name and argument types '([^(]+)\(/.exec(head);
  if (m)
    return said(
      `The function ${m[1]} cannot take values of those types: check what is passed to it, or cast it.`,
    );
  m = /^Catalog Error: Scalar Function with name (\w+) does not exist!/.exec(head);
  if (m) return said(`There is no function called ${m[1]}.`);
  return said(`The query could not be run: ${head.replace(/^[A-Z][A-Za-z ]+ Error: /, '')}`);
}
