import type { Contract } from '../reference/schema.js';
import type { Behaviour } from './behaviour.js';
import type { ProgrammeId } from './programmes.js';

/** What the simulation needs to know about one contract. */
export interface ContractPlan {
  contract: Contract;
  programme: ProgrammeId;
  /** Letters that begin every participant id of this contract, for example `BPT`. */
  idPrefix: string;
  /** Referral profile for a full month at scale 1, before the ramp-up. */
  monthlyReferrals: number;
  deprivationMean: number;
  behaviour: Behaviour;
}
