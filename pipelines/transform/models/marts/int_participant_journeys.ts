import { journeyFields, type JourneyFieldKind } from '../../../measures/journey-fields.js';
import { participantFields } from '../../../returns/fields.js';
import { ageBands } from '../../../validate/row-rules.js';
import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

const typeOf: Record<JourneyFieldKind, Column['type']> = {
  id: 'VARCHAR',
  code: 'VARCHAR',
  date: 'DATE',
  integer: 'INTEGER',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
};

const ageBandSql = `case ${ageBands.map((b) => `when participants.age_at_referral between ${b.from} and ${b.to} then '${b.code}'`).join(' ')} end`;

/** The return's columns, the age band and participant type filled in where the return leaves them blank. */
const returnColumns = participantFields
  .map((f) =>
    f.name === 'age_band'
      ? `coalesce(participants.age_band, ${ageBandSql}) as age_band`
      : f.name === 'participant_type'
        ? `coalesce(participants.participant_type, 'client') as participant_type`
        : `participants.${f.name}`,
  )
  .join(',\n        ');

export const intParticipantJourneys: Model = {
  name: 'int_participant_journeys',
  layer: 'mart',
  partition: 'contract',
  description:
    'The participant-journey table: one row per participant of each contract as its newest accepted return reports them, with every field of the return, the contract’s area, the deprivation rank on whichever nation’s index was given, and the days from referral to first contact, start and exit. Every programme-defined measure is computed from it (measure_values). Participant-level: never published.',
  sql: sqlFile(import.meta.url, 'int_participant_journeys', { return_columns: returnColumns }),
  uniqueKey: ['contract_id', 'participant_id'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'as_at_period',
      type: 'VARCHAR',
      description: 'The period of the return the row comes from',
      tests: ['not_null'],
    },
    ...journeyFields.map((f): Column => ({
      name: f.name,
      type: typeOf[f.kind],
      description: f.description,
      ...(['participant_id', 'referral_date', 'age_band', 'participant_type'].includes(f.name)
        ? { tests: ['not_null'] as const }
        : f.codes
          ? { tests: [{ accepted_values: f.codes }] as const }
          : {}),
    })),
  ],
};
