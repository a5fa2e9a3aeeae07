/**
 * A bar chart over categories: counts by month, or one bar per provider. Horizontal bars suit
 * long category names (provider names) and long lists.
 *
 * @example
 *   barChart({ title: 'Job entries by provider', categoryLabel: 'Provider', categories: ['Acme', 'North'], valueLabel: 'Job entries',
 *              series: [{ name: 'Job entries', values: [12, 7] }], horizontal: true })
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

export function barChart(o: CategoryChartOptions & { horizontal?: boolean }): Html {
  const categoryAxis = {
    type: 'category' as const,
    data: [...o.categories],
    inverse: o.horizontal ?? false,
    axisLine: { lineStyle: { color: colours.black } },
    axisLabel: { color: colours.black },
  };
  const valueAxis = {
    type: 'value' as const,
    name: o.valueLabel,
    nameTextStyle: { color: colours.black },
    axisLabel: { color: colours.black, formatter: valueAxisFormatter(o.format) },
    splitLine: { lineStyle: { color: colours.midGrey, type: 'dotted' as const } },
  };
  const rows = o.categories.length;
  const svg = renderSvg(
    {
      ...baseOption,
      xAxis: o.horizontal ? valueAxis : categoryAxis,
      yAxis: o.horizontal ? categoryAxis : valueAxis,
      series: o.series.map((s, i) => {
        const style = seriesStyle(i);
        return {
          type: 'bar' as const,
          name: s.name,
          data: [...s.values],
          // A dark edge keeps neighbouring bars apart when their fills are close in lightness.
          itemStyle: {
            color: style.colour,
            borderColor: colours.black,
            borderWidth: i === 0 ? 0 : 1,
          },
        };
      }),
    },
    {
      width: o.width ?? 640,
      height:
        o.height ??
        (o.horizontal ? Math.max(200, 60 + rows * 32 * Math.max(1, o.series.length)) : 320),
    },
  );
  return chart({
    title: o.title,
    alt: o.alt ?? `Bar chart. ${describeSeries(o)}`,
    svg,
    table: seriesTable(o),
  });
}
