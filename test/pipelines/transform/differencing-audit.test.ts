/**
 * The build's own differencing attack (ADR 050), hand-worked on the two kinds of leak ADR 046
 * found that "at least two hidden in every sum" lets through: a bridge between two closed blocks
 * of hidden cells, and one unknown counted twice (a column of one row is its margin). In both,
 * every sum has two hidden cells, yet one cell can be worked out; the audit finds it, hides one
 * more cell, and then nothing can be.
 */
import { describe, expect, it } from 'vitest';
import {
  audit,
  boundsExposed,
  exposed,
  toHide,
  type AuditInput,
  type AuditSum,
} from '../../../pipelines/transform/models/suppressed/differencing-audit.js';

/** Cells by name, with their values and which are hidden, as the audit's numbered input. */
function table(
  values: Record<string, number>,
  hidden: readonly string[],
  sums: readonly (readonly [total: string, parts: readonly string[]])[],
  nested: readonly (readonly [string, string])[] = [],
) {
  const names = Object.keys(values);
  const id = (n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`no cell ${n}`);
    return i;
  };
  const input: AuditInput = {
    values: names.map((n) => values[n]!),
    hidden: names.map((n) => hidden.includes(n)),
    sums: sums.map(([t, ps]): AuditSum => ({ total: id(t), parts: ps.map(id) })),
    nested: nested.map(([p, w]) => [id(p), id(w)] as const),
  };
  const hiddenIn = (s: AuditSum) => [s.total, ...s.parts].filter((k) => input.hidden[k]).length;
  return { input, names, id, hiddenIn };
}

describe('a bridge between two closed blocks of hidden cells (ADR 046, kind 2)', () => {
  // A breakdown by referral source (rows) and programme year (columns), with each row's term to
  // date and each year's total. Employer and GP are hidden in years 1 and 2 (a closed 2 × 2
  // block), other and self in year 3 and to date (another), and other in year 2 joins them.
  //
  //              y1  y2  y3  to date
  //   employer   [3] [4]  6  13
  //   gp         [2] [3]  7  12
  //   other       1  [2] [3] [6]
  //   self        5   6  [2] [13]
  //   hospital   10  11  12  33
  //   all        21  26  30  77
  //
  // Employer + GP over years 1 and 2 is 13 − 6 + 12 − 7 = 12 (their rows); in year 1 it is
  // 21 − 1 − 5 − 10 = 5 (its column), so in year 2 it is 7, and other in year 2 is
  // 26 − 6 − 11 − 7 = 2.
  const rows = {
    employer: [3, 4, 6, 13],
    gp: [2, 3, 7, 12],
    other: [1, 2, 3, 6],
    self: [5, 6, 2, 13],
    hospital: [10, 11, 12, 33],
    all: [21, 26, 30, 77],
  };
  const cols = ['y1', 'y2', 'y3', 'td'];
  const values = Object.fromEntries(
    Object.entries(rows).flatMap(([r, vs]) => vs.map((v, j) => [`${r}.${cols[j]}`, v])),
  );
  const sums: [string, string[]][] = [
    ...Object.keys(rows).map((r): [string, string[]] => [
      `${r}.td`,
      ['y1', 'y2', 'y3'].map((c) => `${r}.${c}`),
    ]),
    ...cols.map((c): [string, string[]] => [
      `all.${c}`,
      ['employer', 'gp', 'other', 'self', 'hospital'].map((r) => `${r}.${c}`),
    ]),
  ];
  const hidden = [
    'employer.y1',
    'employer.y2',
    'gp.y1',
    'gp.y2',
    'other.y3',
    'other.td',
    'self.y3',
    'self.td',
    'other.y2',
  ];
  const t = table(values, hidden, sums);

  it('has two hidden cells or none in every sum, and still gives the bridge away', () => {
    expect(t.input.sums.map(t.hiddenIn).every((n) => n === 0 || n >= 2)).toBe(true);
    expect(exposed(t.input)).toEqual([{ cell: t.id('other.y2'), how: 'linear' }]);
  });

  it('hides one more cell, in a sum with the bridge, that closes a cycle, and then holds', () => {
    const more = audit(t.input).more;
    expect(toHide(t.input, exposed(t.input))).toEqual(more);
    // Other in year 1 (1): shown in the bridge's row, and in year 1's column, which has the
    // hidden block, so hiding it ties the bridge to that block.
    expect(more.map((k) => t.names[k])).toEqual(['other.y1']);
    const after = { ...t.input, hidden: t.input.hidden.map((h, k) => h || more.includes(k)) };
    expect(exposed(after)).toEqual([]);
  });
});

