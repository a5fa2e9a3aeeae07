/**
 * A funnel plot: each provider's rate against its volume, with the programme average and the
 * 95% and 99.8% control limits. The fair way to compare providers of different sizes
 * (DESIGN §5): a point outside the 99.8% limits is unlikely to be chance.
 *
 * @example
 *   funnelPlot({ title: 'Job entry rate by provider', rateLabel: 'Job entry rate', numeratorLabel: 'Job entries', volumeLabel: 'Starts',
 *                points: [{ label: 'Acme', numerator: 30, denominator: 200 }, { label: 'North', numerator: 5, denominator: 80 }] })
 */
import type { Column, Row } from '../columns.js';
import { chart } from '../components/chart.js';
import { formatNumber, formatPercent } from '../format.js';
import { html, type Html } from '../html.js';
import {
  controlLimits,
  funnelPosition,
  Z_998,
  pooledRate,
  volumeRange,
  type FunnelPosition,
  type RatePoint,
} from './control-limits.js';
import { baseOption, colours, legendBelow } from './palette.js';
import { renderSvg } from './render.js';
import { funnelSeries } from './funnel-series.js';

export interface FunnelPlotOptions {
  title: string;
  /** e.g. "Job entry rate" */
  rateLabel: string;
  /** What the numerator counts, e.g. "Job entries" */
  numeratorLabel: string;
  /** What n counts, e.g. "Starts" */
  volumeLabel: string;
  points: readonly RatePoint[];
  alt?: string;
  width?: number;
  height?: number;
}

const POSITION_TEXT: Record<FunnelPosition, string> = {
  'above 99.8%': 'Above the 99.8% limit',
  'above 95%': 'Above the 95% limit',
  within: 'Within the limits',
  'below 95%': 'Below the 95% limit',
  'below 99.8%': 'Below the 99.8% limit',
};

/** More providers than this, and only the notable ones are named on the plot. */
const MAX_LABELS = 5;

export function funnelPlot(o: FunnelPlotOptions): Html {
  const points = o.points.filter((p) => p.denominator > 0);
  const pBar = pooledRate(points);
  if (pBar === null)
    return html`<p class="govuk-body">There are no ${o.volumeLabel.toLowerCase()} yet, so there is no ${o.rateLabel.toLowerCase()} to compare.</p>`;

  // Five names fit on a plot; past that only those outside the 95% limits and the highlighted.
  const labelled = (p: RatePoint) =>
    points.length <= MAX_LABELS || p.highlighted || funnelPosition(p, pBar) !== 'within';
  const width = o.width ?? 640;
  const below = legendBelow(
    ['Programme average', '95% limits', '99.8% limits', 'Providers'],
    width,
  );
  const ns = points.map((p) => p.denominator);
  const range = volumeRange(Math.min(...ns), Math.max(...ns));
  const height = (o.height ?? 400) + below.height;
  // Both axes' ends are set, so the names of the points can be kept apart (./label-layout.ts).
  const rates = [
    ...points.map((p) => p.numerator / p.denominator),
    controlLimits(pBar, range[0]!, Z_998).upper,
  ];
  const yMax = Math.min(1, Math.ceil(Math.max(...rates) * 10 + 0.0001) / 10);
  const xMin = Math.floor(range[0] ?? 0);
  const xMax = Math.ceil(range.at(-1) ?? 1);
  const svg = renderSvg(
    {
      ...baseOption,
      legend: below.legend,
      grid: { ...baseOption.grid, bottom: 16 + 28 + below.height },
      xAxis: {
        type: 'value',
        name: o.volumeLabel,
        nameLocation: 'middle',
        nameGap: 28,
        min: xMin,
        max: xMax,
        axisLabel: { color: colours.black },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: o.rateLabel,
        min: 0,
        max: yMax,
        nameTextStyle: { color: colours.black, align: 'left' },
        axisLabel: { color: colours.black, formatter: (v: number) => formatPercent(v) },
        splitLine: { lineStyle: { color: colours.midGrey, type: 'dotted' } },
      },
      series: funnelSeries({
        range,
        centre: { name: 'Programme average', value: pBar },
        limits: (n, z) => controlLimits(pBar, n, z),
        points: points.map((p) => ({
          label: p.label,
          x: p.denominator,
          y: p.numerator / p.denominator,
          highlighted: p.highlighted,
          labelled: labelled(p),
        })),
        frame: {
          x: [xMin, xMax],
          y: [0, yMax],
          // Less the margins, the axis labels (about 40 px beside, 20 below) and the axis name.
          width: width - 16 - 24 - 40,
          height: height - 48 - (16 + 28 + below.height) - 20,
          fontSize: 12,
        },
      }),
    },
    { width, height },
  );

  const highlighted = points.filter((p) => p.highlighted).map((p) => p.label);
  const unnamed = points.filter((p) => !labelled(p)).length;
  const columns: Column[] = [
    { key: 'label', label: 'Provider' },
    { key: 'numerator', label: o.numeratorLabel, format: 'number' },
    { key: 'denominator', label: o.volumeLabel, format: 'number' },
    { key: 'rate', label: o.rateLabel, format: 'percent' },
    { key: 'position', label: 'Against the programme average' },
  ];
  const rows: Row[] = points.map((p) => ({
    ...p,
    rate: p.numerator / p.denominator,
    position: POSITION_TEXT[funnelPosition(p, pBar)],
  }));
  const outside = rows
    .filter((r) => r.position !== POSITION_TEXT.within)
    .map((r) => `${String(r.label)} (${String(r.position).toLowerCase()})`);
  const alt =
    o.alt ??
    `Funnel plot of ${o.rateLabel.toLowerCase()} against ${o.volumeLabel.toLowerCase()} for ${formatNumber(points.length)} providers. ` +
      `Programme average ${formatPercent(pBar)}. ` +
      (outside.length
        ? `Outside the 95% limits: ${outside.join('; ')}.`
        : 'Every provider is within the 95% limits.') +
      (highlighted.length ? ` Highlighted: ${highlighted.join(', ')}.` : '');
  const figure = chart({ title: o.title, alt, svg, table: { columns, rows } });
  return unnamed
    ? html`${figure}<p class="govuk-body">The plot names the providers outside the 95% limits${highlighted.length ? ' and the one highlighted' : ''}; the ${formatNumber(unnamed)} within them are in the figures under the chart.</p>`
    : figure;
}
