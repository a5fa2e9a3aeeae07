/**
 * A seeded pseudo-random number generator (mulberry32) and the few distributions the demo
 * needs. Every stream is derived from the demo seed and a label (`derive(seed, 'caseload',
 * contractId)`), so one contract can be simulated without simulating the others and the same
 * seed always gives the same bytes.
 */

/** 32-bit FNV-1a of the parts, joined with a separator that cannot occur in a label. */
export function seedFrom(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A weighted table: each value with its (relative, not necessarily normalised) weight. */
export type Weights<T> = readonly (readonly [T, number])[];

export class Random {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Normal (Box–Muller); the second value of each pair is kept for the next call. */
  normal(mean = 0, sd = 1): number {
    let z = this.spareNormal;
    if (z === undefined) {
      const u = 1 - this.next();
      const v = this.next();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spareNormal = r * Math.sin(2 * Math.PI * v);
    } else this.spareNormal = undefined;
    return mean + sd * z;
  }

  /** Lognormal given its median (not its mean) and the sd of its logarithm. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson: exact (Knuth) for small means, the normal approximation for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('Cannot pick from an empty list');
    return item;
  }

  /** One value from a weighted table. */
  weighted<T>(table: Weights<T>): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.next() * total;
    for (const [value, w] of table) if ((x -= w) < 0) return value;
    const last = table[table.length - 1];
    if (!last) throw new RangeError('Cannot choose from an empty table');
    return last[0];
  }
}

/** A new stream for the labelled purpose. */
export function derive(seed: number, ...labels: readonly (string | number)[]): Random {
  return new Random(seedFrom(seed, ...labels));
}

export function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}
