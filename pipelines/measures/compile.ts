/**
 * The one compiler from programme-defined measures (reference data) to SQL over the
 * participant-journey table (ADR 024). Identifiers come only from the journey table's field
 * list (journey-fields.ts), values only as quoted literals or finite numbers, so nothing a
 * commissioner uploads is ever pasted into SQL as written.
 */
import { sqlIdent, sqlString } from '../duckdb/open.js';
import { journeyBreakdownNames, journeyField } from './journey-fields.js';
import type { Grouping, JourneyMeasure, MeasureFilter } from './schema.js';

/** What the compiler needs of a programme. */
export interface MeasuredProgramme {
  id: string;
  /** The month (1 to 12) a programme year starts in: 6 for a pilot year June to May. */
  year_start_month: number;
  journey_measures: readonly JourneyMeasure[];
  groupings: readonly Grouping[];
}

export class MeasureError extends Error {
  constructor(
    readonly measureId: string,
    message: string,
  ) {
    super(`Measure ${measureId}: ${message}`);
    this.name = 'MeasureError';
  }
}

/** The period grains every measure is given in. */
export const grains = ['month', 'quarter', 'financial_year', 'programme_year', 'to_date'] as const;
export type PeriodGrain = (typeof grains)[number];

/** The cohorts: a participant counted in the period of the measure's own date, or of their referral. */
export const cohorts = ['event', 'referral'] as const;

function column(name: string, measureId: string): string {
  if (!journeyField(name))
    throw new MeasureError(measureId, `${name} is not a field of the participant-journey table`);
  return `j.${sqlIdent(name)}`;
}

function literal(v: string | number, numeric: boolean, measureId: string, field: string): string {
  if (numeric) {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n))
      throw new MeasureError(measureId, `${field} takes numbers, not "${v}"`);
    return String(n);
  }
  return sqlString(String(v));
}

/** SQL that is true for a participant (journey row `j`) meeting every filter. */
export function filterSql(filters: readonly MeasureFilter[], measureId: string): string {
  const parts = filters.map((f) => {
    const field = journeyField(f.field);
    const col = column(f.field, measureId);
    const numeric = field?.kind === 'integer' || field?.kind === 'number';
    const conditions: string[] = [];
    const list = (vs: readonly (string | number)[]) =>
      vs.map((v) => literal(v, numeric, measureId, f.field)).join(', ');
    const asText = numeric ? col : `${col}::varchar`;
    if (f.in) conditions.push(`${asText} in (${list(f.in)})`);
    if (f.not_in) conditions.push(`(${col} is null or ${asText} not in (${list(f.not_in)}))`);
    for (const [key, op] of [
      ['min', '>='],
      ['max', '<='],
    ] as const) {
      const bound = f[key];
      if (bound === undefined) continue;
      if (!numeric)
        throw new MeasureError(measureId, `${f.field} is not a number, so it cannot take ${key}`);
      conditions.push(`${col} ${op} ${literal(bound, true, measureId, f.field)}`);
    }
    if (f.blank !== undefined) conditions.push(`${col} is ${f.blank ? '' : 'not '}null`);
    return `(${conditions.join(' and ')})`;
  });
  return parts.length ? parts.join(' and ') : 'true';
}

