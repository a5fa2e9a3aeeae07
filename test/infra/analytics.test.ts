/** The pure parts of the analytics layer: type mapping, generated tables, saved queries' SQL. */
import { describe, expect, it } from 'vitest';
import {
  athenaPrefix,
  exportedModels,
  glueTables,
  glueType,
} from '../../pipelines/analytics/glue-tables.js';
import { savedQueries } from '../../pipelines/analytics/saved-queries.js';
import { checkAthenaSql } from '../../pipelines/analytics/trino-dialect.js';
import type { Model } from '../../pipelines/transform/model.js';
import { models } from '../../pipelines/transform/registry.js';

describe('glueType', () => {
  it.each([
    ['VARCHAR', 'string'],
    ['INTEGER', 'int'],
    ['BIGINT', 'bigint'],
    ['DOUBLE', 'double'],
    ['BOOLEAN', 'boolean'],
    ['DATE', 'date'],
    ['TIMESTAMP', 'timestamp'],
    ['DECIMAL(18,2)', 'decimal(18,2)'],
    ['decimal( 9 , 0 )', 'decimal(9,0)'],
  ])('maps %s to %s', (duck, hive) => expect(glueType(duck)).toBe(hive));

  it.each([
    'HUGEINT',
    'UBIGINT',
    'UHUGEINT',
    'TIMESTAMP WITH TIME ZONE',
    'VARCHAR[]',
    'STRUCT(a INTEGER)',
    'DECIMAL(40,2)',
    'BLOB',
  ])('refuses %s loudly', (duck) => expect(() => glueType(duck)).toThrow(/Glue|Hive/));
});

describe('glueTables', () => {
  it('covers every model the transform exports, and no staging model', () => {
    const names = glueTables().map((t) => t.name);
    expect(names).toEqual(models.filter((m) => m.layer !== 'staging').map((m) => m.name));
    expect(names.some((n) => n.startsWith('stg_'))).toBe(false);
  });

  it('maps every column of every exported model, in order', () => {
    for (const t of glueTables()) {
      const model = models.find((m) => m.name === t.name)!;
      expect(t.columns.map((c) => c.name)).toEqual(model.columns.map((c) => c.name));
      expect(t.prefix).toBe(athenaPrefix(model.name));
      for (const c of t.columns) expect(c.comment.length).toBeLessThanOrEqual(255);
    }
  });

  it('names the model and column when a type cannot be mapped', () => {
    const bad: Model = {
      name: 'wide',
      layer: 'mart',
      partition: 'global',
      description: '',
      sql: '',
      columns: [{ name: 'n', type: 'HUGEINT' as never, description: '' }],
    };
    expect(() => glueTables([bad])).toThrow(/wide\.n: .*HUGEINT/);
    expect(exportedModels([bad])).toEqual([bad]);
  });
});

describe('saved queries', () => {
  const tableColumns = new Map(
    glueTables().map((t) => [t.name, new Set(t.columns.map((c) => c.name))]),
  );

  it.each(savedQueries.map((q) => [q.name, q] as const))(
    '%s is one Athena (Trino) statement over real columns',
    (_name, q) => {
      // The same rules the app holds analysts' own queries to (pipelines/analytics/trino-dialect.ts).
      expect(
        checkAthenaSql(q.sql, { tables: q.tables, knownTables: glueTables().map((t) => t.name) }),
      ).toEqual([]);
      expect(q.sql).toMatch(/\bLIMIT \d+\s*$/);
      for (const table of q.tables) {
        expect(tableColumns.has(table), table).toBe(true);
        expect(q.sql).toContain(`FROM "${table}"`);
      }
      // Every quoted identifier is a table it names, one of their columns, or an alias it defines.
      const aliases = new Set([...q.sql.matchAll(/\bAS "([a-z_]+)"/g)].map((m) => m[1]!));
      const known = new Set([
        ...q.tables,
        ...aliases,
        ...q.tables.flatMap((t) => [...tableColumns.get(t)!]),
      ]);
      for (const [, ident] of q.sql.matchAll(/"([^"]+)"/g))
        expect(known.has(ident!), `${q.name}: "${ident}"`).toBe(true);
      // Unquoted identifiers would be folded and may clash with reserved words: everything is quoted.
      expect(q.sql).not.toMatch(/\bSELECT\s+[a-z_]+\b(?!\()/);
    },
  );

  it('have unique names', () => {
    expect(new Set(savedQueries.map((q) => q.name)).size).toBe(savedQueries.length);
  });
});
