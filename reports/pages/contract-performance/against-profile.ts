/**
 * Why a measure is off profile, as a funnel: the contract's profiled measures in the order the
 * programme lists them (referrals → starts → job entries → sustained jobs) are its steps, each
 * to date against its own profile and, from the step before, the share that got this far against
 * the share the profile planned. A step's share of profile is exactly the step before's share
 * times how its conversion compares with the plan, so the sentence can say which one is short.
 */
import { martColumns, type Column, type Row } from '../../columns.js';
import { formatPercent } from '../../format.js';
import { html, type Html } from '../../html.js';
import { isRag, ragThreshold, type RagRule } from '../../components/rag-tag.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export interface FunnelStep extends Row {
  measure_label: string;
  cumulative_actual: number;
  cumulative_profile: number;
  cumulative_pct_of_profile: number | null;
  rag: string | null;
  /** This step's actual to date ÷ the step before's; null for the first step. */
  conversion: number | null;
  /** The same, of the profiles: what the plan expected. */
  planned_conversion: number | null;
}

export const funnelStepColumns: readonly Column[] = [
  ...martColumns('performance', [
    { name: 'measure_label', rowHeader: true },
    'cumulative_actual',
    'cumulative_profile',
    'cumulative_pct_of_profile',
    'rag',
  ]),
  { key: 'conversion', label: 'Of the step before', format: 'percent' },
  { key: 'planned_conversion', label: 'Of the step before, in the profile', format: 'percent' },
];

/** The profiled measures of the newest month, as funnel steps. */
export function funnelSteps(latest: readonly Row[]): FunnelStep[] {
  const profiled = latest.filter((r) => num(r.cumulative_profile) > 0);
  return profiled.map((r, i) => {
    const before = profiled[i - 1];
    const ratio = (a: unknown, b: unknown) => (before && num(b) > 0 ? num(a) / num(b) : null);
    return {
      measure_label: String(r.measure_label),
      cumulative_actual: num(r.cumulative_actual),
      cumulative_profile: num(r.cumulative_profile),
      cumulative_pct_of_profile:
        r.cumulative_pct_of_profile === null ? null : num(r.cumulative_pct_of_profile),
      rag: isRag(r.rag) ? r.rag : null,
      conversion: ratio(r.cumulative_actual, before?.cumulative_actual),
      planned_conversion: ratio(r.cumulative_profile, before?.cumulative_profile),
    };
  });
}

/** A sentence for each step that is not green: where its shortfall comes from. */
export function offProfileReasons(steps: readonly FunnelStep[], rule: RagRule): Html {
  const reasons = steps.flatMap((s, i) => {
    if ((s.rag !== 'amber' && s.rag !== 'red') || s.cumulative_pct_of_profile === null) return [];
    const status = `${s.rag === 'red' ? 'Red' : 'Amber'}: ${ragThreshold(s.rag, rule)}`;
    const head = html`<strong>${s.measure_label}:</strong> ${formatPercent(s.cumulative_pct_of_profile)} of profile (${status}).`;
    const before = steps[i - 1];
    if (
      !before ||
      before.cumulative_pct_of_profile === null ||
      s.conversion === null ||
      !s.planned_conversion
    )
      return [
        html`<li>${head} Fewer than planned have reached this first step, so every later step starts from fewer people.</li>`,
      ];
    const against = s.conversion / s.planned_conversion;
    const cause =
      before.cumulative_pct_of_profile >= rule.green_from && against < 1
        ? `The step before is on profile: the shortfall is in how many go on from ${before.measure_label.toLowerCase()}.`
        : against >= 1
          ? `As many go on as planned: the shortfall comes from ${before.measure_label.toLowerCase()}, at ${formatPercent(before.cumulative_pct_of_profile)} of profile.`
          : before.cumulative_pct_of_profile < against
            ? `Both are short, ${before.measure_label.toLowerCase()} most.`
            : `Both are short, the share going on most.`;
    return [
      html`<li>${head} ${before.measure_label} are at ${formatPercent(before.cumulative_pct_of_profile)} of profile, and ${formatPercent(s.conversion)} of them have gone on to ${s.measure_label.toLowerCase()} against ${formatPercent(s.planned_conversion)} in the profile (${formatPercent(against)} of the plan). ${cause}</li>`,
    ];
  });
  if (reasons.length === 0)
    return html`<p class="govuk-body">Every profiled measure is on profile to date.</p>
`;
  return html`<ul class="govuk-list govuk-list--bullet">${reasons}</ul>
`;
}
