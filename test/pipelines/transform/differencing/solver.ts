/**
 * The attacker of a suppressed publication: given every figure shown, the linear relations
 * the tables obey (a month plus the cumulative before it is the cumulative; the values of a
 * breakdown add up to its total; the same figure in two tables), what any count must satisfy
 * (it is a whole number, at least 0, no more than the count it is part of) and what a label
 * says (an old "<5" is 1 to 4), it works out every hidden cell it can.
 *
 * Two attacks, both exact:
 *   linear  Gauss–Jordan elimination in exact rationals over the hidden cells: a hidden cell
 *           is recovered when some sum and difference of shown figures equals it. This finds
 *           every recovery "by adding or subtracting", however many relations it takes.
 *   bounds  interval propagation over the same relations and the inequalities: a hidden cell
 *           is recovered when its lowest and highest possible values meet (two "<5" cells that
 *           add up to 8 are both 4).
 */

export interface Cell {
  /** e.g. `performance|plp-x|referrals|2024-05|actual` */
  key: string;
  truth: number;
  /** The value a commissioner can read (or work out at once from a derived figure); null when hidden. */
  shown: number | null;
  /** Whether a commissioner sees the cell at all (false: a count behind a published figure only). */
  published: boolean;
  /** What the label tells: e.g. 1 to 4 for "<5". */
  low?: number;
  high?: number;
  /** How the shown value was read, when it came from a derived figure rather than the count. */
  derivedFrom?: string;
}

/** Σ coefficient × cell = constant, holding in the true figures. */
export interface Relation {
  terms: readonly (readonly [key: string, coefficient: number])[];
  constant?: number;
  why: string;
}

/** The cell `part` is at most the cell `whole` (a subset of the same people). */
export interface Inequality {
  part: string;
  whole: string;
}

export interface Recovery {
  key: string;
  truth: number;
  how: 'linear' | 'bounds' | 'derived';
  detail: string;
}

export interface AttackResult {
  /** Hidden published cells: every one the attacker tried. */
  examined: number;
  recovered: Recovery[];
}

// Exact rationals over BigInt: small tables, so clarity over speed.
type Q = { n: bigint; d: bigint };
const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};
const q = (n: bigint, d = 1n): Q => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
const isZero = (a: Q) => a.n === 0n;
const toNumber = (a: Q) => Number(a.n) / Number(a.d);

/** A coefficient or constant as an exact rational (figures in the tables are integers or pennies). */
function exact(x: number): Q {
  if (Number.isInteger(x)) return q(BigInt(x));
  const scaled = Math.round(x * 100);
  if (Math.abs(scaled / 100 - x) > 1e-9) throw new Error(`not an exact figure: ${x}`);
  return q(BigInt(scaled), 100n);
}

interface Row {
  coefficients: Map<number, Q>;
  constant: Q;
  why: string;
}

export function attack(
  cells: readonly Cell[],
  relations: readonly Relation[],
  inequalities: readonly Inequality[] = [],
): AttackResult {
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const recovered: Recovery[] = [];

  // Every relation must hold in the truth, or the attacker's reasoning (and this test) is wrong.
  for (const r of relations) {
    let total = 0;
    for (const [key, coefficient] of r.terms) {
      const cell = byKey.get(key);
      if (!cell) throw new Error(`relation "${r.why}" names an unknown cell ${key}`);
      total += coefficient * cell.truth;
    }
    if (Math.abs(total - (r.constant ?? 0)) > 1e-6)
      throw new Error(`relation "${r.why}" does not hold in the true figures (${total})`);
  }
  for (const c of cells) {
    if (c.shown !== null && Math.abs(c.shown - c.truth) > 1e-6)
      throw new Error(`${c.key} is shown as ${c.shown} but is ${c.truth}`);
    if (c.shown !== null && c.derivedFrom && c.published)
      recovered.push({ key: c.key, truth: c.truth, how: 'derived', detail: c.derivedFrom });
  }

  const hidden = cells.filter((c) => c.shown === null);
  const index = new Map(hidden.map((c, i) => [c.key, i]));
  const examined = hidden.filter((c) => c.published).length;

  // Substitute the shown figures: each relation becomes one over hidden cells only.
  const rows: Row[] = [];
  for (const r of relations) {
    const coefficients = new Map<number, Q>();
    let constant = exact(r.constant ?? 0);
    for (const [key, coefficient] of r.terms) {
      const cell = byKey.get(key)!;
      const i = index.get(key);
      if (i === undefined) constant = sub(constant, mul(exact(coefficient), exact(cell.shown!)));
      else {
        const sum = sub(coefficients.get(i) ?? q(0n), mul(q(-1n), exact(coefficient)));
        if (isZero(sum)) coefficients.delete(i);
        else coefficients.set(i, sum);
      }
    }
    if (coefficients.size) rows.push({ coefficients, constant, why: r.why });
  }

  const linear = new Set<number>();
  for (const component of components(hidden.length, rows)) {
    for (const row of eliminate(component)) {
      if (row.coefficients.size !== 1) continue;
      const [[i, coefficient]] = [...row.coefficients] as [[number, Q]];
      const value = div(row.constant, coefficient);
      const cell = hidden[i]!;
      if (Math.abs(toNumber(value) - cell.truth) > 1e-6)
        throw new Error(`the attack found ${cell.key} = ${toNumber(value)}, not ${cell.truth}`);
      linear.add(i);
      if (cell.published)
        recovered.push({ key: cell.key, truth: cell.truth, how: 'linear', detail: row.why });
    }
  }

  const shownOf = (key: string) => byKey.get(key)?.shown ?? null;
  for (const [i, how] of propagateBounds(hidden, rows, inequalities, index, shownOf))
    if (!linear.has(i) && hidden[i]!.published)
      recovered.push({ key: hidden[i]!.key, truth: hidden[i]!.truth, how: 'bounds', detail: how });

  return { examined, recovered };
}

