/**
 * The commissioner-facing layer: copies of marts with small numbers suppressed (1–4 shown as
 * "<5", with secondary suppression), built beside the true figures, never over them. The rule
 * is in docs/decisions/008-small-number-suppression.md.
 */
import type { Model } from '../../model.js';
import { sharedCosts } from './shared_costs.js';
import { sharedOutcomes } from './shared_outcomes.js';
import { sharedPerformance } from './shared_performance.js';

export const sharedModels: Model[] = [sharedPerformance, sharedOutcomes, sharedCosts];
