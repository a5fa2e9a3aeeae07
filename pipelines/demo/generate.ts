/**
 * The demo as a value: reference data and the submission list at once, and each contract's
 * caseload simulated only when one of its returns is asked for. Only the most recent
 * caseload is kept in memory, so writing a large demo contract by contract, or rendering one
 * big return for a benchmark, never holds more than one contract's participants.
 */
import { isoDate } from '../calendar/days.js';
import { periodEnd, type Period } from '../calendar/periods.js';
import { returnDeadline } from '../calendar/working-days.js';
import type { ReferenceData } from '../reference/schema.js';
import { anomalyPlan, firstVersionAsAt, type Restated, type WarningRow } from './anomalies.js';
import { simulateCaseload, type Caseload } from './caseload.js';
import type { ContractPlan } from './plan.js';
import { DEMO_CONTRACT_COUNT, DEMO_MONTHS, demoReference } from './reference.js';
import { SnapshotWriter } from './returns.js';
import { isLate, planSubmissions, returnFile, type Submission } from './submissions.js';

export const DEFAULT_SEED = 20_230_401;

export interface DemoOptions {
  /** Same seed and options, same bytes. Default `DEFAULT_SEED`. */
  seed?: number;
  /** Multiplies participant volumes and the profiles with them. Default 1 (about 8,800 participants). */
  scale?: number;
  /** How many contracts: the first twelve are the named demo contracts, more are generated. Default 12. */
  contracts?: number;
  /** Length of every contract's term, from April 2023. Default 36 (to March 2026). */
  months?: number;
}

export type ResolvedDemoOptions = Required<DemoOptions>;

/** The deliberate anomalies actually planted, with the participants concerned. */
export interface DemoAnomalies {
  late_provider: {
    provider_id: string;
    contract_ids: string[];
    late_returns: number;
    returns: number;
  };
  /** Every first version submitted after its deadline day, by any provider. */
  late_returns: { contract_id: string; period: Period; deadline: string; submitted_at: string }[];
  missing_returns: { contract_id: string; period: Period }[];
  restated: {
    contract_id: string;
    field: 'job_entry_date';
    last_period_as_reported: Period;
    first_period_corrected: Period;
    participants: Restated[];
  }[];
  resubmissions: {
    contract_id: string;
    period: Period;
    files: [string, string];
    first_version_as_at: string;
    difference: string;
  }[];
  warnings: {
    contract_id: string;
    rule: 'first_contact_after_start';
    participants: WarningRow[];
  }[];
  duplicate_participants: {
    participant_id: string;
    area_code: string;
    contracts: { contract_id: string; referral_date: string }[];
  }[];
}

export interface Demo {
  readonly options: ResolvedDemoOptions;
  readonly reference: ReferenceData;
  /** Every return sent, in submission order: the rows of returns/manifest.json. */
  readonly submissions: readonly Submission[];
  /** The simulated participants of one contract. */
  caseload(contractId: string): Caseload;
  /** One return's CSV text in chunks of about 1 MB; `version` 2 only for a resubmitted return. */
  returnChunks(contractId: string, period: Period, version?: number): Iterable<string>;
  /** One return's whole CSV text. */
  returnCsv(contractId: string, period: Period, version?: number): string;
  /** How many participant rows that return has. */
  rowCount(contractId: string, period: Period, version?: number): number;
  /** The planted anomalies (simulates the few contracts concerned if not yet done). */
  anomalies(): DemoAnomalies;
}

/**
 * @example
 * const demo = generateDemo({ scale: 50 });
 * const csv = demo.returnCsv('plp-bsol-meridian', '2026-03'); // one big return, nothing written
 */
export function generateDemo(options: DemoOptions = {}): Demo {
  const resolved: ResolvedDemoOptions = {
    seed: options.seed ?? DEFAULT_SEED,
    scale: options.scale ?? 1,
    contracts: options.contracts ?? DEMO_CONTRACT_COUNT,
    months: options.months ?? DEMO_MONTHS,
  };
  if (!(resolved.scale > 0)) throw new RangeError(`scale must be above 0, not ${resolved.scale}`);
  if (!Number.isInteger(resolved.contracts) || resolved.contracts < 1)
    throw new RangeError(`contracts must be a whole number from 1, not ${resolved.contracts}`);
  if (!Number.isInteger(resolved.months) || resolved.months < 1)
    throw new RangeError(`months must be a whole number from 1, not ${resolved.months}`);

  const { reference, plans } = demoReference(resolved);
  const plansById = new Map(plans.map((p) => [p.contract.id, p]));
  const submissions = planSubmissions(reference.contracts, resolved.seed);
  const notes = new Map<
    string,
    Pick<Caseload, 'restated' | 'firstContactsAfterStart' | 'duplicate'>
  >();
  let current: { caseload: Caseload; writer: SnapshotWriter } | undefined;

  const planOf = (contractId: string): ContractPlan => {
    const plan = plansById.get(contractId);
    if (!plan) throw new RangeError(`The demo has no contract "${contractId}"`);
    return plan;
  };
  const load = (contractId: string) => {
    if (current?.caseload.plan.contract.id !== contractId) {
      const caseload = simulateCaseload(planOf(contractId), plans, resolved.seed, resolved.scale);
      // Keep only the anomaly notes: the participants go when the next contract is asked for.
      const { restated, firstContactsAfterStart, duplicate } = caseload;
      notes.set(contractId, { restated, firstContactsAfterStart, ...(duplicate && { duplicate }) });
      current = { caseload, writer: new SnapshotWriter(caseload) };
    }
    return current;
  };
  const asAt = (contractId: string, period: Period, version: number): number => {
    const { contract } = planOf(contractId);
    if (period < contract.start_period || period > contract.end_period)
      throw new RangeError(`${period} is outside the term of contract "${contractId}"`);
    const firstVersion = firstVersionAsAt(contractId, period);
    if (version === 2 && firstVersion !== undefined) return periodEnd(period);
    if (version !== 1)
      throw new RangeError(`The ${period} return of "${contractId}" has no version ${version}`);
    return firstVersion ?? periodEnd(period);
  };

  const demo: Demo = {
    options: resolved,
    reference,
    submissions,
    caseload: (contractId) => load(contractId).caseload,
    returnChunks(contractId, period, version = 1) {
      const day = asAt(contractId, period, version);
      return load(contractId).writer.chunks(day);
    },
    returnCsv(contractId, period, version = 1) {
      return [...demo.returnChunks(contractId, period, version)].join('');
    },
    rowCount(contractId, period, version = 1) {
      const day = asAt(contractId, period, version);
      return load(contractId).writer.rowCount(day);
    },
    anomalies: () =>
      describeAnomalies(plans, submissions, (id) => notes.get(id) ?? load(id).caseload),
  };
  return demo;
}

