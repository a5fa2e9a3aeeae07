/**
 * The differencing attack, run inside the build on the suppression's own sums (ADR 050). The
 * secondary rule looks at one sum at a time ("at least two hidden, together 5 or more"), which
 * does not stop a hidden cell being isolated by adding and subtracting several sums (a bridge
 * between two closed blocks of hidden cells, ADR 046) or pinned by its bounds. So once the
 * rule settles, the build attacks what it would publish as a reader would:
 *
 *   linear  exact elimination over the hidden cells (modulo a prime, so in whole numbers of
 *           one machine word): a hidden cell is exposed when some sum and difference of the
 *           sums leaves it alone;
 *   bounds  every count is at least 0 and no more than the count it is part of; a hidden cell
 *           is exposed when its lowest and highest possible values meet.
 *
 * For each exposed cell one more cell is hidden, near it in the sums and one the elimination says
 * frees it (`toHide`), and the rule runs again, until the attack exposes nothing.
 */

/** A sum of cells: its total equals the sum of its parts. */
export interface AuditSum {
  total: number;
  parts: readonly number[];
}

export interface AuditInput {
  /**
   * Each sum's number, the same in every audit of one model build (default: its index), which
   * an audit's memo keys its sums by.
   */
  sumIds?: readonly number[];
  /** Each cell's true value, by cell number. */
  values: readonly number[];
  hidden: readonly boolean[];
  sums: readonly AuditSum[];
  /** Cell `part` counts some of the people cell `whole` counts. */
  nested: readonly (readonly [part: number, whole: number])[];
}

export interface Exposure {
  cell: number;
  how: 'linear' | 'bounds';
}

// A prime below 2^26: a product of two residues stays below 2^53, exact in a double.
const P = 67_108_859;
const mod = (a: number) => ((a % P) + P) % P;
function inverse(a: number): number {
  let [r0, r1, t0, t1] = [P, a, 0, 1];
  while (r1) {
    const k = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - k * r1];
    [t0, t1] = [t1, t0 - k * t1];
  }
  return mod(t0);
}

interface Relation {
  terms: Map<number, number>;
  constant: number;
  /** The sum's number (`sumIds`). */
  sum: number;
  def: AuditSum;
}

/** The sums as relations over hidden cells: Σ coefficient × cell = constant (the shown cells moved over). */
function relations(input: AuditInput): Relation[] {
  const out: Relation[] = [];
  for (const [g, s] of input.sums.entries()) {
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
    if (terms.size) out.push({ terms, constant, sum: input.sumIds?.[g] ?? g, def: s });
  }
  return out;
}

/**
 * A connected component of the attack: hidden cells linked by a relation they are both in (or a
 * nesting of two hidden cells), with its relations and nestings in their order in the input.
 * Elimination and bounds never cross from one component to another, so each is attacked on its
 * own, and one whose hidden cells are those of a component attacked before (in the same model
 * build, where the values and sums do not change) is not attacked again.
 */
interface Component {
  /** Its hidden cells, ascending, joined: the same cells mean the same relations and bounds. */
  key: string;
  relations: Relation[];
  nested: (readonly [number, number])[];
}

function components(input: AuditInput, relation: readonly Relation[]): Component[] {
  const parent = new Map<number, number>();
  const find = (a: number): number => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let x = a; x !== r;) {
      const up = parent.get(x)!;
      parent.set(x, r);
      x = up;
    }
    return r;
  };
  const node = (a: number) => {
    if (!parent.has(a)) parent.set(a, a);
  };
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  for (const r of relation) {
    let first = -1;
    for (const k of r.terms.keys()) {
      node(k);
      if (first < 0) first = k;
      else union(first, k);
    }
  }
  const nested = input.nested.filter(([p, w]) => input.hidden[p] || input.hidden[w]);
  for (const [p, w] of nested) {
    if (input.hidden[p]) node(p);
    if (input.hidden[w]) node(w);
    if (input.hidden[p] && input.hidden[w]) union(p, w);
  }
  const byRoot = new Map<number, Component & { cells: number[] }>();
  const of = (cell: number) => {
    const root = find(cell);
    let c = byRoot.get(root);
    if (!c) byRoot.set(root, (c = { key: '', relations: [], nested: [], cells: [] }));
    return c;
  };
  for (const cell of parent.keys()) of(cell).cells.push(cell);
  for (const r of relation) of(r.terms.keys().next().value!).relations.push(r);
  for (const pair of nested) of(input.hidden[pair[0]] ? pair[0] : pair[1]).nested.push(pair);
  return [...byRoot.values()]
    .map((c) => ({ ...c, key: c.cells.sort((a, b) => a - b).join(',') }))
    .sort((a, b) => Number(a.key.split(',', 1)[0]) - Number(b.key.split(',', 1)[0]));
}

