/**
 * A line chart over categories (months, usually): outturn against profile, monthly or
 * cumulative. Each series has its own dash pattern and marker as well as its colour.
 *
 * @example
 *   lineChart({ title: 'Referrals by month', categoryLabel: 'Month', categories: ['Jan 2025', 'Feb 2025'], valueLabel: 'Referrals',
 *               series: [{ name: 'Actual', values: [3, 2] }, { name: 'Profile', values: [3, 2] }] })
 */
import { chart } from '../components/chart.js';
import type { Html } from '../html.js';
import { backgroundSeries, baseOption, colours, legendBelow, seriesStyle } from './palette.js';
import { renderSvg } from './render.js';
import {
  describeSeries,
  seriesTable,
  valueAxisFormatter,
  type CategoryChartOptions,
} from './series.js';

export function lineChart(o: CategoryChartOptions): Html {
  const width = o.width ?? 640;
  const below = legendBelow(
    o.series.map((s) => s.name),
    width,
  );
  // A highlighted series is drawn last, on top; the others keep their pattern, thin and pale.
  const anyHighlighted = o.series.some((s) => s.highlighted);
  const order = o.series
    .map((s, i) => ({ s, i }))
    .sort((a, b) => Number(a.s.highlighted ?? false) - Number(b.s.highlighted ?? false));
  const svg = renderSvg(
    {
      ...baseOption,
      legend: { ...below.legend, data: o.series.map((s) => s.name) },
      grid: { ...baseOption.grid, bottom: 16 + below.height + 8 },
      xAxis: {
        type: 'category',
        data: [...o.categories],
        boundaryGap: false,
        axisLine: { lineStyle: { color: colours.black } },
        axisLabel: { color: colours.black },
      },
      yAxis: {
        type: 'value',
        name: o.valueLabel,
        nameTextStyle: { color: colours.black, align: 'left' },
        axisLabel: { color: colours.black, formatter: valueAxisFormatter(o.format) },
        splitLine: { lineStyle: { color: colours.midGrey, type: 'dotted' } },
      },
      series: order.map(({ s, i }) => {
        const style = seriesStyle(i);
        const behind = anyHighlighted && !s.highlighted;
        const colour = behind ? backgroundSeries.colour : style.colour;
        return {
          type: 'line' as const,
          name: s.name,
          data: [...s.values],
          connectNulls: false,
          symbol: style.symbol,
          symbolSize: s.highlighted ? 10 : 8,
          lineStyle: {
            color: colour,
            width: behind ? backgroundSeries.width : s.highlighted ? 4 : 3,
            type: style.dash,
          },
          itemStyle: { color: colour },
        };
      }),
    },
    // The plot keeps its height; each row of legend below the first adds to the chart's.
    { width, height: (o.height ?? 320) + Math.max(0, below.height - 24) },
  );
  return chart({
    title: o.title,
    alt:
      (o.alt ?? `Line chart. ${describeSeries(o)}`) +
      (anyHighlighted
        ? ` Highlighted: ${o.series
            .filter((s) => s.highlighted)
            .map((s) => s.name)
            .join(', ')}.`
        : ''),
    svg,
    table: seriesTable(o),
  });
}
