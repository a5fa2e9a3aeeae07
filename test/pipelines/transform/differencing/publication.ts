/**
 * What a commissioner can read, as the attacker sees it: every cell of the suppressed tables
 * beside its true value (from the true marts), and every relation between them that holds in
 * the true figures and that anyone who knows how the tables are made can write down:
 *
 *   - a month's actual is its cumulative less the cumulative of the month before;
 *   - a quarter, a year or a block of months is the sum of its months, and its cumulative is
 *     the cumulative of its last month;
 *   - the values of a breakdown add up to its `all` row, and a count is at most the count it
 *     is part of (job entries are of people who started, who were referred);
 *   - the same figure in two tables: a contract's referrals, starts, job entries and
 *     sustained jobs to date in outcomes and in performance, and in the costs table, whose
 *     payments due are the contract's fees times those counts;
 *   - derived figures: a variance or % of profile gives the actual (the profile is shown), a
 *     rate with one of its counts gives the other, a rate with its interval gives both;
 *   - claims verification (ADR 040): the claims with evidence and without add up to those
 *     sampled, sampled claims are of outcomes paid, the amount paid is the outcomes paid times
 *     the contract's payment, and the outcomes paid are the contract's job entries (or
 *     sustained jobs) where the months checked are all its months.
 */
import { measureValueCells, type ProgrammeMeasures } from './measure-values.js';
import type { Cell, Inequality, Relation } from './solver.js';

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export interface Measure {
  programme_id: string;
  measure_id: string;
  milestone: string;
}

export interface PublicationOptions {
  measures: readonly Measure[];
  /** What a display label tells the attacker, e.g. the old `{ '<5': [1, 4] }`. */
  labels?: Record<string, readonly [number, number]>;
  /**
   * What the attacker knows of the breakdown rule (ADR 021): a hidden value whose whole is shown
   * is hidden for its own sake or as the smallest other, so it is 1 to the smallest value shown.
   */
  knowsBreakdownRule?: boolean;
  /**
   * The programmes' own measures (reference data, ADR 024): with them, suppressed_measure_values
   * is read too, with every relation their definitions give (measure-values.ts).
   */
  journeyMeasures?: readonly ProgrammeMeasures[];
  /** Table names, when the suppressed tables under test are not the built ones (null: not published). */
  tables?: Partial<Record<SuppressedTable, string | null>>;
}

type SuppressedTable =
  | 'suppressed_performance'
  | 'suppressed_performance_quarterly'
  | 'suppressed_performance_yearly'
  | 'suppressed_outcomes'
  | 'suppressed_costs'
  | 'suppressed_measure_values'
  | 'suppressed_fair_comparison'
  | 'suppressed_claims_verification';

export interface Publication {
  cells: Cell[];
  relations: Relation[];
  inequalities: Inequality[];
}

const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : typeof v === 'number' ? v : Number(v);

const OUTCOME_COUNTS = ['referrals', 'starts', 'job_entries', 'sustained_jobs'] as const;
const NESTED: readonly (readonly [part: string, whole: string])[] = [
  ['starts', 'referrals'],
  ['job_entries', 'starts'],
  ['sustained_jobs', 'job_entries'],
];

