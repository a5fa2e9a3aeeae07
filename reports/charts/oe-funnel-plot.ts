/**
 * A funnel plot of observed ÷ expected against expected: each provider's case-mix-adjusted
 * ratio, the line at 1 (as the programme would do with the same participants) and the 95% and
 * 99.8% limits for a Poisson count with that many expected, by Byar's approximation (Breslow
 * and Day 1987, vol. II, p. 69; Spiegelhalter 2005, "Funnel plots for comparing institutional
 * performance"). A point outside the 99.8% limits is unlikely to be chance.
 *
 * @example oeFunnelPlot({ title: 'Job entries against expected', points: [{ label: 'Acme', observed: 12, expected: 9.2 }] })
 */
import type { Column, Row } from '../columns.js';
import { chart } from '../components/chart.js';
import { formatNumber } from '../format.js';
import { html, type Html } from '../html.js';
import { Z_95, Z_998 } from './control-limits.js';
import { baseOption, colours } from './palette.js';
import { renderSvg } from './render.js';
import { funnelSeries } from './funnel-series.js';

export interface OePoint {
  label: string;
  observed: number;
  expected: number;
}

/** The limits of O/E for a provider with `expected` outcomes expected, if it were as the programme. */
export function oeLimits(expected: number, z: number): { lower: number; upper: number } {
  const e = expected;
  const lower = Math.max(0, Math.pow(1 - 1 / (9 * e) - z / (3 * Math.sqrt(e)), 3));
  const upper = ((e + 1) / e) * Math.pow(1 - 1 / (9 * (e + 1)) + z / (3 * Math.sqrt(e + 1)), 3);
  return { lower, upper };
}

/** Where a provider's O/E lies against the limits at its expected count. */
export function oePosition(p: OePoint): string {
  const r = p.observed / p.expected;
  const l998 = oeLimits(p.expected, Z_998);
  const l95 = oeLimits(p.expected, Z_95);
  if (r > l998.upper) return 'Above the 99.8% limit';
  if (r > l95.upper) return 'Above the 95% limit';
  if (r < l998.lower) return 'Below the 99.8% limit';
  if (r < l95.lower) return 'Below the 95% limit';
  return 'Within the limits';
}

const ratio = (v: number) => v.toFixed(2);

export function oeFunnelPlot(o: { title: string; points: readonly OePoint[] }): Html {
  const points = o.points.filter((p) => p.expected > 0);
  if (!points.length)
    return html`<p class="govuk-body">No provider has job entries expected yet (or every one is too small to show), so there is nothing to compare.</p>`;
  const es = points.map((p) => p.expected);
  const hi = Math.max(...es) * 1.1;
  const lo = Math.max(1, Math.min(...es) * 0.5);
  const range = Array.from({ length: 41 }, (_, i) => lo + ((hi - lo) * i) / 40);
  const svg = renderSvg(
    {
      ...baseOption,
      xAxis: {
        type: 'value',
        name: 'Job entries expected',
        nameLocation: 'middle',
        nameGap: 28,
        min: Math.floor(lo),
        axisLabel: { color: colours.black },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: 'Observed ÷ expected',
        nameTextStyle: { color: colours.black, align: 'left' },
        axisLabel: { color: colours.black, formatter: (v: number) => ratio(v) },
        splitLine: { lineStyle: { color: colours.midGrey, type: 'dotted' } },
      },
      series: funnelSeries({
        range,
        centre: { name: 'As the programme (1)', value: 1 },
        limits: oeLimits,
        points: points.map((p) => ({ label: p.label, x: p.expected, y: p.observed / p.expected })),
      }),
    },
    { width: 640, height: 400 },
  );
  const columns: Column[] = [
    { key: 'label', label: 'Provider' },
    { key: 'observed', label: 'Job entries (observed)', format: 'number' },
    { key: 'expected', label: 'Job entries expected' },
    { key: 'ratio', label: 'Observed ÷ expected' },
    { key: 'position', label: 'Against the programme' },
  ];
  const rows: Row[] = points.map((p) => ({
    label: p.label,
    observed: p.observed,
    expected: p.expected.toFixed(1),
    ratio: ratio(p.observed / p.expected),
    position: oePosition(p),
  }));
  const outside = rows.filter((r) => r.position !== 'Within the limits');
  const alt =
    `Funnel plot of observed ÷ expected job entries against job entries expected for ${formatNumber(points.length)} providers. ` +
    (outside.length
      ? `Outside the 95% limits: ${outside.map((r) => `${String(r.label)} (${String(r.position).toLowerCase()})`).join('; ')}.`
      : 'Every provider is within the 95% limits.');
  return chart({ title: o.title, alt, svg, table: { columns, rows } });
}
