import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { measureCellDefsSql } from '../../../measures/compile.js';
import { measureValueColumns, measuredProgrammes } from '../marts/measure_values.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { audit as auditCells, type AuditMemo, type AuditSum } from './differencing-audit.js';
import { HIDDEN, SMALLEST_SHOWN, hiddenSelect, suppressedCount, type Hiding } from './rule.js';

const keep = (name: string) => measureValueColumns.find((c) => c.name === name)!;

const columns: Column[] = [
  ...[
    'contract_id',
    'programme_id',
    'provider_id',
    'measure_id',
    'measure_label',
    'kind',
    'unit',
    'cohort',
    'grain',
    'period',
    'period_start',
    'period_end',
    'breakdown',
    'breakdown_value',
    'statistic',
    'category',
    'group_value',
  ].map(keep),
  ...suppressedCount('participants', 'The participants the figure is about'),
  {
    name: 'numerator',
    type: 'INTEGER',
    description: 'The numerator of a rate or share (the sum for a mean); null when hidden',
    tests: [{ min: 0 }],
  },
  {
    name: 'denominator',
    type: 'INTEGER',
    description:
      'The denominator of a rate, share or mean; null for a count or median, or when hidden',
    tests: [{ min: 1 }],
  },
  {
    name: 'denominator_display',
    type: 'VARCHAR',
    description: `The denominator as commissioners see it: the number, or "${HIDDEN}" when hidden; null for a count or median`,
  },
  ...['value', 'value_low', 'value_high', 'meets_standard'].map((n) => {
    const c = keep(n);
    return {
      ...c,
      description: `${c.description}; null when hidden`,
      tests: c.tests?.filter((t) => t !== 'not_null'),
    };
  }),
];

const hiding: Hiding = {
  counts: {
    participants: 'p_hidden',
    denominator: 'd_hidden',
  },
  derived: {
    numerator: ['participants'],
    value: ['participants', 'denominator'],
    value_low: ['participants', 'denominator'],
    value_high: ['participants', 'denominator'],
    meets_standard: ['participants', 'denominator'],
  },
};

/** Passes of secondary suppression before a contract that has not settled is hidden whole. */
export const SUPPRESSION_PASSES = 16;

/**
 * One pass over the sums (see the SQL file's header): the cells each rule hides, from the state
 * (smv_state) and the cells the pass before hid (smv_changed; at first, by the primary rule),
 * only cells not hidden before. A sum can change only when one of its cells has, so each pass
 * looks only at the sums with a cell hidden in the pass before. The build runs passes until one
 * hides nothing (ADR 044): most contracts settle in a few.
 */
const pass = `with dirty as materialized (
    select distinct group_id from smv_memberships join smv_changed using (cell_id)
),

members as materialized (
    select m.group_id, m.is_total, s.cell_id, s.value, s.hidden,
        (not s.hidden and not m.is_total and s.value > 0) as candidate
    from smv_memberships as m
    join smv_state as s using (cell_id)
    where m.group_id in (select group_id from dirty)
),

groups as (
    select
        group_id,
        coalesce(bool_or(hidden) filter (where is_total), false) as total_hidden,
        count(*) filter (where hidden and not is_total and value > 0) as hidden_parts,
        coalesce(sum(value) filter (where hidden and not is_total and value > 0), 0) as hidden_sum,
        count(*) filter (where not is_total and value > 0) as non_zero_parts
    from members
    group by group_id
),

ranked as (
    select
        members.*,
        groups.total_hidden,
        groups.hidden_parts,
        groups.hidden_sum,
        groups.non_zero_parts,
        row_number() over (partition by group_id, candidate order by value, cell_id) as rank,
        coalesce(sum(value) over (
            partition by group_id, candidate
            order by value, cell_id
            rows between unbounded preceding and 1 preceding
        ), 0) as smaller
    from members
    join groups using (group_id)
)

select distinct cell_id from ranked
where (candidate and not total_hidden and hidden_parts > 0
        and (hidden_parts + rank - 1 < 2 or hidden_sum + smaller < ${SMALLEST_SHOWN}))
    or (candidate and total_hidden and hidden_parts = 0 and rank = 1)
    or (is_total and not hidden and hidden_parts > 0 and non_zero_parts < 2)
union
select n.part
from smv_nested as n
join smv_changed as whole on whole.cell_id = n.whole
join smv_state as part on part.cell_id = n.part
where not part.hidden and part.value > 0
union
-- A part as large as its whole is the whole: shown beside it, the attacker bounds the part by
-- it (part <= whole) and, where the parts' sum is shown, pins it (ADR 046).
select n.whole
from smv_nested as n
join smv_changed as part_changed on part_changed.cell_id = n.part
join smv_state as part on part.cell_id = n.part
join smv_state as whole on whole.cell_id = n.whole
where not whole.hidden and whole.value = part.value and whole.value > 0`;