describe('one unknown counted twice (ADR 046, kind 3)', () => {
  // A transitions column with one row is its margin (m = t): two hidden cells in that sum, but
  // one unknown. The hidden cells t, u, v, m go round rows, a column and the margins' total as a
  // cycle would (two hidden in each sum), but with m = t the cycle does not balance:
  //
  //   row 1     17 = t + u + 10
  //   column 2  15 = u + v + 9
  //   margins   25 = v + m + 20
  //   column 1   m = t
  //
  // t + u = 7, u + v = 6, v + t = 5, so t = 3, u = 4, v = 2, m = 3.
  const values = { t: 3, u: 4, v: 2, m: 3, r1: 17, s1: 10, c2: 15, s2: 9, n: 25, s3: 20 };
  const t = table(
    values,
    ['t', 'u', 'v', 'm'],
    [
      ['r1', ['t', 'u', 's1']],
      ['c2', ['u', 'v', 's2']],
      ['n', ['v', 'm', 's3']],
      ['m', ['t']],
    ],
  );

  it('is every one of the four cells worked out, though each sum has two hidden', () => {
    expect(t.input.sums.map(t.hiddenIn)).toEqual([2, 2, 2, 2]);
    expect(exposed(t.input).map((e) => [t.names[e.cell], e.how])).toEqual(
      expect.arrayContaining([
        ['t', 'linear'],
        ['u', 'linear'],
        ['v', 'linear'],
        ['m', 'linear'],
      ]),
    );
  });

  it('is closed by hiding one shown part, after which no cell can be worked out', () => {
    // One cell hidden frees all four (the elimination tells which do), so one is asked for.
    const { exposures, more } = audit(t.input);
    expect(exposures).toHaveLength(4);
    expect(more).toHaveLength(1);
    const once = { ...t.input, hidden: t.input.hidden.map((h, k) => h || more.includes(k)) };
    expect(exposed(once)).toEqual([]);
  });
});

describe('bounds', () => {
  // Two hidden parts, 10 = a + b + 5, each no more than a shown count it is part of (a of 4,
  // b of 1): a + b = 5 takes both at their highest, so a = 4 and b = 1.
  it('finds a cell whose lowest and highest values meet', () => {
    const t = table(
      { a: 4, b: 1, ofA: 4, ofB: 1, s: 5, n: 10 },
      ['a', 'b'],
      [['n', ['a', 'b', 's']]],
      [
        ['a', 'ofA'],
        ['b', 'ofB'],
      ],
    );
    expect(boundsExposed(t.input).map((k) => t.names[k])).toEqual(['a', 'b']);
  });

  it('finds none where a hidden pair can trade', () => {
    const t = table(
      { a: 3, b: 2, whole: 10, s: 5, n: 10 },
      ['a', 'b'],
      [['n', ['a', 'b', 's']]],
      [['a', 'whole']],
    );
    expect(exposed(t.input)).toEqual([]);
  });
});

describe('a component at a time, with a memo from one audit to the next', () => {
  // The bridge and the unknown counted twice, side by side, sharing one shown cell (the bridge's
  // hospital.y1 is the kind-3 table's s1 too): the hidden cells of the two never meet in a sum,
  // so each is attacked on its own, and the shared shown cell is a candidate for both.
  const bridge = {
    values: [3, 4, 6, 13, 2, 3, 7, 12, 1, 2, 3, 6, 5, 6, 2, 13, 10, 11, 12, 33, 21, 26, 30, 77],
    hidden: [0, 1, 4, 5, 9, 10, 11, 14, 15],
  };
  const at = (r: number, c: number) => r * 4 + c;
  const sums: AuditSum[] = [
    ...[0, 1, 2, 3, 4, 5].map((r) => ({ total: at(r, 3), parts: [at(r, 0), at(r, 1), at(r, 2)] })),
    ...[0, 1, 2, 3].map((c) => ({ total: at(5, c), parts: [0, 1, 2, 3, 4].map((r) => at(r, c)) })),
  ];
  // t, u, v, m, r1, c2, s2, n, s3 after the bridge's 24 cells; s1 is hospital.y1 (10).
  const o = 24;
  const s1 = at(4, 0);
  const values = [...bridge.values, 3, 4, 2, 3, 17, 15, 9, 25, 20];
  sums.push(
    { total: o + 4, parts: [o, o + 1, s1] },
    { total: o + 5, parts: [o + 1, o + 2, o + 6] },
    { total: o + 7, parts: [o + 2, o + 3, o + 8] },
    { total: o + 3, parts: [o] },
  );
  const hiddenAt = (cells: readonly number[]) => values.map((_, k) => cells.includes(k));
  const input: AuditInput = {
    values,
    hidden: hiddenAt([...bridge.hidden, o, o + 1, o + 2, o + 3]),
    sums,
    nested: [],
  };
  const plus = (i: AuditInput, more: readonly number[]): AuditInput => ({
    ...i,
    hidden: i.hidden.map((h, k) => h || more.includes(k)),
  });

  it('exposes in the two together what it exposes in each', () => {
    expect(exposed(input).map((e) => e.cell)).toEqual([9, o, o + 1, o + 2, o + 3]);
  });

  it('answers with a memo as without, at each audit, until nothing is exposed', () => {
    const memo = new Map();
    let state = input;
    const seen: number[][] = [];
    for (let n = 0; n < 5; n++) {
      const fresh = audit(state);
      const kept = audit(state, memo);
      expect(kept).toEqual(fresh);
      seen.push(kept.more);
      if (!kept.more.length) break;
      state = plus(state, kept.more);
    }
    expect(seen.at(-1)).toEqual([]);
    expect(seen.length).toBeGreaterThan(1);
    expect(exposed(state)).toEqual([]);
  });

  it('reuses an unchanged component: closing only the bridge still exposes the other table', () => {
    const memo = new Map();
    audit(input, memo);
    // Other in year 1 closes the bridge (above); the kind-3 table is as it was.
    const state = plus(input, [at(2, 0)]);
    const kept = audit(state, memo);
    expect(kept).toEqual(audit(state));
    expect(kept.exposures.map((e) => e.cell)).toEqual([o, o + 1, o + 2, o + 3]);
  });
});

