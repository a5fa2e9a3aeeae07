/**
 * A model that runs to a fixed point (ADR 044): passes until one changes nothing, at most the
 * cap, with the last pass's changes left for the final SELECT; working tables dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb } from '../../../pipelines/duckdb/open.js';
import { fixedPointSections, runFixedPoint } from '../../../pipelines/transform/fixed-point.js';

// Marks spread along a chain 1 → 2 → … → 6, one link a pass, from node 1.
const sql = `
-- @table fp_links
select i as a, i + 1 as b from range(1, 6) as t(i)
;
-- @table fp_state
select i as node, i = 1 as marked from range(1, 7) as t(i)
;
-- @table fp_changed
select node from fp_state where marked
;
-- @pass
select l.b as node from fp_links as l join fp_changed as c on c.node = l.a
join fp_state as s on s.node = l.b where not s.marked
;
-- @apply
update fp_state set marked = true from fp_pass where fp_state.node = fp_pass.node
;
-- @select
select node, marked, (select count(*) from fp_pass) as unsettled from fp_state order by node
`;

let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  ({ instance, connection } = await openDuckDb({ threads: 1 }));
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const read = async (q: string) => (await connection.runAndReadAll(q)).getRowObjectsJson();

describe('a fixed-point model', () => {
  it('stops at the first pass that changes nothing', async () => {
    const r = await runFixedPoint(connection, 'chain', sql, {
      passes: 16,
      changed: 'fp_changed',
      pass: 'fp_pass',
    });
    // Five links: five passes mark nodes 2 to 6, the sixth finds nothing.
    expect(r).toEqual({ passes: 6, settled: true });
    const rows = await read('select * from chain');
    expect(rows.every((x) => x.marked === true)).toBe(true);
    expect(rows.map((x) => Number(x.unsettled))).toEqual([0, 0, 0, 0, 0, 0]);
    const left = await read(
      "select table_name from information_schema.tables where table_name like 'fp_%'",
    );
    expect(left).toEqual([]);
  });

  it('stops at the cap, with the last pass’s changes for the final SELECT', async () => {
    const r = await runFixedPoint(connection, 'chain', sql, {
      passes: 3,
      changed: 'fp_changed',
      pass: 'fp_pass',
    });
    expect(r).toEqual({ passes: 3, settled: false });
    const rows = await read('select * from chain');
    expect(rows.map((x) => x.marked)).toEqual([true, true, true, true, false, false]);
    // The third pass marked node 4.
    expect(Number(rows[0]!.unsettled)).toBe(1);
  });

  // An audit (ADR 050): once the chain settles, it asks for node 8, out of the chain's reach;
  // the passes resume from it (nothing links from 8), and the next audit finds nothing left.
  const audit = (rounds: number) => ({
    rounds,
    run: async (c: DuckDBConnection, pass: string) => {
      await c.run(`create or replace table ${pass} as
        select 8 as node where not exists (select 1 from fp_state where node = 8 and marked)`);
      return Number((await c.runAndReadAll(`select count(*) from ${pass}`)).getRows()[0]![0]);
    },
  });
  const withEight = sql.replace('range(1, 7)', 'range(1, 9)');

  it('resumes its passes from what an audit changes, until an audit changes nothing', async () => {
    const r = await runFixedPoint(connection, 'chain', withEight, {
      passes: 16,
      changed: 'fp_changed',
      pass: 'fp_pass',
      audit: audit(5),
    });
    // Six passes (the chain), an audit (node 8), one pass finding nothing, an audit finding nothing.
    expect(r).toEqual({ passes: 7, settled: true, audits: 2 });
    const rows = await read('select * from chain');
    expect(rows.filter((x) => x.marked).map((x) => Number(x.node))).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(Number(rows[0]!.unsettled)).toBe(0);
  });

  it('is unsettled when its last audit still changed something', async () => {
    const r = await runFixedPoint(connection, 'chain', withEight, {
      passes: 16,
      changed: 'fp_changed',
      pass: 'fp_pass',
      audit: audit(1),
    });
    expect(r).toEqual({ passes: 6, settled: false, audits: 1 });
    const rows = await read('select * from chain');
    expect(rows.find((x) => Number(x.node) === 8)!.marked).toBe(true);
    expect(Number(rows[0]!.unsettled)).toBe(1);
  });

  it('refuses SQL without its pass, apply or select', () => {
    expect(() => fixedPointSections('-- @table t\nselect 1', 'broken')).toThrow(
      /broken runs to a fixed point but has no -- @pass, -- @apply, -- @select/,
    );
  });
});