function unitLabel(unit: 'days' | 'weeks', n: number): string {
  return `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
}

/** The labels of a duration's bands, in order, and of its cumulative shares ("under N"). */
export function bandLabels(
  cuts: readonly number[],
  unit: 'days' | 'weeks',
): { bands: string[]; cumulative: string[] } {
  if (!cuts.length) return { bands: [], cumulative: [] };
  return {
    bands: [
      ...cuts.map((c, i) =>
        i === 0 ? `under ${unitLabel(unit, c)}` : `${cuts[i - 1]} to under ${unitLabel(unit, c)}`,
      ),
      `${unitLabel(unit, cuts[cuts.length - 1]!)} or more`,
    ],
    cumulative: cuts.map((c) => `under ${unitLabel(unit, c)}`),
  };
}

/** The band label of a duration (`amount`, in its unit), for SQL. */
function bandCase(
  cuts: readonly number[],
  unit: 'days' | 'weeks',
): { label: string; order: string } {
  const names = bandLabels(cuts, unit).bands;
  const label = `case ${cuts
    .map((c, i) => `when amount < ${Number(c)} then ${sqlString(names[i]!)}`)
    .join(' ')} else ${sqlString(names[cuts.length]!)} end`;
  const order = `case ${cuts.map((c, i) => `when amount < ${Number(c)} then ${i + 1}`).join(' ')} else ${cuts.length + 1} end`;
  return { label, order };
}

/**
 * One row per participant counted in a measure (`person`, with what the cohorts need of their
 * journey): its date, and the number (a duration, a count of contacts) or code (a
 * distribution's value, a duration's band) they contribute.
 */
function memberSql(programme: MeasuredProgramme, m: JourneyMeasure): string | null {
  const where = [`j.programme_id = ${sqlString(programme.id)}`, filterSql(m.filters, m.id)];
  let date: string;
  let amount = 'null::double';
  let category = 'null::varchar';
  let groupValue = `'all'`;
  let bandOrder = 'null::integer';
  let within = 'null::boolean';
  switch (m.kind) {
    case 'rate':
      return null;
    case 'count_of_milestone':
      date = column(m.milestone, m.id);
      break;
    case 'count_meeting_condition':
      date = column(m.on, m.id);
      break;
    case 'duration': {
      const from = column(m.from, m.id);
      date = column(m.to, m.id);
      where.push(`${from} is not null`);
      amount = `((${date} - ${from})${m.unit === 'weeks' ? ' / 7.0' : ''})::double`;
      if (m.bands_under.length) {
        const bands = bandCase(m.bands_under, m.unit);
        category = bands.label.replaceAll('amount', amount);
        bandOrder = bands.order.replaceAll('amount', amount);
      }
      if (m.within !== undefined) within = `${amount} <= ${Number(m.within)}`;
      break;
    }
    case 'numeric': {
      date = column(m.on, m.id);
      const value = column(m.field, m.id);
      where.push(`${value} is not null`);
      amount = `${value}::double`;
      break;
    }
    case 'distribution':
      date = column(m.on, m.id);
      category = `coalesce(nullif(trim(${column(m.field, m.id)}::varchar), ''), 'not_recorded')`;
      if (m.across)
        groupValue = `coalesce(nullif(trim(${column(m.across, m.id)}::varchar), ''), 'not_recorded')`;
      break;
  }
  where.push(`${date} is not null`);
  return `select j.person, j.contract_id, j.programme_id, j.provider_id, j.as_at_period, j.referral_date, ${sqlString(m.id)} as measure_id, ${date} as event_date, ${amount} as amount, ${category} as category, ${groupValue} as group_value, ${bandOrder} as band_order, ${within} as within_standard, ${m.kind === 'duration'} as has_median
    from journeys as j
    where ${where.join('\n      and ')}`;
}

/**
 * Every participant (`person`, their number in the journeys) under every breakdown: the total,
 * each breakdown field, each programme grouping.
 */
export function breakdownRowsSql(programmes: readonly MeasuredProgramme[]): string {
  const fields = journeyBreakdownNames.map((n) => sqlIdent(n));
  const cast = fields
    .map((f) => `coalesce(nullif(trim(${f}::varchar), ''), 'not_recorded') as ${f}`)
    .join(',\n            ');
  const parts = [
    `select person, 'all' as breakdown, 'all' as breakdown_value from journeys`,
    `select person, breakdown, breakdown_value from (
        unpivot (select person,
            ${cast}
        from journeys)
        on ${fields.join(', ')}
        into name breakdown value breakdown_value
    )`,
  ];
  for (const p of programmes)
    for (const g of p.groupings)
      parts.push(
        `select j.person, ${sqlString(g.id)} as breakdown, case ${g.groups
          .map((grp) => `when ${filterSql(grp.filters, g.id)} then ${sqlString(grp.value)}`)
          .join(' ')} else ${sqlString(g.otherwise)} end as breakdown_value
    from journeys as j
    where j.programme_id = ${sqlString(p.id)}`,
      );
  return parts.join('\n    union all\n    ');
}

export function memberRowsSql(programmes: readonly MeasuredProgramme[]): string {
  const parts = programmes.flatMap((p) =>
    p.journey_measures.map((m) => memberSql(p, m)).filter((s): s is string => s !== null),
  );
  // A typed empty row set when no programme defines a measure, so the mart still builds.
  parts.push(
    `select null::bigint as person, null::varchar as contract_id, null::varchar as programme_id, null::varchar as provider_id, null::varchar as as_at_period, null::date as referral_date, null::varchar as measure_id, null::date as event_date, null::double as amount, null::varchar as category, null::varchar as group_value, null::integer as band_order, null::boolean as within_standard, null::boolean as has_median where false`,
  );
  return parts.join('\n    union all\n    ');
}

/** SQL for the first month of the programme year, by programme. */
export function yearStartSql(
  programmes: readonly MeasuredProgramme[],
  programmeColumn: string,
): string {
  const whens = programmes
    .filter((p) => p.year_start_month !== 4)
    .map((p) => `when ${sqlString(p.id)} then ${Math.trunc(p.year_start_month)}`);
  return whens.length ? `case ${programmeColumn} ${whens.join(' ')} else 4 end` : '4';
}

const Z = '1.959963984540054';

/**
 * The 95% Wilson score interval for `n` successes in `d` trials, clamped to [0, 1]; none when
 * `n` exceeds `d` (a rate of flows in one period, job entries over starts in a month, say).
 */
export function wilsonSql(n: string, d: string): { low: string; high: string } {
  const p = `(${n}::double / ${d})`;
  const centre = `((${p} + ${Z} * ${Z} / (2 * ${d})) / (1 + ${Z} * ${Z} / ${d}))`;
  const half = `(${Z} / (1 + ${Z} * ${Z} / ${d}) * sqrt(${p} * (1 - ${p}) / ${d} + ${Z} * ${Z} / (4.0 * ${d} * ${d})))`;
  return {
    low: `case when ${d} > 0 and ${n} <= ${d} then greatest(0.0::double, ${centre} - ${half}) end`,
    high: `case when ${d} > 0 and ${n} <= ${d} then least(1.0::double, ${centre} + ${half}) end`,
  };
}

const KEYS =
  'contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end, breakdown, breakdown_value';

interface Row {
  statistic: string;
  category?: string;
  groupValue?: string;
  participants: string;
  numerator: string;
  denominator: string;
  value: string;
  interval?: boolean;
  met?: string;
}

function select(m: JourneyMeasure, unit: string, r: Row, from: string, groupBy: string): string {
  const wilson = wilsonSql(r.numerator, r.denominator);
  return `select ${KEYS},
        ${sqlString(m.id)} as measure_id,
        ${sqlString(m.label)} as measure_label,
        ${sqlString(m.kind)} as kind,
        ${sqlString(unit)} as unit,
        ${sqlString(r.statistic)} as statistic,
        ${r.category ?? "'all'"} as category,
        ${r.groupValue ?? "'all'"} as group_value,
        (${r.participants})::integer as participants,
        (${r.numerator})::integer as numerator,
        (${r.denominator})::integer as denominator,
        (${r.value})::double as value,
        ${r.interval ? wilson.low : 'null::double'} as value_low,
        ${r.interval ? wilson.high : 'null::double'} as value_high,
        ${r.met ?? 'null::boolean'} as meets_standard
    from ${from}
    ${groupBy}`;
}

function metSql(
  value: string,
  standard?: { min_rate?: number; max_rate?: number },
): string | undefined {
  if (!standard || (standard.min_rate === undefined && standard.max_rate === undefined))
    return undefined;
  const parts: string[] = [];
  if (standard.min_rate !== undefined) parts.push(`${value} >= ${Number(standard.min_rate)}`);
  if (standard.max_rate !== undefined) parts.push(`${value} <= ${Number(standard.max_rate)}`);
  return `(${parts.join(' and ')})`;
}

/** The rows of one measure in measure_values, from `measure_stats` and `category_stats`. */
function measureRowsSql(m: JourneyMeasure): string[] {
  const id = sqlString(m.id);
  const stats = `measure_stats where measure_id = ${id}`;
  const categories = `category_stats where measure_id = ${id}`;
  const count = (statistic: string, value: string): Row => ({
    statistic,
    participants: 'participants',
    numerator: 'null',
    denominator: 'null',
    value,
  });
  switch (m.kind) {
    case 'count_of_milestone':
    case 'count_meeting_condition':
      return [select(m, 'participants', count('count', 'participants'), stats, '')];
    case 'rate': {
      const value = `coalesce(n.participants, 0)::double / d.participants`;
      return [
        select(
          m,
          'share',
          {
            statistic: 'rate',
            participants: 'coalesce(n.participants, 0)',
            numerator: 'coalesce(n.participants, 0)',
            denominator: 'd.participants',
            value,
            interval: true,
            met: metSql(value, m.standard),
          },
          `(select * from measure_stats where measure_id = ${sqlString(m.denominator)}) as d
    left join (select * from measure_stats where measure_id = ${sqlString(m.numerator)}) as n
        using (${KEYS})`,
          '',
        ),
      ];
    }
    case 'duration': {
      const unit = m.unit;
      const rows = [
        select(m, unit, count('mean', 'amount_mean'), stats, ''),
        select(m, unit, count('median', 'amount_median'), stats, ''),
      ];
      const cuts = m.bands_under;
      if (cuts.length) {
        rows.push(
          select(
            m,
            'share',
            {
              statistic: 'band',
              category: 'category',
              participants: 'participants',
              numerator: 'participants',
              denominator: `sum(participants) over (partition by ${KEYS})`,
              value: `participants / sum(participants) over (partition by ${KEYS})`,
              interval: true,
            },
            categories,
            '',
          ),
        );
        cuts.forEach((c, i) => {
          const under = `coalesce(sum(participants) filter (where band_order <= ${i + 1}), 0)`;
          rows.push(
            select(
              m,
              'share',
              {
                statistic: 'cumulative',
                category: sqlString(`under ${unitLabel(unit, c)}`),
                participants: under,
                numerator: under,
                denominator: 'sum(participants)',
                value: `${under} / sum(participants)`,
                interval: true,
              },
              categories,
              `group by ${KEYS}`,
            ),
          );
        });
      }
      if (m.within !== undefined) {
        const value = `within_participants / participants`;
        rows.push(
          select(
            m,
            'share',
            {
              statistic: 'within',
              category: sqlString(`within ${unitLabel(unit, Number(m.within))}`),
              participants: 'within_participants',
              numerator: 'within_participants',
              denominator: 'participants',
              value,
              interval: true,
              met: metSql(value, m.standard),
            },
            stats,
            '',
          ),
        );
      }
      return rows;
    }
    case 'numeric': {
      const integral = journeyField(m.field)?.kind === 'integer';
      return [
        select(
          m,
          m.field,
          {
            statistic: m.statistic,
            participants: 'participants',
            numerator: integral ? 'amount_sum' : 'null',
            denominator: 'participants',
            value: m.statistic === 'mean' ? 'amount_mean' : 'amount_sum',
          },
          stats,
          '',
        ),
      ];
    }
    case 'distribution':
      return [
        select(
          m,
          'share',
          {
            statistic: 'share',
            category: 'category',
            groupValue: 'group_value',
            participants: 'participants',
            numerator: 'participants',
            denominator: `sum(participants) over (partition by ${KEYS}, group_value)`,
            value: `participants / sum(participants) over (partition by ${KEYS}, group_value)`,
            interval: true,
          },
          categories,
          '',
        ),
      ];
  }
}

export function measureRowsUnionSql(programmes: readonly MeasuredProgramme[]): string {
  const parts = programmes.flatMap((p) => p.journey_measures.flatMap(measureRowsSql));
  return parts.length ? parts.join('\n\n    union all\n\n    ') : emptyMeasureRows;
}

const emptyMeasureRows = `select ${KEYS.split(', ')
  .map((k) => (k.startsWith('period_') ? `null::date as ${k}` : `null::varchar as ${k}`))
  .join(', ')},
        null::varchar as measure_id, null::varchar as measure_label, null::varchar as kind, null::varchar as unit,
        null::varchar as statistic, null::varchar as category, null::varchar as group_value,
        null::integer as participants, null::integer as numerator, null::integer as denominator,
        null::double as value, null::double as value_low, null::double as value_high, null::boolean as meets_standard
    from measure_stats where false`;

/** The placeholders of measure_values.sql, compiled from every programme's measures. */
export function measureValuesPlaceholders(
  programmes: readonly MeasuredProgramme[],
): Record<string, string> {
  return {
    breakdown_rows: breakdownRowsSql(programmes),
    member_rows: memberRowsSql(programmes),
    programme_year_start: yearStartSql(programmes, 'member_kinds.programme_id'),
    measure_rows: measureRowsUnionSql(programmes),
  };
}

/**
 * Who a measure counts, as a key: two measures with the same key count the same people (the
 * same date, the same filters, the same field required), so their counts are one figure
 * wherever either is shown. Suppression (suppressed_measure_values) hides such a figure in
 * every place at once.
 */
export function memberSignature(m: Exclude<JourneyMeasure, { kind: 'rate' }>): string {
  const date = m.kind === 'count_of_milestone' ? m.milestone : m.kind === 'duration' ? m.to : m.on;
  const required = m.kind === 'duration' ? [m.from] : m.kind === 'numeric' ? [m.field] : [];
  const filters = m.filters.map((f) => JSON.stringify(f, Object.keys(f).sort())).sort();
  return JSON.stringify({ date, required: [...new Set(required)].sort(), filters });
}

/**
 * The tables suppressed_measure_values needs of the measures in force: each measure's kind,
 * the people its counts are of (a signature id; a rate's numerator and denominator take their
 * measures'), its field and `across`; each duration's bands in order; and each cumulative
 * share with the last band it adds up to.
 */
export function measureCellDefsSql(programmes: readonly MeasuredProgramme[]): {
  measure_defs: string;
  band_defs: string;
  cumulative_defs: string;
} {
  const defs: string[] = [];
  const bands: string[] = [];
  const cumulative: string[] = [];
  for (const p of programmes) {
    const sigs = new Map<string, string>();
    const sigOf = (m: JourneyMeasure | undefined): string => {
      if (!m || m.kind === 'rate') return 'none';
      const key = memberSignature(m);
      if (!sigs.has(key)) sigs.set(key, `s${sigs.size + 1}`);
      return sigs.get(key)!;
    };
    const byId = new Map(p.journey_measures.map((m) => [m.id, m]));
    for (const m of p.journey_measures) {
      const own = m.kind === 'rate' ? sigOf(byId.get(m.numerator)) : sigOf(m);
      const of = m.kind === 'rate' ? sigOf(byId.get(m.denominator)) : own;
      const field = m.kind === 'distribution' ? sqlString(m.field) : 'null';
      const across = m.kind === 'distribution' && m.across ? sqlString(m.across) : 'null';
      defs.push(
        `(${sqlString(p.id)}, ${sqlString(m.id)}, ${sqlString(own)}, ${sqlString(of)}, ${field}, ${across})`,
      );
      if (m.kind !== 'duration') continue;
      const labels = bandLabels(m.bands_under, m.unit);
      labels.bands.forEach((b, i) =>
        bands.push(`(${sqlString(p.id)}, ${sqlString(m.id)}, ${sqlString(b)}, ${i + 1})`),
      );
      labels.cumulative.forEach((c, i) =>
        cumulative.push(`(${sqlString(p.id)}, ${sqlString(m.id)}, ${sqlString(c)}, ${i + 1})`),
      );
    }
  }
  const table = (rows: string[], columns: string, empty: string) =>
    rows.length
      ? `select * from (values ${rows.join(', ')}) as t(${columns})`
      : `select ${empty} where false`;
  return {
    measure_defs: table(
      defs,
      'programme_id, measure_id, sig, of_sig, field, across',
      'null::varchar as programme_id, null::varchar as measure_id, null::varchar as sig, null::varchar as of_sig, null::varchar as field, null::varchar as across',
    ),
    band_defs: table(
      bands,
      'programme_id, measure_id, category, band_order',
      'null::varchar as programme_id, null::varchar as measure_id, null::varchar as category, null::integer as band_order',
    ),
    cumulative_defs: table(
      cumulative,
      'programme_id, measure_id, category, up_to',
      'null::varchar as programme_id, null::varchar as measure_id, null::varchar as category, null::integer as up_to',
    ),
  };
}