describe('bounds by running totals', () => {
  // The bounds as ADR 050 first wrote them: each term's bounds from the other terms summed
  // afresh, round by round. The audit keeps running totals instead; on random tables of sums
  // of true values with hidden cells and nestings, both find the same cells.
  function naive(input: AuditInput): number[] {
    const rows: { terms: [number, number][]; constant: number }[] = [];
    for (const s of input.sums) {
      const terms = new Map<number, number>();
      let constant = 0;
      const add = (cell: number, c: number) => {
        if (input.hidden[cell]) {
          const next = (terms.get(cell) ?? 0) + c;
          if (next) terms.set(cell, next);
          else terms.delete(cell);
        } else constant -= c * input.values[cell]!;
      };
      add(s.total, 1);
      for (const p of s.parts) add(p, -1);
      if (terms.size) rows.push({ terms: [...terms], constant });
    }
    const low = new Map<number, number>();
    const high = new Map<number, number>();
    for (const r of rows) for (const [k] of r.terms) [low.set(k, 0), high.set(k, Infinity)];
    const nested = input.nested.filter(([p, w]) => input.hidden[p] || input.hidden[w]);
    for (const [p, w] of nested)
      for (const k of [p, w])
        if (input.hidden[k] && !low.has(k)) [low.set(k, 0), high.set(k, Infinity)];
    let changed = true;
    const tighten = (k: number, lo: number, hi: number) => {
      const l = Math.ceil(lo - 1e-9);
      const h = Math.floor(hi + 1e-9);
      if (l > low.get(k)!) [low.set(k, l), (changed = true)];
      if (h < high.get(k)!) [high.set(k, h), (changed = true)];
    };
    for (let round = 0; changed && round < 500; round++) {
      changed = false;
      for (const r of rows)
        for (const [i, c] of r.terms) {
          let lo = r.constant;
          let hi = r.constant;
          for (const [j, d] of r.terms) {
            if (j === i) continue;
            lo -= d > 0 ? d * high.get(j)! : d * low.get(j)!;
            hi -= d > 0 ? d * low.get(j)! : d * high.get(j)!;
          }
          if (c > 0) tighten(i, lo / c, hi / c);
          else tighten(i, hi / c, lo / c);
        }
      for (const [p, w] of nested) {
        if (input.hidden[p])
          tighten(p, -Infinity, input.hidden[w] ? high.get(w)! : input.values[w]!);
        if (input.hidden[w]) tighten(w, input.hidden[p] ? low.get(p)! : input.values[p]!, Infinity);
      }
    }
    return [...low]
      .filter(([k, l]) => l === high.get(k))
      .map(([k]) => k)
      .sort((a, b) => a - b);
  }

  // A small seeded generator (mulberry32), so a failure can be replayed.
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('finds what summing afresh finds, on 300 random tables', () => {
    let found = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const pick = (n: number) => Math.floor(r() * n);
      // Parts with values and true sums of some of them (the bounds of true figures never cross,
      // so every figure stays a whole number far below 2^53).
      const values: number[] = [];
      const sums: AuditSum[] = [];
      const cells = 6 + pick(20);
      for (let k = 0; k < cells; k++) values.push(pick(3) === 0 ? pick(5) : pick(30));
      for (let g = 0, n = 1 + pick(8); g < n; g++) {
        const parts = [...new Set(Array.from({ length: 2 + pick(5) }, () => pick(cells)))];
        const total = values.length;
        values.push(parts.reduce((a, p) => a + values[p]!, 0));
        sums.push({ total, parts });
      }
      const nested: [number, number][] = [];
      for (let n = pick(6); n > 0; n--) {
        const [p, w] = [pick(values.length), pick(values.length)];
        if (p !== w && values[p]! <= values[w]!) nested.push([p, w]);
      }
      const hidden = values.map(() => r() < 0.35);
      const input: AuditInput = { values, hidden, sums, nested };
      const expected = naive(input);
      found += expected.length;
      expect(boundsExposed(input), `seed ${seed}`).toEqual(expected);
    }
    // Not vacuous: the tables do give cells away by their bounds.
    expect(found).toBeGreaterThan(50);
  });
});
