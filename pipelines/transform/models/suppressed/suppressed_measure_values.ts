import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { measureCellDefsSql } from '../../../measures/compile.js';
import { measureValueColumns, measuredProgrammes } from '../marts/measure_values.js';
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
 * One pass over every sum at once (see the SQL file's header): from `state_<k-1>`, the cells
 * each rule hides (`hide_<k>`), and `state_<k>` with them hidden.
 */
function pass(k: number): string {
  const before = `state_${k - 1}`;
  return `members_${k} as (
    select m.group_id, m.is_total, s.cell_key, s.value, s.hidden,
        (not s.hidden and not m.is_total and s.value > 0) as candidate
    from memberships as m
    join ${before} as s using (cell_key)
),

groups_${k} as (
    select
        group_id,
        coalesce(bool_or(hidden) filter (where is_total), false) as total_hidden,
        count(*) filter (where hidden and not is_total and value > 0) as hidden_parts,
        coalesce(sum(value) filter (where hidden and not is_total and value > 0), 0) as hidden_sum,
        count(*) filter (where not is_total and value > 0) as non_zero_parts
    from members_${k}
    group by group_id
),

ranked_${k} as (
    select
        members_${k}.*,
        groups_${k}.total_hidden,
        groups_${k}.hidden_parts,
        groups_${k}.hidden_sum,
        groups_${k}.non_zero_parts,
        row_number() over (partition by group_id, candidate order by value, cell_key) as rank,
        coalesce(sum(value) over (
            partition by group_id, candidate
            order by value, cell_key
            rows between unbounded preceding and 1 preceding
        ), 0) as smaller
    from members_${k}
    join groups_${k} using (group_id)
),

hide_${k} as materialized (
    select distinct cell_key from ranked_${k}
    where (candidate and not total_hidden and hidden_parts > 0
            and (hidden_parts + rank - 1 < 2 or hidden_sum + smaller < ${SMALLEST_SHOWN}))
        or (candidate and total_hidden and hidden_parts = 0 and rank = 1)
        or (is_total and not hidden and hidden_parts > 0 and non_zero_parts < 2)
    union
    select n.part
    from nested as n
    join ${before} as whole on whole.cell_key = n.whole
    join ${before} as part on part.cell_key = n.part
    where whole.hidden and not part.hidden and part.value > 0
),

state_${k} as materialized (
    select s.cell_key, s.contract_id, s.value, s.hidden or h.cell_key is not null as hidden
    from ${before} as s
    left join hide_${k} as h using (cell_key)
)`;
}

const passes = Array.from({ length: SUPPRESSION_PASSES }, (_, i) => pass(i + 1)).join(',\n\n');

/** The last pass's newly hidden cells, with their contracts (a contract with any has not settled). */
const lastHidden = `(select s.contract_id from hide_${SUPPRESSION_PASSES} join state_${SUPPRESSION_PASSES} as s using (cell_key))`;

export const suppressedMeasureValues: Model = {
  name: 'suppressed_measure_values',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Programme-defined measures as commissioners see them: each contract’s figures to date and by programme year (people counted in the year of the measure’s own date), by every breakdown, with no count of 1 to 4 shown or able to be worked out from the rest of the table: across breakdown values, programme years, the categories of a distribution, the margins of a transitions table, a duration’s bands and cumulative shares, and the same count shown in two rows. Every hidden count reads "[c]". The true figures, by every period, stay in measure_values.',
  sql: sqlFile(import.meta.url, 'suppressed_measure_values', {
    passes,
    last_hidden: lastHidden,
    last_state: `state_${SUPPRESSION_PASSES}`,
    columns: hiddenSelect(columns, hiding),
  }),
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
