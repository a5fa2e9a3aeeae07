/**
 * The series every funnel plot draws (the rate funnel and the observed ÷ expected funnel): the
 * centre line, the 95% and 99.8% limits either side of it, and the providers as labelled points.
 * Each plot says only what its axes are and how its limits are worked out.
 *
 * @example funnelSeries({ range: [1, 2], centre: { name: 'Programme average', value: 0.2 }, limits: (x, z) => ({ lower: 0, upper: 1 }), points: [{ label: 'Acme', x: 10, y: 0.3 }] })
 */
import { Z_95, Z_998 } from './control-limits.js';
import { spreadLabels, type LabelFrame } from './label-layout.js';
import { colours } from './palette.js';

export interface FunnelSeriesOptions {
  /** The x values the centre line and the limits are drawn at. */
  range: readonly number[];
  centre: { name: string; value: number };
  /** The limits at `x` for a provider like the whole, at `z` standard deviations. */
  limits: (x: number, z: number) => { lower: number; upper: number };
  points: readonly {
    label: string;
    x: number;
    y: number;
    highlighted?: boolean;
    /** Whether the point is named on the plot (every point in the table below it is). */
    labelled?: boolean;
  }[];
  /** The plot's axes and size, so the points' names can be kept apart (./label-layout.ts). */
  frame?: LabelFrame;
}

/**
 * Where a provider's label goes: to the left of a point in the right half of the plot, so the
 * label of the largest provider is not cut off at the plot's edge; to the right otherwise.
 */
function labelSide(x: number, range: readonly number[]): 'left' | 'right' {
  const lo = range[0] ?? 0;
  const hi = range.at(-1) ?? lo;
  return x > lo + (hi - lo) / 2 ? 'left' : 'right';
}

export function funnelSeries(o: FunnelSeriesOptions) {
  const shown = o.points.filter((p) => p.labelled ?? true);
  const sides = o.points.map((p) => labelSide(p.x, o.range));
  const spread = o.frame
    ? spreadLabels(
        shown.map((p) => ({ x: p.x, y: p.y, text: p.label, side: sides[o.points.indexOf(p)]! })),
        o.frame,
      )
    : shown.map(() => 0);
  const offsetOf = (p: (typeof o.points)[number]) => spread[shown.indexOf(p)] ?? 0;
  const limit = (
    name: string,
    z: number,
    side: 'lower' | 'upper',
    colour: string,
    dash: number[],
  ) => ({
    type: 'line' as const,
    name,
    data: o.range.map((x) => [x, o.limits(x, z)[side]]),
    showSymbol: false,
    lineStyle: { color: colour, width: 2, type: dash },
    itemStyle: { color: colour },
  });
  return [
    {
      type: 'line' as const,
      name: o.centre.name,
      data: o.range.map((x) => [x, o.centre.value]),
      showSymbol: false,
      lineStyle: { color: colours.black, width: 2, type: 'solid' as const },
      itemStyle: { color: colours.black },
    },
    limit('95% limits', Z_95, 'upper', colours.grey, [8, 4]),
    limit('95% limits', Z_95, 'lower', colours.grey, [8, 4]),
    limit('99.8% limits', Z_998, 'upper', colours.red, [2, 3]),
    limit('99.8% limits', Z_998, 'lower', colours.red, [2, 3]),
    {
      type: 'scatter' as const,
      name: 'Providers',
      data: o.points.map((p, i) => ({
        name: p.label,
        value: [p.x, p.y],
        label: {
          show: p.labelled ?? true,
          position: sides[i],
          offset: [0, offsetOf(p)],
          ...(p.highlighted ? { fontWeight: 'bold' as const, fontSize: 14 } : {}),
        },
        ...(p.highlighted
          ? { symbolSize: 16, symbol: 'diamond', itemStyle: { color: colours.pink } }
          : {}),
      })),
      symbolSize: 10,
      itemStyle: { color: colours.blue, borderColor: colours.black, borderWidth: 1 },
      label: { show: true, formatter: '{b}', color: colours.black, fontSize: 12 },
      z: 5,
    },
  ];
}
