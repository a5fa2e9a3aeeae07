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
import { baseOption, colours, seriesStyle } from './palette.js';
import { renderSvg } from './render.js';
import {
  describeSeries,
  seriesTable,
  valueAxisFormatter,
  type CategoryChartOptions,
} from './series.js';

export function lineChart(o: CategoryChartOptions): Html {
  const svg = renderSvg(
    {
      ...baseOption,
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
      series: o.series.map((s, i) => {
        const style = seriesStyle(i);
        return {
          type: 'line' as const,
          name: s.name,
          data: [...s.values],
          connectNulls: false,
          symbol: style.symbol,
          symbolSize: 8,
          lineStyle: { color: style.colour, width: 3, type: style.dash },
          itemStyle: { color: style.colour },
        };
      }),
    },
    { width: o.width ?? 640, height: o.height ?? 320 },
  );
  return chart({
    title: o.title,
    alt: o.alt ?? `Line chart. ${describeSeries(o)}`,
    svg,
    table: seriesTable(o),
  });
}
