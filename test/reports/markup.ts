/**
 * Just enough markup checking for tests, without a parser dependency: every element that is
 * opened is closed in order (void elements aside), and attribute values can be read back.
 */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Throws naming the first mismatched tag. Comments, CDATA and the doctype are skipped. */
export function assertWellFormed(markup: string, { xml = false } = {}): void {
  const stripped = markup
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<!DOCTYPE[^>]*>/i, '');
  const stack: string[] = [];
  for (const m of stripped.matchAll(
    /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/g,
  )) {
    const [, closing, name, , selfClosing] = m;
    const tag = xml ? name! : name!.toLowerCase();
    if (selfClosing || (!xml && VOID.has(tag))) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== tag)
        throw new Error(
          `</${tag}> closes <${open ?? 'nothing'}> at ${m.index}: ${stripped.slice(Math.max(0, (m.index ?? 0) - 80), (m.index ?? 0) + 20)}`,
        );
    } else stack.push(tag);
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(' > ')}`);
  // A stray "<" that is not a tag means something was not escaped.
  const stray = stripped.replace(/<\/?[a-zA-Z][^>]*>/g, '');
  if (stray.includes('<'))
    throw new Error(
      `a "<" outside a tag: ${stray.slice(stray.indexOf('<') - 40, stray.indexOf('<') + 40)}`,
    );
}

/** The text of a document with tags removed and entities for &, <, >, quotes decoded, whitespace collapsed. */
export function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The cells' text of each body row of the first table in the markup. */
export function tableRows(markup: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(markup)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => textOf(c[1]!)),
  );
}