export interface Elimination {
  /** The hidden cells some sum and difference of the sums leaves alone. */
  exposed: number[];
  /** Whether hiding the shown cell `j` too leaves the exposed cell `x` undetermined. */
  protects: (x: number, j: number) => boolean;
}

/** One component's elimination: its pivots, reduced rows and the operations, kept. */
interface ComponentElimination {
  exposed: number[];
  pivotRow: Map<number, number>;
  /** Whether the elimination emptied row `i`. */
  emptied: (i: number) => boolean;
  /** The operations applied to column `j` of the relations (the cell's coefficients), by row. */
  column: (j: number, sumsOf: SumsOf) => Map<number, number>;
}

/**
 * Gauss–Jordan elimination of the relations' coefficients over the hidden cells, each pivot
 * taken in the column in fewest rows (less fill). A hidden cell is determined when it is a
 * pivot whose reduced row has no other cell. Modulo a prime a cell can only look more
 * determined than it is, never less, unless the prime divides a minor of a matrix of ±1 sums
 * (far larger than any such minor here).
 *
 * The row operations are kept, to answer `protects` exactly: hiding j adds its column a_j; with
 * the operations E applied to it, x stays determined if E·a_j has a non-zero in a row the
 * elimination emptied (j becomes a pivot there and x's row is left alone), and otherwise is
 * freed exactly when E·a_j is non-zero in x's row.
 *
 * Run on one component at a time (the relations in input order), it does exactly the operations
 * the elimination of all of them together does on that component's rows.
 */
function eliminateComponent(input: AuditInput, component: Component): ComponentElimination {
  const relation = [...component.relations].sort((a, b) => a.terms.size - b.terms.size);
  const rows = relation.map((r) => new Map([...r.terms].map(([k, v]) => [k, mod(v)])));
  const rowOfSum = new Map(relation.map((r, i) => [r.sum, i]));
  const inRows = new Map<number, Set<number>>();
  rows.forEach((row, i) => {
    for (const k of row.keys()) {
      if (!inRows.has(k)) inRows.set(k, new Set());
      inRows.get(k)!.add(i);
    }
  });
  const steps: { row: number; scale: number; updates: [row: number, factor: number][] }[] = [];
  const pivotRow = new Map<number, number>();
  rows.forEach((row, i) => {
    if (!row.size) return;
    let pivot = -1;
    let fewest = Infinity;
    for (const k of row.keys()) {
      const n = inRows.get(k)!.size;
      if (n < fewest) [pivot, fewest] = [k, n];
    }
    const scale = inverse(row.get(pivot)!);
    for (const [k, v] of row) row.set(k, (v * scale) % P);
    const updates: [number, number][] = [];
    for (const o of [...inRows.get(pivot)!]) {
      if (o === i) continue;
      const other = rows[o]!;
      const factor = other.get(pivot)!;
      updates.push([o, factor]);
      for (const [k, v] of row) {
        const next = mod((other.get(k) ?? 0) - factor * v);
        if (!other.has(k)) {
          other.set(k, next);
          inRows.get(k)!.add(o);
        } else if (next === 0) {
          other.delete(k);
          inRows.get(k)!.delete(o);
        } else other.set(k, next);
      }
    }
    steps.push({ row: i, scale, updates });
    pivotRow.set(pivot, i);
  });
  const stepOf = new Map(steps.map((step, n) => [step.row, n]));
  const exposed = [...pivotRow]
    .filter(([, i]) => rows[i]!.size === 1)
    .map(([cell]) => cell)
    .sort((a, b) => a - b);

  const transformed = new Map<number, Map<number, number>>();
  const column = (j: number, sumsOf: SumsOf) => {
    const known = transformed.get(j);
    if (known) return known;
    const v = new Map<number, number>();
    for (const [g, s] of sumsOf(j)) {
      const i = rowOfSum.get(g);
      if (i === undefined) continue;
      const c = (s.total === j ? 1 : 0) - s.parts.filter((p) => p === j).length;
      if (c) v.set(i, mod(c));
    }
    // The steps in order, only those whose row is non-zero in v (a heap of step numbers).
    const heap: number[] = [];
    const queued = new Set<number>();
    const push = (row: number) => {
      const n = stepOf.get(row);
      if (n === undefined || n <= current || queued.has(n)) return;
      queued.add(n);
      heap.push(n);
      for (let c = heap.length - 1; c > 0;) {
        const p = (c - 1) >> 1;
        if (heap[p]! <= heap[c]!) break;
        [heap[p], heap[c]] = [heap[c]!, heap[p]!];
        c = p;
      }
    };
    const pop = () => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        for (let c = 0; ;) {
          const l = 2 * c + 1;
          const r = l + 1;
          let m = c;
          if (l < heap.length && heap[l]! < heap[m]!) m = l;
          if (r < heap.length && heap[r]! < heap[m]!) m = r;
          if (m === c) break;
          [heap[m], heap[c]] = [heap[c]!, heap[m]!];
          c = m;
        }
      }
      return top;
    };
    let current = -1;
    for (const row of v.keys()) push(row);
    while (heap.length) {
      current = pop();
      const step = steps[current]!;
      const at = v.get(step.row);
      if (!at) continue;
      const scaled = (at * step.scale) % P;
      v.set(step.row, scaled);
      for (const [o, factor] of step.updates) {
        const next = mod((v.get(o) ?? 0) - factor * scaled);
        if (next) {
          v.set(o, next);
          push(o);
        } else v.delete(o);
      }
    }
    transformed.set(j, v);
    return v;
  };
  return { exposed, pivotRow, emptied: (i) => !rows[i]!.size, column };
}

