/** Marts about outcomes: job entry and sustained rates, work-status transitions, distance travelled. */
import type { Model } from '../../model.js';
import { distanceTravelled } from './distance_travelled.js';
import { intParticipantJourneys } from './int_participant_journeys.js';
import { measureValues } from './measure_values.js';
import { outcomeTransitions } from './outcome_transitions.js';
import { outcomes } from './outcomes.js';

export const outcomeModels: Model[] = [
  outcomes,
  outcomeTransitions,
  distanceTravelled,
  intParticipantJourneys,
  measureValues,
];