export async function publication(query: Query, options: PublicationOptions): Promise<Publication> {
  const table = (t: SuppressedTable): string | null =>
    options.tables && t in options.tables ? (options.tables[t] ?? null) : t;
  const required = (t: SuppressedTable): string => {
    const name = table(t);
    if (name === null) throw new Error(`${t} must be published`);
    return name;
  };
  const existing = new Set(
    (await query(`select table_name from information_schema.tables`)).map((r) =>
      String(r.table_name),
    ),
  );
  const cells = new Map<string, Cell>();
  const relations: Relation[] = [];
  const inequalities: Inequality[] = [];
  const label = (display: unknown): Pick<Cell, 'low' | 'high'> => {
    const bounds = options.labels?.[String(display)];
    return bounds ? { low: bounds[0], high: bounds[1] } : {};
  };
  const add = (cell: Cell) => {
    if (cells.has(cell.key)) throw new Error(`two cells named ${cell.key}`);
    cells.set(cell.key, cell);
  };
  const relate = (why: string, terms: [string, number][], constant = 0) =>
    relations.push({ why, terms, constant });
  const milestoneOf = new Map(
    options.measures.map((m) => [`${m.programme_id}|${m.measure_id}`, m.milestone]),
  );

  // Performance, month by month: the actual and the cumulative.
  const months = await query(
    `select p.contract_id, p.programme_id, p.measure_id, p.period, p.actual as true_actual,
            p.cumulative_actual as true_cumulative, p.profile, p.cumulative_profile, s.*
     from performance p join ${required('suppressed_performance')} s using (contract_id, measure_id, period)
     order by p.contract_id, p.measure_id, p.period`,
  );
  const series = new Map<string, Record<string, unknown>[]>();
  for (const r of months) {
    const id = `${String(r.contract_id)}|${String(r.measure_id)}`;
    if (!series.has(id)) series.set(id, []);
    series.get(id)!.push(r);
  }
  const monthKey = (id: string, period: string, what: 'actual' | 'cumulative') =>
    `performance|${id}|${period}|${what}`;
  // The cumulative of each contract's measure at a month, by milestone, for the cross-table relations.
  const cumulativeAt = new Map<string, string>();
  for (const [id, rows] of series) {
    let previous: string | null = null;
    for (const r of rows) {
      const period = String(r.period);
      const a = monthKey(id, period, 'actual');
      const c = monthKey(id, period, 'cumulative');
      add({
        key: a,
        truth: num(r.true_actual)!,
        published: true,
        ...readCount(r.actual, [
          ['variance', num(r.variance) === null ? null : num(r.variance)! + num(r.profile)!],
          ['pct_of_profile', times(r.pct_of_profile, r.profile)],
        ]),
        ...label(r.actual_display),
      });
      add({
        key: c,
        truth: num(r.true_cumulative)!,
        published: true,
        ...readCount(r.cumulative_actual, [
          ['cumulative_pct_of_profile', times(r.cumulative_pct_of_profile, r.cumulative_profile)],
        ]),
        ...label(r.cumulative_actual_display),
      });
      relate(
        `cumulative ${id} ${period}`,
        previous
          ? [
              [c, 1],
              [previous, -1],
              [a, -1],
            ]
          : [
              [c, 1],
              [a, -1],
            ],
      );
      previous = c;
      const milestone = milestoneOf.get(`${String(r.programme_id)}|${String(r.measure_id)}`);
      if (milestone) cumulativeAt.set(`${String(r.contract_id)}|${milestone}|${period}`, c);
    }
  }

  // Blocks of months shown together, and the coarser tables: sums of months.
  const periodSum = (id: string, from: string, to: string): [string, number][] =>
    series
      .get(id)!
      .filter((r) => String(r.period) >= from && String(r.period) <= to)
      .map((r) => [monthKey(id, String(r.period), 'actual'), -1]);
  // Where a period is hidden, the months it is shown with and their total (ADR 021).
  const combined = (id: string, r: Record<string, unknown>) => {
    if (!('combined_from' in r)) return;
    const from = String(r.combined_from);
    const to = String(r.combined_to);
    const key = `combined|${id}|${from}|${to}`;
    if (cells.has(key)) {
      if (cells.get(key)!.shown !== num(r.combined_actual))
        throw new Error(`${key} is shown as two different figures`);
      return;
    }
    const sum = periodSum(id, from, to);
    add({
      key,
      truth: sum.reduce((t, [k]) => t + cells.get(k)!.truth, 0),
      published: true,
      shown: num(r.combined_actual),
      ...label(r.combined_actual_display),
    });
    relate(`months shown together ${key}`, [[key, 1], ...sum]);
  };
  for (const [id, rows] of series) for (const r of rows) combined(id, r);
  for (const grain of [
    'suppressed_performance_quarterly',
    'suppressed_performance_yearly',
  ] as const) {
    const name = table(grain);
    if (name === null || !existing.has(name)) continue;
    for (const r of await query(`select * from ${name}`)) {
      const id = `${String(r.contract_id)}|${String(r.measure_id)}`;
      combined(id, r);
      const from = String(r.period_from);
      const to = String(r.period_to);
      const sum = periodSum(id, from, to);
      const a = `${grain}|${id}|${String(r.period)}|actual`;
      const c = `${grain}|${id}|${String(r.period)}|cumulative`;
      const lastMonth = monthKey(id, to, 'cumulative');
      add({
        key: a,
        truth: sum.reduce((t, [k]) => t + cells.get(k)!.truth, 0),
        published: true,
        ...readCount(r.actual, [
          ['variance', num(r.variance) === null ? null : num(r.variance)! + num(r.profile)!],
          ['pct_of_profile', times(r.pct_of_profile, r.profile)],
        ]),
        ...label(r.actual_display),
      });
      add({
        key: c,
        truth: cells.get(lastMonth)!.truth,
        published: true,
        ...readCount(r.cumulative_actual, [
          ['cumulative_pct_of_profile', times(r.cumulative_pct_of_profile, r.cumulative_profile)],
        ]),
        ...label(r.cumulative_actual_display),
      });
      relate(`${grain} ${id} ${String(r.period)}`, [[a, 1], ...sum]);
      relate(`${grain} cumulative ${id} ${String(r.period)}`, [
        [c, 1],
        [lastMonth, -1],
      ]);
    }
  }
  const newest = new Map<string, string>();
  for (const [id, rows] of series) newest.set(id.split('|')[0]!, String(rows.at(-1)!.period));

  // Outcomes by breakdown.
  const outcomeRows = await query(
    `select o.contract_id, o.breakdown, o.breakdown_value, o.sustained_weeks,
            o.referrals as true_referrals, o.starts as true_starts, o.job_entries as true_job_entries,
            o.sustained_jobs as true_sustained_jobs, s.*
     from outcomes o join ${required('suppressed_outcomes')} s using (contract_id, breakdown, breakdown_value)`,
  );
  const outcomeKey = (r: Record<string, unknown>, k: string) =>
    `outcomes|${String(r.contract_id)}|${String(r.breakdown)}|${String(r.breakdown_value)}|${k}`;
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of outcomeRows) {
    const starts = num(r.starts);
    const jobs = num(r.job_entries);
    const rate = num(r.job_entry_rate);
    const fromRate = wilsonCounts(rate, num(r.job_entry_rate_low), num(r.job_entry_rate_high));
    const derived: Record<string, [string, number | null][]> = {
      starts: [
        ['job_entry_rate', jobs !== null && rate ? Math.round(jobs / rate) : null],
        ['job_entry_rate and its interval', fromRate?.n ?? null],
      ],
      job_entries: [
        ['job_entry_rate', starts !== null && rate !== null ? Math.round(rate * starts) : null],
        ['job_entry_rate and its interval', fromRate?.k ?? null],
      ],
    };
    for (const k of OUTCOME_COUNTS)
      add({
        key: outcomeKey(r, k),
        truth: num(r[`true_${k}`])!,
        published: true,
        ...readCount(r[k], derived[k] ?? []),
        ...label(r[`${k}_display`]),
      });
    for (const [part, whole] of NESTED)
      inequalities.push({ part: outcomeKey(r, part), whole: outcomeKey(r, whole) });
    const group = `${String(r.contract_id)}|${String(r.breakdown)}`;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push(r);
  }
  if (options.knowsBreakdownRule)
    for (const [group, rows] of groups) {
      if (group.endsWith('|all')) continue;
      OUTCOME_COUNTS.forEach((k, i) => {
        const shown = rows.map((r) => num(r[k])).filter((v): v is number => v !== null && v > 0);
        const smallestShown = shown.length ? Math.min(...shown) : Infinity;
        for (const r of rows) {
          const cell = cells.get(outcomeKey(r, k))!;
          const whole = i === 0 ? null : cells.get(outcomeKey(r, OUTCOME_COUNTS[i - 1]!))!;
          if (cell.shown !== null || (whole && whole.shown === null)) continue;
          cell.low = Math.max(cell.low ?? 0, 1);
          cell.high = Math.min(cell.high ?? Infinity, smallestShown);
        }
      });
    }
  for (const [group, rows] of groups) {
    const [contract] = group.split('|');
    const total = outcomeRows.find((r) => r.contract_id === contract && r.breakdown === 'all');
    if (!total || group.endsWith('|all')) continue;
    for (const k of OUTCOME_COUNTS)
      relate(`breakdown ${group} ${k}`, [
        [outcomeKey(total, k), -1],
        ...rows.map((r) => [outcomeKey(r, k), 1] as [string, number]),
      ]);
  }
  // The same figure to date in outcomes and performance.
  const sameFigure = (why: string, a: string, b: string | undefined) => {
    if (!b || cells.get(a)!.truth !== cells.get(b)!.truth) return;
    relate(why, [
      [a, 1],
      [b, -1],
    ]);
  };
  for (const r of outcomeRows.filter((x) => x.breakdown === 'all')) {
    const contract = String(r.contract_id);
    const period = newest.get(contract);
    const milestones: Record<string, string> = {
      referrals: 'referral_date',
      starts: 'start_date',
      job_entries: 'job_entry_date',
      sustained_jobs: `sustained_${String(r.sustained_weeks)}_weeks_date`,
    };
    for (const k of OUTCOME_COUNTS)
      sameFigure(
        `${contract} ${k} in outcomes and performance`,
        outcomeKey(r, k),
        cumulativeAt.get(`${contract}|${milestones[k]}|${period}`),
      );
  }

  // Fair comparison (issue 14): a provider's starts and job entries (O) are the sums of its
  // contracts' in outcomes; O/E times E gives O where both are shown; O is at most the starts.
  const fairTable = table('suppressed_fair_comparison');
  if (fairTable !== null && existing.has(fairTable)) {
    const fair = await query(
      `select f.starts as true_starts, f.observed as true_observed, s.*
       from fair_comparison f join ${fairTable} s using (programme_id, provider_id)`,
    );
    const owners = await query(
      `select distinct contract_id, programme_id, provider_id from outcomes`,
    );
    for (const r of fair) {
      const key = (k: string) => `fair|${String(r.programme_id)}|${String(r.provider_id)}|${k}`;
      const ratio = num(r.oe_ratio);
      const expected = num(r.expected);
      add({
        key: key('starts'),
        truth: num(r.true_starts)!,
        published: true,
        ...readCount(r.starts, []),
        ...label(r.starts_display),
      });
      add({
        key: key('observed'),
        truth: num(r.true_observed)!,
        published: true,
        ...readCount(r.observed, [
          [
            'oe_ratio × expected',
            ratio !== null && expected !== null ? Math.round(ratio * expected) : null,
          ],
        ]),
        ...label(r.observed_display),
      });
      inequalities.push({ part: key('observed'), whole: key('starts') });
      const contracts = new Set(
        owners
          .filter((o) => o.programme_id === r.programme_id && o.provider_id === r.provider_id)
          .map((o) => String(o.contract_id)),
      );
      const totals = outcomeRows.filter(
        (x) => x.breakdown === 'all' && contracts.has(String(x.contract_id)),
      );
      for (const [mine, theirs] of [
        ['starts', 'starts'],
        ['observed', 'job_entries'],
      ] as const) {
        const parts = totals.map((x) => outcomeKey(x, theirs));
        const sum = parts.reduce((a, k) => a + cells.get(k)!.truth, 0);
        // Only where the figures are the same by definition in the true marts.
        if (!parts.length || sum !== cells.get(key(mine))!.truth) continue;
        relate(`${key(mine)} is its contracts' ${theirs} in outcomes`, [
          [key(mine), 1],
          ...parts.map((k) => [k, -1] as [string, number]),
        ]);
      }
    }
  }

  // Costs to date: counts, payments due (the fees are in the contract), cost per outcome.
  const costs = await query(
    `select k.*, p.cumulative_starts as true_starts, p.cumulative_job_entries as true_job_entries,
            p.cumulative_sustained_jobs as true_sustained_jobs, p.cumulative_total_due as true_total_due,
            p.service_fee_per_start, p.job_outcome_payment, p.sustained_payment, p.sustained_weeks
     from ${required('suppressed_costs')} k join payments p using (contract_id, period)`,
  );
  const costsPeriod = new Map<string, string>();
  for (const r of costs) {
    const contract = String(r.contract_id);
    costsPeriod.set(contract, String(r.period));
    const key = (k: string) => `costs|${contract}|${k}`;
    const due = num(r.cumulative_total_due);
    const perJob = num(r.cost_per_job_entry);
    const perSustained = num(r.cost_per_sustained_job);
    add({ key: key('starts'), truth: num(r.true_starts)!, published: false, shown: null });
    add({
      key: key('job_entries'),
      truth: num(r.true_job_entries)!,
      published: true,
      ...readCount(r.cumulative_job_entries, [
        ['cost_per_job_entry', due !== null && perJob ? Math.round(due / perJob) : null],
      ]),
      ...label(r.cumulative_job_entries_display),
    });
    add({
      key: key('sustained_jobs'),
      truth: num(r.true_sustained_jobs)!,
      published: true,
      ...readCount(r.cumulative_sustained_jobs, [
        [
          'cost_per_sustained_job',
          due !== null && perSustained ? Math.round(due / perSustained) : null,
        ],
      ]),
    });
    add({
      key: key('total_due'),
      truth: num(r.true_total_due)!,
      published: true,
      ...readCount(r.cumulative_total_due, []),
    });
    relate(
      `${contract} payments due`,
      [
        [key('total_due'), 1],
        [key('starts'), -num(r.service_fee_per_start)!],
        [key('job_entries'), -num(r.job_outcome_payment)!],
        [key('sustained_jobs'), -num(r.sustained_payment)!],
      ],
      0,
    );
    const period = String(r.period);
    sameFigure(
      `${contract} starts in costs and performance`,
      key('starts'),
      cumulativeAt.get(`${contract}|start_date|${period}`),
    );
    sameFigure(
      `${contract} job entries in costs and performance`,
      key('job_entries'),
      cumulativeAt.get(`${contract}|job_entry_date|${period}`),
    );
    sameFigure(
      `${contract} sustained jobs in costs and performance`,
      key('sustained_jobs'),
      cumulativeAt.get(`${contract}|sustained_${String(r.sustained_weeks)}_weeks_date|${period}`),
    );
  }

  // Claims verification (ADR 040), pooled per contract and outcome kind over the months whose
  // sample is answered. The held count (sampled − not held) is protected too, so it is a cell.
  const claimsTable = table('suppressed_claims_verification');
  if (claimsTable !== null && existing.has(claimsTable)) {
    const claims = await query(
      `with truth as (
         select contract_id, outcome_kind, sum(outcomes_paid)::integer as true_outcomes_paid,
                sum(sampled)::integer as true_sampled, sum(not_held)::integer as true_not_held,
                max(payment_per_outcome) as payment_per_outcome
         from claims_verification v
         where complete and not exists (
           select 1 from claims_verification o
           where o.contract_id = v.contract_id and o.outcome_kind = v.outcome_kind
             and not o.complete and o.period <= v.period)
         group by all
       )
       select t.*, s.* exclude (contract_id, outcome_kind)
       from truth t join ${claimsTable} s using (contract_id, outcome_kind)
       order by contract_id, outcome_kind`,
    );
    const milestoneOfKind = (kind: string, weeks: unknown) =>
      kind === 'job_entry' ? 'job_entry_date' : `sustained_${String(weeks)}_weeks_date`;
    const sustainedWeeks = new Map(
      outcomeRows
        .filter((r) => r.breakdown === 'all')
        .map((r) => [String(r.contract_id), r.sustained_weeks]),
    );
    for (const r of claims) {
      const contract = String(r.contract_id);
      const kind = String(r.outcome_kind);
      const key = (k: string) => `claims|${contract}|${kind}|${k}`;
      const payment = num(r.payment_per_outcome);
      const paid = num(r.paid);
      const sampled = num(r.sampled);
      const notHeld = num(r.not_held);
      const rate = num(r.error_rate);
      const fromRate = wilsonCounts(rate, num(r.error_rate_low), num(r.error_rate_high));
      add({
        key: key('outcomes_paid'),
        truth: num(r.true_outcomes_paid)!,
        published: true,
        ...readCount(r.outcomes_paid, [
          ['paid ÷ payment', paid !== null && payment ? Math.round(paid / payment) : null],
        ]),
        ...label(r.outcomes_paid_display),
      });
      add({
        key: key('sampled'),
        truth: num(r.true_sampled)!,
        published: true,
        ...readCount(r.sampled, [
          ['error_rate', notHeld !== null && rate ? Math.round(notHeld / rate) : null],
          ['error_rate and its interval', fromRate?.n ?? null],
        ]),
        ...label(r.sampled_display),
      });
      add({
        key: key('not_held'),
        truth: num(r.true_not_held)!,
        published: true,
        ...readCount(r.not_held, [
          ['error_rate', sampled !== null && rate !== null ? Math.round(rate * sampled) : null],
          ['error_rate and its interval', fromRate?.k ?? null],
        ]),
        ...label(r.not_held_display),
      });
      add({
        key: key('held'),
        truth: num(r.true_sampled)! - num(r.true_not_held)!,
        published: true,
        shown: sampled !== null && notHeld !== null ? sampled - notHeld : null,
      });
      relate(`${key('sampled')} is those held and those not`, [
        [key('sampled'), 1],
        [key('held'), -1],
        [key('not_held'), -1],
      ]);
      inequalities.push({ part: key('sampled'), whole: key('outcomes_paid') });
      inequalities.push({ part: key('held'), whole: key('sampled') });
      inequalities.push({ part: key('not_held'), whole: key('sampled') });
      const milestone = milestoneOfKind(kind, sustainedWeeks.get(contract));
      sameFigure(
        `${key('outcomes_paid')} and the cumulative in performance`,
        key('outcomes_paid'),
        cumulativeAt.get(`${contract}|${milestone}|${String(r.period)}`),
      );
      // The costs are to their own month: the same figure only when the months checked end there
      // (else equal truths are a coincidence of no outcomes since, which no one can write down).
      const costsKey = `costs|${contract}|${kind === 'job_entry' ? 'job_entries' : 'sustained_jobs'}`;
      sameFigure(
        `${key('outcomes_paid')} and the costs to date`,
        key('outcomes_paid'),
        cells.has(costsKey) && costsPeriod.get(contract) === String(r.period)
          ? costsKey
          : undefined,
      );
    }
  }

  // Programme-defined measures.
  const measureTable = table('suppressed_measure_values');
  if (options.journeyMeasures && measureTable !== null && existing.has(measureTable)) {
    const rows = await query(
      `select s.*, m.participants as true_participants, m.denominator as true_denominator
       from ${measureTable} s join measure_values m
         using (contract_id, measure_id, cohort, grain, period, breakdown, breakdown_value, statistic, category, group_value)`,
    );
    const more = measureValueCells(rows, options.journeyMeasures, cumulativeAt, newest, add, (k) =>
      cells.get(k),
    );
    // One at a time: a demo's worth is too many to spread into one call.
    for (const r of more.relations) relations.push(r);
    for (const x of more.inequalities) inequalities.push(x);
  }
  return { cells: [...cells.values()], relations, inequalities };
}

