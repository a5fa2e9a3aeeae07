/**
 * Headings come from one declaration per column: a mart column's from its definition (picked by
 * name with `martColumns`), a column a page works out from the page. So on one page no heading
 * may stand over two different columns (issue 10 found "Met to date" over two in the provider
 * review), and every mart column a page shows has the heading its mart gives it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { models } from '../../pipelines/transform/registry.js';
import { martColumns, type Column } from '../../reports/columns.js';

const pagesDir = new URL('../../reports/pages/', import.meta.url);
const pageNames = readdirSync(pagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const isColumn = (v: unknown): v is Column =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Column).key === 'string' &&
  typeof (v as Column).label === 'string';
const isColumns = (v: unknown): v is Column[] =>
  Array.isArray(v) && v.length > 0 && v.every(isColumn);

/** Every column a page module declares or shows: its column lists and its tables' columns. */
function columnsOf(exports: Record<string, unknown>): Column[] {
  const found: Column[] = [];
  const visit = (value: unknown, depth: number) => {
    if (isColumns(value)) return void found.push(...value);
    if (isColumn(value)) return void found.push(value);
    if (depth > 2 || typeof value !== 'object' || value === null || Array.isArray(value)) return;
    for (const v of Object.values(value)) visit(v, depth + 1);
  };
  for (const value of Object.values(exports)) visit(value, 0);
  return found;
}

describe('column headings', () => {
  it('finds the pages, and the columns of those with tables', async () => {
    expect(pageNames).toContain('provider-review');
    const review = columnsOf(await import(new URL('provider-review/index.ts', pagesDir).href));
    expect(review.map((c) => c.label)).toContain('Met the standard to date');
    expect(review.map((c) => c.label)).toContain('Actual to date');
  });

  it.each(pageNames)('%s: no heading stands over two different columns', async (name) => {
    const columns = columnsOf(await import(new URL(`${name}/index.ts`, pagesDir).href));
    const keysByLabel = new Map<string, Set<string>>();
    for (const c of columns)
      keysByLabel.set(c.label, (keysByLabel.get(c.label) ?? new Set()).add(c.key));
    const shared = [...keysByLabel].filter(([, keys]) => keys.size > 1);
    expect(shared.map(([label, keys]) => `${label}: ${[...keys].join(', ')}`)).toEqual([]);
  });

  it.each(pageNames)(
    '%s: a mart column has the heading and format its mart gives it',
    async (name) => {
      const columns = columnsOf(await import(new URL(`${name}/index.ts`, pagesDir).href));
      for (const c of columns.filter((c) => c.source)) {
        const [mart, column] = c.source!.split('.');
        const def = models.find((m) => m.name === mart)?.columns.find((x) => x.name === column);
        expect(def, c.source).toBeDefined();
        expect([c.label, c.format], c.source).toEqual([def!.label, def!.format]);
      }
    },
  );

  it('a page cannot show a mart column without the heading its definition gives', () => {
    expect(() => martColumns('performance', ['measure_order'])).toThrow(
      /Give performance\.measure_order a label in its definition/,
    );
    expect(() => martColumns('performance', ['no_such_column'])).toThrow(/has no column/);
    expect(() => martColumns('no_such_mart', ['period'])).toThrow(/no mart called/);
    expect(martColumns('performance', [{ name: 'rag', rowHeader: true }])).toEqual([
      {
        key: 'rag',
        label: 'RAG status',
        format: 'rag',
        source: 'performance.rag',
        rowHeader: true,
      },
    ]);
  });
});
