import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { interventionLevels } from '../marts/intervention_levels.js';

/** The columns a commissioner is given: the level and its moves, not what it was judged from. */
const published = [
  'contract_id',
  'programme_id',
  'provider_id',
  'period',
  'level',
  'level_label',
  'level_description',
  'level_window',
  'previous_level',
  'change',
] as const;

export const suppressedInterventionLevels: Model = {
  name: 'suppressed_intervention_levels',
  layer: 'suppressed',
  partition: 'contract',
  description:
    'Commissioner-facing intervention levels (ADR 039): each contract’s level month by month, its name and meaning, and the months it moved up or down. Contract-level judgements, no counts of people; the measures behind each month’s judgement are left out.',
  sql: sqlFile(import.meta.url, 'suppressed_intervention_levels'),
  uniqueKey: ['contract_id', 'period'],
  columns: published.map((name) => interventionLevels.columns.find((c) => c.name === name)!),
};
