/** The marts: the business tables commissioners, contract managers and providers read. */
import type { Model } from '../../model.js';
import { suppressedModels } from '../suppressed/index.js';
import { deliveryModels } from './delivery-models.js';
import { outcomeModels } from './outcome-models.js';
import { performance } from './performance.js';
import { qualityModels } from './quality-models.js';

export const martModels: Model[] = [
  performance,
  ...deliveryModels,
  ...outcomeModels,
  ...qualityModels,
  ...suppressedModels,
];