/** Audits after the rule settles before a contract that still gives a cell away is hidden whole. */
export const SUPPRESSION_AUDITS = 40;

/** What the audits of one build read once: the cells' values, the sums and nestings (static). */
interface AuditCells {
  /** Each cell's `cell_id`, by audit number. */
  cellIds: number[];
  number: Map<number, number>;
  values: number[];
  /** Every sum, by group (those without a total among them). */
  sums: { total: number; parts: number[] }[];
  nested: (readonly [number, number])[];
  attacks: AuditMemo;
}

async function auditCellsOf(connection: DuckDBConnection): Promise<AuditCells> {
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRows();
  const cellIds: number[] = [];
  const values: number[] = [];
  for (const [c, v] of await rows(
    `select cell_id::double, value::integer from smv_state order by cell_id`,
  )) {
    cellIds.push(c as number);
    values.push(v as number);
  }
  const number = new Map(cellIds.map((c, i) => [c, i]));
  const at = (c: unknown) => number.get(c as number)!;
  const sums: { total: number; parts: number[] }[] = [];
  const group = new Map<number, { total: number; parts: number[] }>();
  for (const [g, c, isTotal] of await rows(`select group_id::double, cell_id::double, is_total
      from smv_memberships order by group_id, is_total desc, cell_id`)) {
    let sum = group.get(g as number);
    if (!sum) {
      group.set(g as number, (sum = { total: -1, parts: [] }));
      sums.push(sum);
    }
    if (isTotal) sum.total = at(c);
    else sum.parts.push(at(c));
  }
  const nested = (await rows(`select part::double, whole::double from smv_nested`)).map(
    ([p, w]) => [at(p), at(w)] as const,
  );
  return { cellIds, number, values, sums, nested, attacks: new Map() };
}

/**
 * The differencing attack on the settled state (ADR 050): every sum with a hidden cell, as the
 * reader of the published table can write it, attacked by elimination and bounds; for each
 * hidden cell it exposes, one more cell to hide, written to `pass` (the count returned). The
 * cells, sums and nestings are read at the first audit of a build, and each audit after reads
 * only which cells are hidden; components of the attack unchanged since the audit before are not
 * attacked again (the memo).
 */
async function audit(
  connection: DuckDBConnection,
  pass: string,
  memo: Map<string, unknown>,
): Promise<number> {
  let cells = memo.get('cells') as AuditCells | undefined;
  if (!cells) memo.set('cells', (cells = await auditCellsOf(connection)));
  const hidden: boolean[] = cells.values.map(() => false);
  for (const [c] of (
    await connection.runAndReadAll(`select cell_id::double from smv_state where hidden`)
  ).getRows())
    hidden[cells.number.get(c as number)!] = true;
  const sums: AuditSum[] = [];
  const sumIds: number[] = [];
  cells.sums.forEach((s, g) => {
    if (s.total >= 0 && (hidden[s.total] || s.parts.some((k) => hidden[k]))) {
      sums.push(s);
      sumIds.push(g);
    }
  });
  const input = { values: cells.values, hidden, sums, sumIds, nested: cells.nested };
  const { more } = auditCells(input, cells.attacks);
  await connection.run(`create or replace table ${pass} as
    select unnest([${more.map((k) => cells.cellIds[k]).join(', ')}]::double[])::bigint as cell_id`);
  return more.length;
}

export const suppressedMeasureValues: Model = {
  name: 'suppressed_measure_values',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Programme-defined measures as commissioners see them: each contract’s figures to date and by programme year (people counted in the year of the measure’s own date), by every breakdown, with no count of 1 to 4 shown or able to be worked out from the rest of the table: across breakdown values, programme years, the categories of a distribution, the margins of a transitions table, a duration’s bands and cumulative shares, and the same count shown in two rows. Every hidden count reads "[c]". The true figures, by every period, stay in measure_values.',
  sql: sqlFile(import.meta.url, 'suppressed_measure_values', {
    pass,
    columns: hiddenSelect(columns, hiding),
  }),
  fixedPoint: {
    passes: SUPPRESSION_PASSES,
    changed: 'smv_changed',
    pass: 'smv_pass',
    audit: { rounds: SUPPRESSION_AUDITS, run: audit },
  },
  compile: (reference) => measureCellDefsSql(measuredProgrammes(reference)),
  uniqueKey: [
    'contract_id',
    'measure_id',
    'cohort',
    'grain',
    'period',
    'breakdown',
    'breakdown_value',
    'statistic',
    'category',
    'group_value',
  ],
  columns,
};
