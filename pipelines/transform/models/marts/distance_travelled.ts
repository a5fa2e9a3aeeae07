import { instrumentCodes } from '../../../returns/fields.js';
import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

type InstrumentCode = (typeof instrumentCodes)[number]['code'];
export type Direction = 'higher_is_better' | 'lower_is_better';

/**
 * Which way is better on each outcome instrument, declared once here (the type makes every
 * instrument in the field list need one). HADS scores measure anxiety and depression, so lower
 * is better; EQ-5D VAS (health today), COPM performance and the providers' own questionnaires
 * (scored so that higher means closer to work) are higher-is-better. The instrument labels in
 * returns/fields.ts say the same, where they say anything; a test checks they agree.
 */
export const instrumentDirections: Readonly<Record<InstrumentCode, Direction>> = {
  hads_anxiety: 'lower_is_better',
  hads_depression: 'lower_is_better',
  eq5d_vas: 'higher_is_better',
  copm_performance: 'higher_is_better',
  provider_questionnaire: 'higher_is_better',
};

/** The directions as SQL VALUES rows: (instrument, direction, +1 or −1). */
const directionRows = Object.entries(instrumentDirections)
  .map(
    ([code, direction]) =>
      `('${code}', '${direction}', ${direction === 'higher_is_better' ? 1 : -1})`,
  )
  .join(', ');

export const distanceTravelled: Model = {
  name: 'distance_travelled',
  layer: 'mart',
  partition: 'contract',
  description:
    'Distance travelled per the newest return: contract × outcome instrument, over participants with both a baseline and an exit score: mean scores, mean change (exit − baseline), and how many improved in the instrument’s better direction.',
  sql: sqlFile(import.meta.url, 'distance_travelled', { instrument_directions: directionRows }),
  uniqueKey: ['contract_id', 'outcome_instrument'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    {
      name: 'outcome_instrument',
      type: 'VARCHAR',
      description: 'The instrument the scores are on',
      tests: ['not_null', { accepted_values: instrumentCodes.map((c) => c.code) }],
    },
    {
      name: 'direction',
      type: 'VARCHAR',
      description: 'higher_is_better or lower_is_better: which change counts as an improvement',
      tests: ['not_null', { accepted_values: ['higher_is_better', 'lower_is_better'] }],
    },
    {
      name: 'participants',
      type: 'INTEGER',
      description:
        'Participants with both a baseline and an exit score on the instrument: the improved share’s denominator',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'mean_baseline_score',
      type: 'DOUBLE',
      description: 'Mean baseline score',
      tests: ['not_null'],
    },
    {
      name: 'mean_exit_score',
      type: 'DOUBLE',
      description: 'Mean exit score',
      tests: ['not_null'],
    },
    {
      name: 'mean_change',
      type: 'DOUBLE',
      description: 'Mean of exit − baseline (its sign is not adjusted for direction)',
      tests: ['not_null'],
    },
    {
      name: 'improved',
      type: 'INTEGER',
      description:
        'Participants whose score moved in the better direction (unchanged scores are not improvements): the improved share’s numerator',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'improved_share',
      type: 'DOUBLE',
      description: 'improved ÷ participants',
      tests: ['not_null', { min: 0 }, { max: 1 }],
    },
  ],
};
