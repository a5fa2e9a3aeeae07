/** Checks the contract and period a return is sent for, against the reference data when given. */
import { isPeriod, periodEnd, type Period } from '../calendar/periods.js';
import type { Contract, Programme, ReferenceData } from '../reference/schema.js';
import { closest } from './closest.js';
import type { ProblemLog } from './report.js';

export interface ResolvedContext {
  contract: Contract | null;
  programme: Programme | null;
  /** The period, when it is a month that has ended. */
  period: Period | null;
}

export function resolveContext(
  given: { contractId?: string | null; period?: string | null; reference?: ReferenceData | null },
  today: number,
  log: ProblemLog,
): ResolvedContext {
  let period: Period | null = null;
  if (given.period != null) {
    if (!isPeriod(given.period))
      log.error(
        'reference.period',
        null,
        null,
        given.period,
        `"${given.period}" is not a month.`,
        'Give the period as YYYY-MM, for example 2025-04.',
      );
    else if (periodEnd(given.period) >= today)
      log.error(
        'reference.period',
        null,
        null,
        given.period,
        `The period ${given.period} has not ended yet.`,
        'Send a return after the end of the month it reports on.',
      );
    else period = given.period;
  }
  if (given.contractId == null || !given.reference)
    return { contract: null, programme: null, period };

  const { reference, contractId } = given;
  const contract = reference.contracts.find((c) => c.id === contractId) ?? null;
  if (!contract) {
    const near = closest(
      contractId,
      reference.contracts.map((c) => c.id),
    );
    log.error(
      'reference.contract',
      null,
      null,
      contractId,
      `There is no contract "${contractId}".`,
      near
        ? `Did you mean ${near}?`
        : 'Check the contract reference in your contract or with your contract manager.',
    );
    return { contract: null, programme: null, period };
  }
  const programme = reference.programmes.find((p) => p.id === contract.programme_id) ?? null;
  if (period && (period < contract.start_period || period > contract.end_period))
    log.error(
      'reference.period',
      null,
      null,
      period,
      `Contract ${contract.id} runs from ${contract.start_period} to ${contract.end_period}, so it has no return for ${period}.`,
      'Check the period the return is for.',
    );
  return { contract, programme, period };
}