/**
 * The hidden cells whose lowest and highest possible values meet, in one component: each at
 * least 0 and at most the count it is part of, narrowed through every sum until nothing changes
 * (as the checker, test/pipelines/transform/differencing/solver.ts, does).
 */
function boundsComponent(input: AuditInput, component: Component): number[] {
  // The component's cells numbered from 0, bounds in arrays; each sum's bounds on a term from
  // the others kept as running totals (the finite part and how many are infinite), updated as a
  // term's bounds narrow, so a sum costs its terms rather than their square. Every figure is a
  // whole number well below 2^53 (the values are true, so no bound passes a true value), so the
  // totals are exact in any order: the same bounds, round by round, as summing the other terms
  // afresh for each.
  const index = new Map<number, number>();
  const cells: number[] = [];
  const slot = (k: number) => {
    let i = index.get(k);
    if (i === undefined) {
      i = cells.length;
      index.set(k, i);
      cells.push(k);
    }
    return i;
  };
  const rows = component.relations.map((r) => ({
    ks: Int32Array.from([...r.terms.keys()].map(slot)),
    cs: Float64Array.from(r.terms.values()),
    constant: r.constant,
  }));
  const nested = component.nested.map(([p, w]) => ({
    p: input.hidden[p] ? slot(p) : -1,
    w: input.hidden[w] ? slot(w) : -1,
    pValue: input.values[p]!,
    wValue: input.values[w]!,
  }));
  const low = new Float64Array(cells.length);
  const high = new Float64Array(cells.length).fill(Infinity);
  let changed = true;
  const tighten = (k: number, lo: number, hi: number) => {
    const l = Math.ceil(lo - 1e-9);
    const h = Math.floor(hi + 1e-9);
    if (l > low[k]!) {
      low[k] = l;
      changed = true;
    }
    if (h < high[k]!) {
      high[k] = h;
      changed = true;
    }
  };
  // What a term with coefficient d takes off a sum's lowest and highest value for another term.
  const offLow = (d: number, k: number) => (d > 0 ? d * high[k]! : d * low[k]!);
  const offHigh = (d: number, k: number) => (d > 0 ? d * low[k]! : d * high[k]!);
  for (let round = 0; changed && round < 500; round++) {
    changed = false;
    for (const r of rows) {
      const n = r.ks.length;
      let loFinite = 0;
      let loInfinite = 0;
      let hiFinite = 0;
      let hiInfinite = 0;
      const count = (d: number, k: number, sign: 1 | -1) => {
        const a = offLow(d, k);
        if (Number.isFinite(a)) loFinite += sign * a;
        else loInfinite += sign;
        const b = offHigh(d, k);
        if (Number.isFinite(b)) hiFinite += sign * b;
        else hiInfinite += sign;
      };
      for (let t = 0; t < n; t++) count(r.cs[t]!, r.ks[t]!, 1);
      for (let t = 0; t < n; t++) {
        const i = r.ks[t]!;
        const c = r.cs[t]!;
        const ownLow = offLow(c, i);
        const ownHigh = offHigh(c, i);
        const lo =
          loInfinite - (Number.isFinite(ownLow) ? 0 : 1) > 0
            ? -Infinity
            : r.constant - (loFinite - (Number.isFinite(ownLow) ? ownLow : 0));
        const hi =
          hiInfinite - (Number.isFinite(ownHigh) ? 0 : 1) > 0
            ? Infinity
            : r.constant - (hiFinite - (Number.isFinite(ownHigh) ? ownHigh : 0));
        if (Number.isNaN(lo) || Number.isNaN(hi)) continue;
        const [before, after] = [low[i]!, high[i]!];
        if (c > 0) tighten(i, lo / c, hi / c);
        else tighten(i, hi / c, lo / c);
        if (low[i] !== before || high[i] !== after) {
          const [l, h] = [low[i]!, high[i]!];
          [low[i], high[i]] = [before, after];
          count(c, i, -1);
          [low[i], high[i]] = [l, h];
          count(c, i, 1);
        }
      }
    }
    for (const { p, w, pValue, wValue } of nested) {
      if (p >= 0) tighten(p, -Infinity, w >= 0 ? high[w]! : wValue);
      if (w >= 0) tighten(w, p >= 0 ? low[p]! : pValue, Infinity);
    }
  }
  return cells.filter((_, i) => low[i] === high[i]).sort((a, b) => a - b);
}

