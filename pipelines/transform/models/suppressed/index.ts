/**
 * The commissioner-facing layer: copies of marts with small numbers suppressed (1–4 shown as
 * "<5", with secondary suppression), built beside the true figures, never over them. The rule
 * is in docs/decisions/008-small-number-suppression.md.
 */
import type { Model } from '../../model.js';
import { suppressedCosts } from './suppressed_costs.js';
import { suppressedOutcomes } from './suppressed_outcomes.js';
import { suppressedPerformance } from './suppressed_performance.js';

export const suppressedModels: Model[] = [
  suppressedPerformance,
  suppressedOutcomes,
  suppressedCosts,
];
