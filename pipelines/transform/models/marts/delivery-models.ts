/** Marts about delivery: the funnel, the service standards and the payments due. */
import type { Model } from '../../model.js';
import { funnel } from './funnel.js';
import { payments } from './payments.js';
import { standards } from './standards.js';

export const deliveryModels: Model[] = [funnel, standards, payments];