/** What the attack found in one component. */
interface Attacked {
  elimination: ComponentElimination;
  bounds: number[];
}

/**
 * Attacks kept from one audit to the next within a model build (the values, sums and nestings
 * the same; only more cells hidden), by component key: a component whose hidden cells have not
 * changed since the audit before is not attacked again.
 */
export type AuditMemo = Map<string, Attacked>;

/** The sums a cell is in, each once, by number (`sumIds`). */
type SumsOf = (cell: number) => ReadonlyMap<number, AuditSum>;

const sumsByCell = (input: AuditInput): SumsOf => {
  const sumsOf = new Map<number, Map<number, AuditSum>>();
  input.sums.forEach((s, g) => {
    const id = input.sumIds?.[g] ?? g;
    for (const k of [s.total, ...s.parts]) {
      if (!sumsOf.has(k)) sumsOf.set(k, new Map());
      sumsOf.get(k)!.set(id, s);
    }
  });
  const none = new Map<number, AuditSum>();
  return (cell) => sumsOf.get(cell) ?? none;
};

/** The attack, a component at a time: the hidden cells exposed, and the linear elimination. */
function attack(
  input: AuditInput,
  memo?: AuditMemo,
): { exposures: Exposure[]; elimination: Elimination; bounds: number[] } {
  const relation = relations(input);
  const parts = components(input, relation);
  const attacked = new Map<string, Attacked>();
  const componentOfSum = new Map<number, Attacked>();
  const componentOfCell = new Map<number, Attacked>();
  for (const c of parts) {
    let a = memo?.get(c.key);
    if (!a) a = { elimination: eliminateComponent(input, c), bounds: boundsComponent(input, c) };
    attacked.set(c.key, a);
    for (const r of c.relations) componentOfSum.set(r.sum, a);
    for (const cell of c.key.split(',')) componentOfCell.set(Number(cell), a);
  }
  if (memo) {
    memo.clear();
    for (const [k, a] of attacked) memo.set(k, a);
  }
  const all = [...attacked.values()];
  const linear = all.flatMap((a) => a.elimination.exposed).sort((a, b) => a - b);
  const bounds = all.flatMap((a) => a.bounds).sort((a, b) => a - b);
  const sumsOf = sumsByCell(input);
  const protects = (x: number, j: number) => {
    const own = componentOfCell.get(x);
    const k = own?.elimination.pivotRow.get(x);
    if (k === undefined) return true;
    const touched = new Set<Attacked>();
    for (const g of sumsOf(j).keys()) {
      const a = componentOfSum.get(g);
      if (a) touched.add(a);
    }
    for (const a of touched)
      for (const [i, c] of a.elimination.column(j, sumsOf))
        if (c && a.elimination.emptied(i)) return false;
    return touched.has(own!) && Boolean(own!.elimination.column(j, sumsOf).get(k));
  };
  const seen = new Set(linear);
  const exposures = [
    ...linear.map((cell) => ({ cell, how: 'linear' as const })),
    ...bounds.filter((c) => !seen.has(c)).map((cell) => ({ cell, how: 'bounds' as const })),
  ];
  return { exposures, elimination: { exposed: linear, protects }, bounds };
}

