/** Model columns generated from the return's field list, so participant columns are never typed twice. */
import { stagedTypeOf } from '../ingest/staged-schema.js';
import { breakdownFieldNames, participantFields } from '../returns/fields.js';
import type { Column } from './model.js';

export const participantColumns: Column[] = participantFields.map((f) => ({
  name: f.name,
  type: stagedTypeOf[f.type],
  description: f.description,
  ...(f.required ? { tests: ['not_null'] as const } : {}),
}));

export const milestoneColumnNames = participantFields
  .filter((f) => f.type === 'date')
  .map((f) => f.name);

/** Values for the `{{ … }}` placeholders in model SQL. */
export const sqlPlaceholders: Record<string, string> = {
  participant_columns: participantFields.map((f) => f.name).join(',\n    '),
  milestone_columns: milestoneColumnNames.join(', '),
  breakdown_columns: breakdownFieldNames.join(', '),
};
