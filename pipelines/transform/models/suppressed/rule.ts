/**
 * The one rule for what commissioners may see (docs/decisions/021-suppression-that-holds.md):
 * no count of 1 to 4 people is shown, and none can be worked out from what is shown — neither
 * one hidden cell nor the total of several hidden cells taken together. Every hidden count
 * reads "[c]", whatever the reason, since a label that told "1 to 4" apart from "hidden to
 * protect another" would itself narrow what a hidden count can be.
 *
 * The suppressed models take their SQL for hiding from here: the threshold, the label, the
 * select list that hides each count and every figure derived from it, and the step that
 * protects the values of a breakdown.
 */
import type { Column } from '../../model.js';

/** The smallest count of people shown; 1 to SMALLEST_SHOWN − 1 is never shown. */
export const SMALLEST_SHOWN = 5;

/** What a commissioner reads in place of a hidden count (the Government Statistical Service's mark for confidential). */
export const HIDDEN = '[c]';

/** SQL that follows a count: true when it is too small to show. */
export const SMALL = `between 1 and ${SMALLEST_SHOWN - 1}`;

export interface Hiding {
  /** Each count, and the SQL condition under which it is hidden (a count need not be a column itself). */
  counts: Record<string, string>;
  /** Each figure worked out from counts (a rate, a variance), and the counts it comes from. */
  derived?: Record<string, readonly string[]>;
}

/**
 * The select list of a suppressed model, in the order of its columns: each count as its value
 * (null when hidden) and `<count>_display` (the number, or "[c]"); each derived figure null
 * whenever any count it comes from is hidden; every other column as it is.
 *
 * @example hiddenSelect(columns, { counts: { starts: 'starts_hidden' }, derived: { rate: ['starts'] } })
 *   // "case when starts_hidden then null else starts end as starts, case when starts_hidden then '[c]' …"
 */
export function hiddenSelect(columns: readonly Column[], hiding: Hiding): string {
  const hiddenWhen = (count: string) => {
    const condition = hiding.counts[count];
    if (!condition) throw new Error(`${count} is not a suppressed count`);
    return `(${condition})`;
  };
  const items = columns.map(({ name }) => {
    if (name in hiding.counts)
      return `case when ${hiddenWhen(name)} then null else ${name} end as ${name}`;
    const count = name.replace(/_display$/, '');
    if (name.endsWith('_display') && count in hiding.counts)
      return `case when ${hiddenWhen(count)} then '${HIDDEN}' else ${count}::varchar end as ${name}`;
    const from = hiding.derived?.[name];
    if (from)
      return `case when ${from.map(hiddenWhen).join(' or ')} then null else ${name} end as ${name}`;
    return name;
  });
  for (const count of Object.keys(hiding.counts))
    if (
      columns.some((c) => c.name === count) &&
      !columns.some((c) => c.name === `${count}_display`)
    )
      throw new Error(`${count} is suppressed but has no ${count}_display column`);
  return items.join(',\n        ');
}

/**
 * The column definitions for a suppressed count and the text shown for it; `label` is the heading
 * of either on a page.
 */
export function suppressedCount(name: string, what: string, label?: string): Column[] {
  const shown = label ? { label, format: 'number' as const } : {};
  return [
    {
      name,
      type: 'INTEGER',
      description: `${what}; null when hidden`,
      tests: [{ min: 0 }],
      ...shown,
    },
    {
      name: `${name}_display`,
      ...shown,
      type: 'VARCHAR',
      description: `${what} as commissioners see it: the number, or "${HIDDEN}" when it is hidden (it is 1 to 4, or it would let a count of 1 to 4 be worked out)`,
      tests: ['not_null'],
    },
  ];
}

export interface NestedCounts {
  /** The CTE to start from. */
  from: string;
  /** Columns that name a group whose values add up to its total row (e.g. contract_id, breakdown). */
  group: readonly string[];
  /** SQL: whether a row is its group's total (hidden only for its own sake, never to protect another). */
  total: string;
  /** The column that breaks ties between values of the same size. */
  tieBreak: string;
  /** The counts, each a subset of the one before (referrals ⊇ starts ⊇ job entries ⊇ sustained). */
  counts: readonly string[];
}

/**
 * CTEs that decide, for each count of each row, `<count>_hidden`, over a table whose rows in a
 * group add up to the group's total row:
 *
 *   primary    a count of 1 to 4 is hidden;
 *   nested     a count is hidden, when not 0, wherever the count it is part of is hidden (a
 *              shown part would say the hidden whole is at least that much);
 *   secondary  where a group has a hidden value, the smallest other non-zero values (ties by
 *              `tieBreak`) are hidden too, one at a time, until at least two are hidden and
 *              together they come to 5 or more, so that the total less the values shown
 *              gives neither one hidden value nor a count of 1 to 4.
 *
 * The last CTE is named `<from>_hidden`.
 */
export function nestedCountsHidden(spec: NestedCounts): string {
  const group = spec.group.join(', ');
  const ctes: string[] = [];
  let previous = spec.from;
  let parent: string | null = null;
  for (const count of spec.counts) {
    const forced = `${count}_forced`;
    const candidate = `(not ${forced} and ${count} > 0 and not (${spec.total}))`;
    ctes.push(`${count}_forced as (
    select
        *,
        ${count} ${SMALL}${parent ? ` or (${parent}_hidden and ${count} > 0)` : ''} as ${forced}
    from ${previous}
),

${count}_ranked as (
    select
        *,
        count(*) filter (where ${forced} and not (${spec.total})) over grp as ${count}_forced_values,
        coalesce(sum(${count}) filter (where ${forced} and not (${spec.total})) over grp, 0) as ${count}_forced_sum,
        row_number() over (partition by ${group}, ${candidate} order by ${count}, ${spec.tieBreak}) as ${count}_rank,
        coalesce(sum(${count}) over (
            partition by ${group}, ${candidate}
            order by ${count}, ${spec.tieBreak}
            rows between unbounded preceding and 1 preceding
        ), 0) as ${count}_smaller
    from ${count}_forced
    window grp as (partition by ${group})
),

${count}_checked as (
    select
        *,
        ${forced} or (
            ${candidate}
            and ${count}_forced_values > 0
            and (${count}_forced_values + ${count}_rank - 1 < 2 or ${count}_forced_sum + ${count}_smaller < ${SMALLEST_SHOWN})
        ) as ${count}_hidden
    from ${count}_ranked
)`);
    previous = `${count}_checked`;
    parent = count;
  }
  ctes.push(`${spec.from}_hidden as (
    select * from ${previous}
)`);
  return ctes.join(',\n\n');
}
