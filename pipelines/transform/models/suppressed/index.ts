/**
 * The commissioner-facing layer: copies of the count marts in which no count of 1 to 4 is shown
 * or can be worked out, built beside the true figures, never over them, with the coarser
 * periods a small service's figures are shown in. The rule is in rule.ts and
 * docs/decisions/021-suppression-that-holds.md.
 */
import type { Model } from '../../model.js';
import { intPerformanceBlocks } from './int_performance_blocks.js';
import { suppressedFairComparison } from './suppressed_fair_comparison.js';
import { suppressedClaimsVerification } from './suppressed_claims_verification.js';
import { suppressedCosts } from './suppressed_costs.js';
import { suppressedInterventionLevels } from './suppressed_intervention_levels.js';
import { suppressedMeasureValues } from './suppressed_measure_values.js';
import { suppressedOutcomes } from './suppressed_outcomes.js';
import {
  suppressedPerformance,
  suppressedPerformanceQuarterly,
  suppressedPerformanceYearly,
} from './suppressed_performance.js';

export const suppressedModels: Model[] = [
  intPerformanceBlocks,
  suppressedPerformance,
  suppressedPerformanceQuarterly,
  suppressedPerformanceYearly,
  suppressedOutcomes,
  suppressedCosts,
  suppressedMeasureValues,
  suppressedFairComparison,
  suppressedClaimsVerification,
  suppressedInterventionLevels,
];
