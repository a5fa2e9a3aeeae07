/**
 * suppressed_measure_values as the attacker reads it (ADR 021, 024, 035): every count each row
 * shows (its participants and its denominator) beside the true figure in measure_values, and
 * every relation anyone who reads the programme's measure definitions (reference data) can write
 * down between them:
 *
 *   - the term to date is the same in both cohorts, and is the sum of the programme years;
 *   - the values of a breakdown add up to its total;
 *   - a distribution's categories add up to its denominator; a duration's bands to its people,
 *     and those under a cut point to its cumulative share;
 *   - one count in two rows: a duration's people in its mean, bands, cumulative shares and
 *     standard; a rate's numerator and denominator and the count measures they are; two
 *     measures that count the same people (the same date, filters and required field);
 *   - a transitions table's rows add up to the status at referral, its columns to the status
 *     at discharge, where a distribution of the same people shows them;
 *   - a measure that counts a milestone with no filter is the performance table's cumulative.
 */
import { memberSignature } from '../../../../pipelines/measures/compile.js';
import type { JourneyMeasure } from '../../../../pipelines/measures/schema.js';
import type { Cell, Inequality, Relation } from './solver.js';

export interface ProgrammeMeasures {
  programme_id: string;
  measures: readonly JourneyMeasure[];
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : typeof v === 'number' ? v : Number(v);
const s = (v: unknown) => String(v);

/** The upper end of a band ("under 8 days", "1 to under 8 days": 8; "29 days or more": ∞). */
function bandTop(label: string): number {
  if (label.endsWith('or more')) return Infinity;
  const m = /under (\d+(?:\.\d+)?)/.exec(label);
  if (!m) throw new Error(`not a band: ${label}`);
  return Number(m[1]);
}

export function measureValueCells(
  rows: readonly Row[],
  programmes: readonly ProgrammeMeasures[],
  cumulativeAt: ReadonlyMap<string, string>,
  newest: ReadonlyMap<string, string>,
  add: (cell: Cell) => void,
  cellOf: (key: string) => Cell | undefined,
): { relations: Relation[]; inequalities: Inequality[] } {
  const relations: Relation[] = [];
  const inequalities: Inequality[] = [];
  const defs = new Map<string, JourneyMeasure>();
  for (const p of programmes) for (const m of p.measures) defs.set(`${p.programme_id}|${m.id}`, m);
  const def = (r: Row) => defs.get(`${s(r.programme_id)}|${s(r.measure_id)}`);

  const context = (r: Row, over: Partial<Record<string, unknown>> = {}) => {
    const x = { ...r, ...over };
    return ['contract_id', 'cohort', 'grain', 'period', 'breakdown', 'breakdown_value']
      .map((k) => s(x[k]))
      .join('|');
  };
  const key = (r: Row, which: 'p' | 'd', over: Partial<Record<string, unknown>> = {}) => {
    const x = { ...r, ...over };
    return `mv|${context(x)}|${s(x.measure_id)}|${s(x.statistic)}|${s(x.category)}|${s(x.group_value)}|${which}`;
  };
  const has = (k: string) => cellOf(k) !== undefined;
  const relate = (why: string, total: string, parts: readonly string[]) => {
    if (!has(total)) return;
    const present = parts.filter(has);
    relations.push({
      why,
      terms: [[total, 1], ...present.map((p) => [p, -1] as [string, number])],
    });
  };
  const same = (why: string, a: string, b: string) => {
    if (a !== b && has(a) && has(b))
      relations.push({
        why,
        terms: [
          [a, 1],
          [b, -1],
        ],
      });
  };

  for (const r of rows) {
    const value = num(r.value);
    const p = num(r.participants);
    const d = num(r.denominator);
    const share = r.unit === 'share';
    add({
      key: key(r, 'p'),
      truth: num(r.true_participants)!,
      published: true,
      ...(p !== null
        ? { shown: p }
        : share && value !== null && d
          ? { shown: Math.round(value * d), derivedFrom: 'value × denominator' }
          : { shown: null }),
    });
    if (num(r.true_denominator) !== null)
      add({
        key: key(r, 'd'),
        truth: num(r.true_denominator)!,
        published: true,
        ...(d !== null
          ? { shown: d }
          : share && value && p !== null
            ? { shown: Math.round(p / value), derivedFrom: 'participants ÷ value' }
            : { shown: null }),
      });
  }

  // Rows by where they sit, to write the sums.
  const groups = new Map<string, Row[]>();
  const push = (g: string, r: Row) => {
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(r);
  };
  // Each measure's share rows in each context, by the cell of their participants.
  const shares = new Map<string, [string, Row][]>();
  for (const r of rows) {
    if (r.statistic === 'share') {
      const at = `${context(r)}|${s(r.measure_id)}`;
      shares.set(at, [...(shares.get(at) ?? []), [key(r, 'p'), r]]);
    }
    const figure = `${s(r.measure_id)}|${s(r.statistic)}|${s(r.category)}|${s(r.group_value)}`;
    if (r.breakdown !== 'all')
      push(
        `breakdown|${s(r.contract_id)}|${s(r.cohort)}|${s(r.grain)}|${s(r.period)}|${s(r.breakdown)}|${figure}`,
        r,
      );
    if (r.grain !== 'to_date')
      push(
        `period|${s(r.contract_id)}|${s(r.cohort)}|${s(r.grain)}|${s(r.breakdown)}|${s(r.breakdown_value)}|${figure}`,
        r,
      );
    if (r.statistic === 'share' || r.statistic === 'band')
      push(`categories|${context(r)}|${s(r.measure_id)}|${s(r.statistic)}|${s(r.group_value)}`, r);
  }
  // Denominators that are a sum wherever the figure has people: rates and standards (a share's
  // row is there only for a category with people, so its denominator is tied by the categories).
  const denominatorSums = (r: Row) => r.statistic === 'rate' || r.statistic === 'within';
  for (const [g, members] of groups) {
    const first = members[0]!;
    if (g.startsWith('breakdown|')) {
      const total = { breakdown: 'all', breakdown_value: 'all' };
      // A rate's row is there only where its denominator has people, so its numerator is summed
      // as the count measure it is (the two are tied below).
      if (first.statistic !== 'rate')
        relate(
          g,
          key(first, 'p', total),
          members.map((r) => key(r, 'p')),
        );
      if (denominatorSums(first))
        relate(
          g,
          key(first, 'd', total),
          members.map((r) => key(r, 'd')),
        );
    } else if (g.startsWith('period|')) {
      const total = { grain: 'to_date', period: 'to date' };
      // A rate's row is there only where its denominator has people, so its numerator is summed
      // as the count measure it is (the two are tied below).
      if (first.statistic !== 'rate')
        relate(
          g,
          key(first, 'p', total),
          members.map((r) => key(r, 'p')),
        );
      if (denominatorSums(first))
        relate(
          g,
          key(first, 'd', total),
          members.map((r) => key(r, 'd')),
        );
    } else {
      relate(
        g,
        key(first, 'd'),
        members.map((r) => key(r, 'p')),
      );
      for (const r of members.slice(1)) same(`${g} one denominator`, key(first, 'd'), key(r, 'd'));
    }
  }

  for (const r of rows) {
    const m = def(r);
    if (!m) continue;
    const ctx = context(r);
    // A rate's numerator is of its denominator's people, but counted by its own date: in a
    // period of the event cohort, job entries in a year need not have started in that year.
    const dateOf = (id: string) => {
      const c = defs.get(`${s(r.programme_id)}|${id}`);
      return c?.kind === 'count_of_milestone' ? c.milestone : c && 'on' in c ? c.on : undefined;
    };
    const datedApart =
      m.kind === 'rate' &&
      r.cohort === 'event' &&
      r.grain !== 'to_date' &&
      dateOf(m.numerator) !== dateOf(m.denominator);
    if (has(key(r, 'd')) && !datedApart)
      inequalities.push({ part: key(r, 'p'), whole: key(r, 'd') });
    // The to-date figure is the same in both cohorts.
    if (r.cohort === 'referral' && r.grain === 'to_date') {
      same('cohorts to date', key(r, 'p'), key(r, 'p', { cohort: 'event' }));
      same('cohorts to date', key(r, 'd'), key(r, 'd', { cohort: 'event' }));
    }
    // The cell of the people a count measure counts, in this row's context.
    const people = (measure: string) =>
      key({ ...r, measure_id: measure }, 'p', {
        statistic: 'count',
        category: 'all',
        group_value: 'all',
      });
    if (m.kind === 'duration' && r.statistic !== 'mean') {
      const mean = key(r, 'p', { statistic: 'mean', category: 'all', group_value: 'all' });
      same(`${ctx} ${m.id} people`, r.statistic === 'median' ? key(r, 'p') : key(r, 'd'), mean);
      if (r.statistic === 'cumulative') {
        const top = bandTop(s(r.category));
        const under = [...(groups.get(`categories|${ctx}|${m.id}|band|all`) ?? [])]
          .filter((b) => bandTop(s(b.category)) <= top)
          .map((b) => key(b, 'p'));
        relations.push({
          why: `${ctx} ${m.id} ${s(r.category)}`,
          terms: [[key(r, 'p'), 1], ...under.map((u) => [u, -1] as [string, number])],
        });
      }
    }
    // A mean or sum's denominator is its people, shown in a column of its own.
    if (m.kind === 'numeric') same(`${ctx} ${m.id} people`, key(r, 'p'), key(r, 'd'));
    if (m.kind === 'rate') {
      same(`${ctx} ${m.id} numerator`, key(r, 'p'), people(m.numerator));
      same(`${ctx} ${m.id} denominator`, key(r, 'd'), people(m.denominator));
    }
  }

  // Measures that count the same people: their counts are one figure.
  for (const p of programmes) {
    const bySig = new Map<string, JourneyMeasure[]>();
    for (const m of p.measures) {
      if (m.kind === 'rate') continue;
      const sig = memberSignature(m);
      bySig.set(sig, [...(bySig.get(sig) ?? []), m]);
    }
    const contexts = new Set(
      rows.filter((r) => r.programme_id === p.programme_id).map((r) => context(r)),
    );
    for (const ms of bySig.values()) {
      if (ms.length < 2) continue;
      for (const ctx of contexts) {
        const at = (measure: string, statistic: string, category = 'all', group = 'all') =>
          `mv|${ctx}|${measure}|${statistic}|${category}|${group}|p`;
        // The people each measure counts, as one of its cells (or a distribution's denominator).
        const peopleCells = ms.flatMap((m): string[] => {
          if (m.kind === 'count_of_milestone' || m.kind === 'count_meeting_condition')
            return [at(m.id, 'count')];
          if (m.kind === 'duration') return [at(m.id, 'mean')];
          if (m.kind === 'numeric') return [at(m.id, m.statistic)];
          if (m.kind === 'distribution' && !m.across) {
            const any = shares.get(`${ctx}|${m.id}`)?.[0]?.[0];
            return any ? [any.replace(/\|p$/, '|d')] : [];
          }
          return [];
        });
        const present = peopleCells.filter(has);
        for (const c of present.slice(1)) same(`${ctx} same people`, present[0]!, c);
        // Transitions: rows add up to a distribution of the status at referral, columns to one
        // of the status at discharge.
        for (const t of ms) {
          if (t.kind !== 'distribution' || !t.across) continue;
          const cellsOfT = shares.get(`${ctx}|${t.id}`) ?? [];
          for (const margin of ms) {
            if (margin.kind !== 'distribution' || margin.across) continue;
            if (margin.field === t.across)
              for (const [k, r] of cellsOfT)
                same(
                  `${ctx} ${t.id} row ${s(r.group_value)}`,
                  k.replace(/\|p$/, '|d'),
                  at(margin.id, 'share', s(r.group_value)),
                );
            if (margin.field === t.field) {
              const byCategory = new Map<string, string[]>();
              for (const [k, r] of cellsOfT)
                byCategory.set(s(r.category), [...(byCategory.get(s(r.category)) ?? []), k]);
              for (const [category, parts] of byCategory)
                relate(
                  `${ctx} ${t.id} column ${category}`,
                  at(margin.id, 'share', category),
                  parts,
                );
            }
          }
        }
      }
    }
  }

  // A measure counting a milestone with no filter is the performance table's cumulative.
  for (const r of rows) {
    const m = def(r);
    if (
      m?.kind !== 'count_of_milestone' ||
      m.filters.length ||
      r.grain !== 'to_date' ||
      r.cohort !== 'event' ||
      r.breakdown !== 'all'
    )
      continue;
    const cumulative = cumulativeAt.get(
      `${s(r.contract_id)}|${m.milestone}|${newest.get(s(r.contract_id)) ?? ''}`,
    );
    if (cumulative && cellOf(cumulative)?.truth === cellOf(key(r, 'p'))!.truth)
      same(`${s(r.contract_id)} ${m.id} in measures and performance`, key(r, 'p'), cumulative);
  }
  return { relations, inequalities };
}
