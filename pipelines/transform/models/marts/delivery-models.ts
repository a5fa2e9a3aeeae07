/** Marts about delivery: the funnel, the service standards and the payments due, and the claims verification that adjusts them. */
import type { Model } from '../../model.js';
import { claimsModels } from './claims-models.js';
import { funnel } from './funnel.js';
import { payments } from './payments.js';
import { standards } from './standards.js';

export const deliveryModels: Model[] = [funnel, standards, ...claimsModels, payments];