/** The relations in groups that share no hidden cell, each solved on its own. */
function components(n: number, rows: readonly Row[]): Row[][] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const row of rows) {
    const [first, ...rest] = [...row.coefficients.keys()];
    for (const j of rest) parent[find(j)] = find(first!);
  }
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const root = find([...row.coefficients.keys()][0]!);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(row);
  }
  return [...groups.values()];
}

/** Reduced row echelon form: a row left with one cell gives that cell's value. */
function eliminate(input: readonly Row[]): Row[] {
  const rows = input.map((r) => ({ ...r, coefficients: new Map(r.coefficients) }));
  const done: Row[] = [];
  while (rows.length) {
    const pivotRow = rows.pop()!;
    if (!pivotRow.coefficients.size) {
      if (!isZero(pivotRow.constant)) throw new Error(`inconsistent relations: ${pivotRow.why}`);
      continue;
    }
    const [pivot, coefficient] = [...pivotRow.coefficients][0]!;
    const normal: Row = {
      why: pivotRow.why,
      constant: div(pivotRow.constant, coefficient),
      coefficients: new Map([...pivotRow.coefficients].map(([k, v]) => [k, div(v, coefficient)])),
    };
    for (const other of [...rows, ...done]) {
      const factor = other.coefficients.get(pivot);
      if (!factor) continue;
      for (const [k, v] of normal.coefficients) {
        const next = sub(other.coefficients.get(k) ?? q(0n), mul(factor, v));
        if (isZero(next)) other.coefficients.delete(k);
        else other.coefficients.set(k, next);
      }
      other.constant = sub(other.constant, mul(factor, normal.constant));
      if (!other.why.endsWith('…')) other.why = `${other.why}, with ${normal.why} …`;
    }
    done.push(normal);
  }
  return done;
}

/**
 * Lowest and highest values of each hidden cell, narrowed until nothing changes; the cells
 * whose lowest and highest meet, with the relation that pinned them.
 */
function propagateBounds(
  hidden: readonly Cell[],
  rows: readonly Row[],
  inequalities: readonly Inequality[],
  index: Map<string, number>,
  shownOf: (key: string) => number | null,
): Map<number, string> {
  const low = hidden.map((c) => Math.max(0, c.low ?? 0));
  const high = hidden.map((c) => c.high ?? Infinity);
  const pinnedBy = new Map<number, string>();
  const numeric = rows.map((r) => ({
    terms: [...r.coefficients].map(([i, c]) => [i, toNumber(c)] as const),
    constant: toNumber(r.constant),
    why: r.why,
  }));
  const nested = inequalities.map((x) => ({
    part: index.get(x.part),
    whole: index.get(x.whole),
    why: `${x.part} is part of ${x.whole}`,
    x,
  }));
  let changed = true;
  const tighten = (i: number, lo: number, hi: number, why: string) => {
    const l = Math.ceil(lo - 1e-9);
    const h = Math.floor(hi + 1e-9);
    if (l > low[i]!) {
      low[i] = l;
      changed = true;
    }
    if (h < high[i]!) {
      high[i] = h;
      changed = true;
    }
    if (low[i]! > high[i]!)
      throw new Error(`bounds crossed for ${hidden[i]!.key}: ${low[i]} > ${high[i]}`);
    if (low[i] === high[i] && !pinnedBy.has(i)) pinnedBy.set(i, why);
  };
  for (let round = 0; changed && round < 500; round++) {
    changed = false;
    for (const r of numeric)
      for (const [i, c] of r.terms) {
        // c·x_i = constant − Σ the others, each between its low and high
        let lo = r.constant;
        let hi = r.constant;
        for (const [j, d] of r.terms) {
          if (j === i) continue;
          lo -= d > 0 ? d * high[j]! : d * low[j]!;
          hi -= d > 0 ? d * low[j]! : d * high[j]!;
        }
        if (Number.isNaN(lo) || Number.isNaN(hi)) continue;
        if (c > 0) tighten(i, lo / c, hi / c, r.why);
        else tighten(i, hi / c, lo / c, r.why);
      }
    for (const { part, whole, why, x } of nested) {
      if (part !== undefined) {
        const cap = whole !== undefined ? high[whole]! : shownOf(x.whole);
        if (cap !== null) tighten(part, -Infinity, cap, why);
      }
      if (whole !== undefined) {
        const floor = part !== undefined ? low[part]! : shownOf(x.part);
        if (floor !== null) tighten(whole, floor, Infinity, why);
      }
    }
  }
  // The reasoning must be sound: every true value lies within the bounds it found.
  hidden.forEach((c, i) => {
    if (c.truth < low[i]! || c.truth > high[i]!)
      throw new Error(`bounds for ${c.key} are ${low[i]} to ${high[i]}, but it is ${c.truth}`);
  });
  return pinnedBy;
}
