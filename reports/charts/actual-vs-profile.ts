/**
 * Outturn against profile for one measure of one contract, as a line chart: the chart every
 * contract page leads with. Monthly shows the shape of the year; cumulative shows whether the
 * contract is catching up, which is what the RAG status judges.
 */
import { formatNumber, formatPercent, formatPeriod } from '../format.js';
import type { Html } from '../html.js';
import { lineChart } from './line.js';

/** Rows of the performance mart for one contract and measure, in period order. */
export interface PerformanceMonth {
  period: string;
  actual: number;
  profile: number | null;
  cumulative_actual: number;
  cumulative_profile: number | null;
}

export function actualVsProfileChart(o: {
  measure: string;
  months: readonly PerformanceMonth[];
  cumulative?: boolean;
}): Html {
  const cumulative = o.cumulative ?? false;
  const first = o.months[0];
  const last = o.months[o.months.length - 1];
  const title = `${o.measure}: actual against profile, ${cumulative ? 'cumulative' : 'by month'}`;
  let alt = `Line chart of ${o.measure.toLowerCase()} ${cumulative ? 'to date' : 'each month'}, actual against profile`;
  if (first && last) {
    alt += `, ${formatPeriod(first.period)} to ${formatPeriod(last.period)}. `;
    alt += last.cumulative_profile
      ? `By ${formatPeriod(last.period)}: ${formatNumber(last.cumulative_actual)} actual against ${formatNumber(last.cumulative_profile)} profiled (${formatPercent(last.cumulative_actual / last.cumulative_profile)}).`
      : `By ${formatPeriod(last.period)}: ${formatNumber(last.cumulative_actual)} actual; no profile.`;
  } else alt += ': no months yet.';
  return lineChart({
    title,
    alt,
    categoryLabel: 'Month',
    categories: o.months.map((m) => formatPeriod(m.period, 'short')),
    valueLabel: o.measure,
    series: [
      {
        name: 'Actual',
        values: o.months.map((m) => (cumulative ? m.cumulative_actual : m.actual)),
      },
      {
        name: 'Profile',
        values: o.months.map((m) => (cumulative ? m.cumulative_profile : m.profile)),
      },
    ],
  });
}