/** The count as shown, or else the first derived figure that gives it away. */
function readCount(
  shown: unknown,
  derived: readonly (readonly [string, number | null])[],
): Pick<Cell, 'shown' | 'derivedFrom'> {
  const value = num(shown);
  if (value !== null) return { shown: value };
  for (const [from, v] of derived) if (v !== null) return { shown: v, derivedFrom: from };
  return { shown: null };
}

const times = (share: unknown, of: unknown): number | null => {
  const s = num(share);
  const n = num(of);
  return s === null || n === null || n === 0 ? null : Math.round(s * n);
};

/** The job entries (k) and starts (n) behind a rate and its 95% Wilson interval, when only one pair fits. */
function wilsonCounts(
  rate: number | null,
  low: number | null,
  high: number | null,
): { k: number; n: number } | null {
  if (rate === null || low === null || high === null) return null;
  const z = 1.959963984540054;
  const fits: { k: number; n: number }[] = [];
  for (let n = 1; n <= 20000; n++) {
    const k = Math.round(rate * n);
    if (Math.abs(k / n - rate) > 1e-12) continue;
    const p = k / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    if (
      Math.abs(Math.max(0, centre - half) - low) < 1e-9 &&
      Math.abs(Math.min(1, centre + half) - high) < 1e-9
    )
      fits.push({ k, n });
  }
  return fits.length === 1 ? fits[0]! : null;
}
