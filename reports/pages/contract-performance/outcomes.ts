/**
 * The programme's own outcome measures to date (ADR 024): what a vocational rehabilitation
 * service is for (job retention, return to work, time to assessment, length of stay, contacts)
 * and Pathways' job entry rate. Every rate, duration and mean the programme defines leads the
 * contract page beside the profiled counts; the helper counts behind them (their numerators and
 * denominators) and distributions stay on the measures page.
 */
import type { Row } from '../../columns.js';
import { formatNumber, formatPercent } from '../../format.js';
import type { HeadlineFigure } from '../../components/headline-figures.js';

export const outcomesSql = `
select measure_id, measure_label, kind, unit, statistic, category, participants, numerator,
       denominator, value, value_low, value_high, meets_standard
from measure_values
where contract_id = $contract and cohort = 'event' and grain = 'to_date' and breakdown = 'all'
  and ((kind = 'rate' and statistic = 'rate')
    or (kind = 'duration' and statistic in ('mean', 'median', 'within'))
    or (kind = 'numeric' and statistic = 'mean'))
order by case kind when 'rate' then 1 when 'duration' then 2 else 3 end, measure_label, statistic`;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const standardWord = (meets: unknown) =>
  meets === true ? 'meets its standard' : meets === false ? 'does not meet its standard' : null;

/** One headline figure per measure, its numerator and denominator beside any share. */
export function outcomeFigures(rows: readonly Row[]): HeadlineFigure[] {
  const byMeasure = new Map<string, Row[]>();
  for (const r of rows)
    byMeasure.set(String(r.measure_id), [...(byMeasure.get(String(r.measure_id)) ?? []), r]);
  return [...byMeasure.values()].map((stats) => {
    const of = (s: string) => stats.find((r) => r.statistic === s);
    const first = stats[0]!;
    const label = String(first.measure_label);
    const rate = of('rate');
    const within = of('within');
    const mean = of('mean');
    const median = of('median');
    if (rate || within) {
      const r = (rate ?? within)!;
      const interval =
        r.value_low !== null && r.value_high !== null
          ? `95% interval ${formatPercent(num(r.value_low))} to ${formatPercent(num(r.value_high))}`
          : null;
      const hint = [
        within ? `${String(within.category)} of referral` : null,
        median ? `median ${formatNumber(num(median.value))} ${String(first.unit)}` : null,
        interval,
        standardWord(r.meets_standard),
      ].filter(Boolean);
      return {
        label,
        value: num(r.value),
        format: 'percent',
        of: { numerator: num(r.numerator), denominator: num(r.denominator) },
        ...(hint.length ? { hint: capitalise(hint.join('; ')) } : {}),
      };
    }
    const unit = first.kind === 'numeric' ? 'per person' : String(first.unit);
    return {
      label,
      value: mean ? Math.round(num(mean.value) * 10) / 10 : null,
      format: 'number',
      hint: capitalise(
        [
          `mean, ${unit}, of ${formatNumber(num(mean?.participants ?? 0))} people`,
          median ? `median ${formatNumber(num(median.value))} ${unit}` : null,
        ]
          .filter(Boolean)
          .join('; '),
      ),
    };
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
