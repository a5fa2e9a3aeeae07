/**
 * The JSON Schema of a return, generated from the zod row schemas (and so from the field
 * lists), for providers whose systems produce returns by program.
 */
import { z } from 'zod';
import { aggregateRowSchema, participantRowSchema } from './row-schema.js';

export function returnJsonSchema(): Record<string, unknown> {
  const participant = z.toJSONSchema(participantRowSchema, {
    target: 'draft-2020-12',
    io: 'input',
  });
  const aggregate = z.toJSONSchema(aggregateRowSchema, { target: 'draft-2020-12', io: 'input' });
  delete participant.$schema;
  delete aggregate.$schema;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://outturn.example/schemas/monthly-return.json',
    title: 'Outturn monthly return',
    description:
      'A monthly return as JSON: either the participant-level caseload snapshot (one object per participant referred up to the end of the period) or the aggregate return (one object per measure and breakdown). Dates are ISO 8601 (YYYY-MM-DD); blank values are null or left out.',
    oneOf: [
      {
        title: 'Participant-level return',
        type: 'array',
        items: { $ref: '#/$defs/participant_row' },
      },
      { title: 'Aggregate return', type: 'array', items: { $ref: '#/$defs/aggregate_row' } },
    ],
    $defs: {
      participant_row: { title: 'One participant', ...participant },
      aggregate_row: { title: 'One count', ...aggregate },
    },
  };
}
