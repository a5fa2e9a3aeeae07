import { describe, expect, it } from 'vitest';
import { derive, Random, seedFrom } from '../../../pipelines/demo/random.js';

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('derives independent streams from labels', () => {
    expect(seedFrom(1, 'caseload', 'a')).not.toBe(seedFrom(1, 'caseload', 'b'));
    expect(seedFrom(1, 'ab', 'c')).not.toBe(seedFrom(1, 'a', 'bc'));
    expect(derive(7, 'x').next()).toBe(derive(7, 'x').next());
  });

  it('draws from its distributions with the right centre', () => {
    const rng = new Random(1);
    const n = 20_000;
    const mean = (f: () => number) => Array.from({ length: n }, f).reduce((s, x) => s + x, 0) / n;
    expect(mean(() => rng.normal(5, 2))).toBeCloseTo(5, 1);
    expect(mean(() => rng.poisson(3))).toBeCloseTo(3, 1);
    expect(mean(() => rng.poisson(400)) / 400).toBeCloseTo(1, 2);
    expect(mean(() => (rng.bernoulli(0.3) ? 1 : 0))).toBeCloseTo(0.3, 1);
    const logs = Array.from({ length: n }, () => rng.lognormal(20, 0.5)).sort((a, b) => a - b);
    expect(logs[n / 2]).toBeGreaterThan(19);
    expect(logs[n / 2]).toBeLessThan(21);
    const ints = Array.from({ length: n }, () => rng.int(2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
    const picks = Array.from({ length: n }, () =>
      rng.weighted([
        ['a', 1],
        ['b', 3],
      ] as const),
    );
    expect(picks.filter((x) => x === 'b').length / n).toBeCloseTo(0.75, 1);
  });
});
