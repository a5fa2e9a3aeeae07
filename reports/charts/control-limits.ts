/**
 * Control limits for a funnel plot of a rate against volume (Spiegelhalter 2005): around the
 * programme's average rate p̄, a provider with n participants is expected, by chance alone, to
 * land within p̄ ± z·√(p̄(1−p̄)/n). The normal approximation to the binomial: good enough to
 * draw, and it is what commissioners' analysts will check it against.
 *
 * Limits narrow as n grows, which is the point: a small provider's 5% and a large provider's
 * 5% are not the same evidence, and a league table hides that.
 */

/** Two-sided: 95% of in-control providers fall within ±1.96, 99.8% within ±3.09. */
export const Z_95 = 1.959964;
export const Z_998 = 3.090232;

export interface RatePoint {
  label: string;
  numerator: number;
  denominator: number;
  /** Drawn larger and labelled in bold (a provider highlighted on request). */
  highlighted?: boolean;
}

/** Σ numerators ÷ Σ denominators: the pooled rate, weighting each provider by its volume. Null with no denominator. */
export function pooledRate(points: readonly RatePoint[]): number | null {
  const den = points.reduce((s, p) => s + p.denominator, 0);
  return den > 0 ? points.reduce((s, p) => s + p.numerator, 0) / den : null;
}

/** The limits at volume n, clamped to [0, 1] since a rate cannot leave it. */
export function controlLimits(
  pBar: number,
  n: number,
  z: number,
): { lower: number; upper: number } {
  const half = z * Math.sqrt((pBar * (1 - pBar)) / n);
  return { lower: Math.max(0, pBar - half), upper: Math.min(1, pBar + half) };
}

export type FunnelPosition = 'above 99.8%' | 'above 95%' | 'within' | 'below 95%' | 'below 99.8%';

/** Where a provider's rate falls against the limits at its own volume. */
export function funnelPosition(point: RatePoint, pBar: number): FunnelPosition {
  const rate = point.numerator / point.denominator;
  const outer = controlLimits(pBar, point.denominator, Z_998);
  const inner = controlLimits(pBar, point.denominator, Z_95);
  if (rate > outer.upper) return 'above 99.8%';
  if (rate < outer.lower) return 'below 99.8%';
  if (rate > inner.upper) return 'above 95%';
  if (rate < inner.lower) return 'below 95%';
  return 'within';
}

/** Volumes to draw the limit curves at: spaced on a log scale, where the curves bend most at small n. */
export function volumeRange(minN: number, maxN: number, steps = 60): number[] {
  const lo = Math.max(1, Math.floor(minN * 0.8));
  const hi = Math.max(lo + 1, Math.ceil(maxN * 1.2));
  const out: number[] = [];
  for (let i = 0; i <= steps; i++) out.push(lo * Math.pow(hi / lo, i / steps));
  return out;
}