function describeAnomalies(
  plans: readonly ContractPlan[],
  submissions: readonly Submission[],
  notesOf: (
    contractId: string,
  ) => Pick<Caseload, 'restated' | 'firstContactsAfterStart' | 'duplicate'>,
): DemoAnomalies {
  const contracts = new Map(plans.map((p) => [p.contract.id, p.contract]));
  const has = (id: string) => contracts.has(id);
  const firstVersions = submissions.filter((s) => s.version === 1);
  const late = firstVersions.filter((s) => {
    const c = contracts.get(s.contract_id);
    return c !== undefined && isLate(s, c);
  });
  const lateProvider = anomalyPlan.lateProvider.provider_id;
  const lateProviderContracts = plans
    .filter((p) => p.contract.provider_id === lateProvider)
    .map((p) => p.contract.id);
  const inTerm = (id: string, period: Period) => {
    const c = contracts.get(id);
    return c !== undefined && period >= c.start_period && period <= c.end_period;
  };
  const r = anomalyPlan.restatement;
  const w = anomalyPlan.firstContactAfterStart;
  const d = anomalyPlan.duplicate;
  const duplicateNotes = d.contract_ids
    .filter(has)
    .map((id) => ({ id, note: notesOf(id).duplicate }));
  const firstDuplicate = duplicateNotes[0]?.note;

  return {
    late_provider: {
      provider_id: lateProvider,
      contract_ids: lateProviderContracts,
      late_returns: late.filter((s) => lateProviderContracts.includes(s.contract_id)).length,
      returns: firstVersions.filter((s) => lateProviderContracts.includes(s.contract_id)).length,
    },
    late_returns: late.map((s) => {
      const c = contracts.get(s.contract_id);
      return {
        contract_id: s.contract_id,
        period: s.period,
        deadline: c
          ? isoDate(returnDeadline(s.period, c.return_deadline_working_day, c.nation))
          : '',
        submitted_at: s.submitted_at,
      };
    }),
    missing_returns: inTerm(anomalyPlan.missingReturn.contract_id, anomalyPlan.missingReturn.period)
      ? [{ ...anomalyPlan.missingReturn }]
      : [],
    restated:
      has(r.contract_id) && inTerm(r.contract_id, r.firstPeriodCorrected)
        ? [
            {
              contract_id: r.contract_id,
              field: 'job_entry_date',
              last_period_as_reported: r.lastPeriodAsReported,
              first_period_corrected: r.firstPeriodCorrected,
              participants: notesOf(r.contract_id).restated,
            },
          ]
        : [],
    resubmissions: anomalyPlan.resubmissions
      .filter((x) => inTerm(x.contract_id, x.period))
      .map((x) => ({
        contract_id: x.contract_id,
        period: x.period,
        files: [returnFile(x.contract_id, x.period, 1), returnFile(x.contract_id, x.period, 2)],
        first_version_as_at: isoDate(periodEnd(x.period) - x.daysShort),
        difference: `The first version was extracted ${x.daysShort} days before the period end: it lacks the referrals and milestones of the last ${x.daysShort} days.`,
      })),
    warnings:
      has(w.contract_id) && inTerm(w.contract_id, w.referredIn)
        ? [
            {
              contract_id: w.contract_id,
              rule: 'first_contact_after_start',
              participants: notesOf(w.contract_id).firstContactsAfterStart,
            },
          ]
        : [],
    duplicate_participants:
      firstDuplicate && duplicateNotes.length === 2
        ? [
            {
              participant_id: firstDuplicate.participant_id,
              area_code: contracts.get(d.contract_ids[0])?.area.code ?? '',
              contracts: duplicateNotes.map(({ id, note }) => ({
                contract_id: id,
                referral_date: note?.referral_date ?? '',
              })),
            },
          ]
        : [],
  };
}
