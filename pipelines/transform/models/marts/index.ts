/** The marts: the business tables commissioners, contract managers and providers read. */
import type { Model } from '../../model.js';
import { suppressedModels } from '../suppressed/index.js';
import { deliveryModels } from './delivery-models.js';
import { outcomeModels } from './outcome-models.js';
import { interventionLevels } from './intervention_levels.js';
import { performance } from './performance.js';
import { qualityModels } from './quality-models.js';
import { regimePerformance } from './regime_performance.js';

export const martModels: Model[] = [
  performance,
  regimePerformance,
  interventionLevels,
  ...deliveryModels,
  ...outcomeModels,
  ...qualityModels,
  ...suppressedModels,
];
