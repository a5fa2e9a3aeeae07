/**
 * When each demo return was sent, and by whom: most a few working days before the deadline
 * (the 10th working day of the next month), the late provider's usually after it, the missing
 * return never, and each resubmission as a first version and a corrected second one a few
 * working days later. The list is in submission order, the order an ingest would see them.
 */
import { isoDate } from '../calendar/days.js';
import { periodsBetween, type Period } from '../calendar/periods.js';
import { isWorkingDay, returnDeadline, type Nation } from '../calendar/working-days.js';
import type { Contract } from '../reference/schema.js';
import { anomalyPlan } from './anomalies.js';
import type { ManifestEntry } from './manifest.js';
import { derive, type Random } from './random.js';

/** One row of returns/manifest.json: the schema in manifest.ts is the one definition. */
export type Submission = ManifestEntry;

export function returnFile(contractId: string, period: Period, version: number): string {
  return `returns/${contractId}/${period}${version > 1 ? `.v${version}` : ''}.csv`;
}

function addWorkingDays(day: number, n: number, nation: Nation): number {
  const step = n < 0 ? -1 : 1;
  for (let seen = 0; seen < Math.abs(n);) if (isWorkingDay((day += step), nation)) seen++;
  return day;
}

/** A time in office hours on the day, as an ISO timestamp. */
function during(rng: Random, day: number): string {
  const seconds = 8 * 3600 + rng.int(0, 9 * 3600);
  return new Date((day * 86_400 + seconds) * 1000).toISOString();
}

export function planSubmissions(contracts: readonly Contract[], seed: number): Submission[] {
  const out: Submission[] = [];
  for (const c of contracts) {
    const rng = derive(seed, 'submissions', c.id);
    const lateShare =
      c.provider_id === anomalyPlan.lateProvider.provider_id
        ? anomalyPlan.lateProvider.lateShare
        : anomalyPlan.occasionalLateShare;
    const submitted_by = `user-${c.provider_id}`;
    for (const period of periodsBetween(c.start_period, c.end_period)) {
      const late = rng.bernoulli(lateShare);
      const deadline = returnDeadline(period, c.return_deadline_working_day, c.nation);
      const day = late
        ? addWorkingDays(deadline, rng.int(1, 12), c.nation)
        : addWorkingDays(deadline, -rng.int(0, 6), c.nation);
      const missing = anomalyPlan.missingReturn;
      if (c.id === missing.contract_id && period === missing.period) continue;
      out.push({
        contract_id: c.id,
        period,
        file: returnFile(c.id, period, 1),
        submitted_at: during(rng, day),
        submitted_by,
        version: 1,
      });
      if (anomalyPlan.resubmissions.some((r) => r.contract_id === c.id && r.period === period)) {
        const again = addWorkingDays(day, rng.int(2, 5), c.nation);
        out.push({
          contract_id: c.id,
          period,
          file: returnFile(c.id, period, 2),
          submitted_at: during(rng, again),
          submitted_by,
          version: 2,
        });
      }
    }
  }
  return out.sort(
    (a, b) =>
      compare(a.submitted_at, b.submitted_at) ||
      compare(a.contract_id, b.contract_id) ||
      a.version - b.version,
  );
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a submission came after its deadline day. */
export function isLate(s: Submission, contract: Contract): boolean {
  return (
    s.submitted_at.slice(0, 10) >
    isoDate(returnDeadline(s.period, contract.return_deadline_working_day, contract.nation))
  );
}
