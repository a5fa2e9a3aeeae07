/**
 * Monthly profiles (targets) for every profiled measure of a demo contract, as a commissioner
 * would set them: a referral forecast that ramps up over the first months and dips in August
 * and December, and each later measure planned as a share of an earlier one, spread over the
 * months it usually takes to get there. The planned conversion rates are a little more
 * hopeful than the simulation delivers, as plans usually are.
 */
import { addMonths, periodsBetween, type Period } from '../calendar/periods.js';
import type { Profile } from '../reference/schema.js';
import type { ProgrammeId } from './programmes.js';
import type { ContractPlan } from './plan.js';

/** Share of the full referral forecast in the first months of a contract. */
const rampUp = [0.35, 0.55, 0.75, 0.9];
/** Calendar-month seasonality of referrals (index 0 = January). */
const season = [1.1, 1, 1, 1, 1, 1, 1, 0.9, 1, 1, 1, 0.8];

interface Derived {
  /** The measure this one is planned from. */
  from: string;
  rate: number;
  /** Share of the flow arriving `index` months later. */
  lags: readonly number[];
}

const plans: Record<ProgrammeId, Record<string, Derived>> = {
  plp: {
    starts: { from: 'referrals', rate: 0.85, lags: [0.35, 0.55, 0.1] },
    cmp_starts: { from: 'starts', rate: 0.3, lags: [0.3, 0.6, 0.1] },
    job_entries: {
      from: 'starts',
      rate: 0.22,
      lags: [0, 0.05, 0.12, 0.18, 0.18, 0.15, 0.12, 0.1, 0.1],
    },
    sustained_jobs: { from: 'job_entries', rate: 0.65, lags: [0, 0, 0, 0, 0, 0, 0.5, 0.5] },
  },
  vrs: {
    starts: { from: 'referrals', rate: 0.92, lags: [0.6, 0.4] },
    // Back at work from sickness absence, in the month of discharge: about 55% of referrals are
    // off sick and about 40% of them go back, some three months after the assessment.
    returned_to_work: { from: 'starts', rate: 0.22, lags: [0, 0.1, 0.3, 0.3, 0.15, 0.15] },
    // 13 weeks after going back, which is a month or two after the discharge.
    sustained_returns: { from: 'returned_to_work', rate: 0.75, lags: [0, 0.5, 0.5] },
  },
};

/** The monthly referral forecast (unrounded) for the contract at the given scale. */
export function referralForecast(plan: ContractPlan, scale: number): Map<Period, number> {
  const periods = periodsBetween(plan.contract.start_period, plan.contract.end_period);
  return new Map(
    periods.map((period, i) => {
      const month = Number(period.slice(5, 7)) - 1;
      return [period, plan.monthlyReferrals * scale * (rampUp[i] ?? 1) * (season[month] ?? 1)];
    }),
  );
}

/** Whole-number targets whose running total stays as close as it can to the running total of `flow`. */
function roundCumulative(flow: readonly number[]): number[] {
  let total = 0;
  let given = 0;
  return flow.map((x) => {
    total += x;
    const target = Math.max(0, Math.round(total) - given);
    given += target;
    return target;
  });
}

export function buildProfiles(plan: ContractPlan, scale: number): Profile[] {
  const periods = periodsBetween(plan.contract.start_period, plan.contract.end_period);
  const flows = new Map<string, number[]>([
    ['referrals', [...referralForecast(plan, scale).values()]],
  ]);
  for (const [measure, d] of Object.entries(plans[plan.programme])) {
    const source = flows.get(d.from);
    if (!source)
      throw new Error(`The profile for ${measure} is planned from ${d.from}, which comes later`);
    flows.set(
      measure,
      periods.map((_, i) =>
        d.lags.reduce((sum, share, lag) => sum + share * d.rate * (source[i - lag] ?? 0), 0),
      ),
    );
  }
  const profiles: Profile[] = [];
  for (const [measure_id, flow] of flows)
    roundCumulative(flow).forEach((target, i) =>
      profiles.push({
        contract_id: plan.contract.id,
        measure_id,
        period: periods[i] ?? addMonths(plan.contract.start_period, i),
        target,
      }),
    );
  return profiles;
}