export function eliminate(input: AuditInput): Elimination {
  return attack(input).elimination;
}

/** The hidden cells some sum and difference of the sums leaves alone. */
export function linearlyExposed(input: AuditInput): number[] {
  return eliminate(input).exposed;
}

/**
 * The hidden cells whose lowest and highest possible values meet: each at least 0 and at most
 * the count it is part of, narrowed through every sum until nothing changes.
 */
export function boundsExposed(input: AuditInput): number[] {
  return attack(input).bounds;
}

export function exposed(input: AuditInput): Exposure[] {
  return attack(input).exposures;
}

/**
 * The attack and its answer: the hidden cells exposed, and the cells to hide for them (the
 * exposed cells themselves when there is no shown cell near one to hide). With a memo (one per
 * model build), components unchanged since the audit before are not attacked again.
 */
export function audit(
  input: AuditInput,
  memo?: AuditMemo,
): { exposures: Exposure[]; more: number[] } {
  const { exposures, elimination } = attack(input, memo);
  const more = toHide(input, exposures, elimination.protects);
  if (exposures.length && !more.length) more.push(...exposures.map((e) => e.cell));
  return { exposures, more };
}

/** Lexicographic order of two scores. */
const before = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

/**
 * One more cell to hide for each exposed one, unless one already chosen frees it: a shown,
 * non-zero cell in a sum the exposed cell is in (or, when none there frees it, in a sum of the
 * hidden cells those sums hold, and so on), one that frees it for certain where the elimination
 * can tell (a linear exposure), preferring one already in another sum with a hidden cell
 * (hiding it closes a cycle of hidden cells rather than opening a sum with one), then a part
 * over a total, then the smallest.
 */
export function toHide(
  input: AuditInput,
  exposures: readonly Exposure[],
  protects?: Elimination['protects'],
): number[] {
  const sumsOf = new Map<number, number[]>();
  input.sums.forEach((s, g) => {
    for (const k of [s.total, ...s.parts]) {
      if (!sumsOf.has(k)) sumsOf.set(k, []);
      sumsOf.get(k)!.push(g);
    }
  });
  const hidden = [...input.hidden];
  const hasHidden = input.sums.map((s) => [s.total, ...s.parts].some((k) => hidden[k]));
  const chosen: number[] = [];
  for (const { cell, how } of exposures) {
    const exact = how === 'linear' && protects ? (j: number) => protects(cell, j) : null;
    if (exact && chosen.some(exact)) continue;
    let best = -1;
    let fallback = -1;
    const reached = new Set([cell]);
    for (let frontier = [cell], level = 0; best < 0 && frontier.length && level < 4; level++) {
      const further: number[] = [];
      const candidates = new Map<number, number[]>();
      for (const at of frontier)
        for (const g of sumsOf.get(at) ?? []) {
          const s = input.sums[g]!;
          for (const k of [s.total, ...s.parts]) {
            if (hidden[k]) {
              if (!reached.has(k)) {
                reached.add(k);
                further.push(k);
              }
              continue;
            }
            if (!(input.values[k]! > 0)) continue;
            const linked = (sumsOf.get(k) ?? []).some((h) => h !== g && hasHidden[h]);
            const score = [linked ? 0 : 1, k === s.total ? 1 : 0, input.values[k]!, k];
            const known = candidates.get(k);
            if (!known || before(score, known)) candidates.set(k, score);
          }
        }
      // The best first, each tried until one frees the exposed cell.
      const ranked = [...candidates].sort(([, a], [, b]) => (before(a, b) ? -1 : 1));
      if (fallback < 0 && ranked.length) fallback = ranked[0]![0];
      best = ranked.find(([k]) => !exact || exact(k))?.[0] ?? -1;
      frontier = further;
    }
    if (best < 0) best = fallback;
    if (best < 0) continue;
    hidden[best] = true;
    for (const h of sumsOf.get(best) ?? []) hasHidden[h] = true;
    chosen.push(best);
  }
  return chosen;
}
