import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { contractColumns, monthColumn } from './contract-columns.js';

export const interventionLevels: Model = {
  name: 'intervention_levels',
  layer: 'mart',
  partition: 'contract',
  description:
    'Each contract’s intervention level month by month (ADR 039): whether it was below profile on the programme’s window, and the level the programme’s rule moves it to.',
  sql: sqlFile(import.meta.url, 'intervention_levels'),
  uniqueKey: ['contract_id', 'period'],
  columns: [
    ...contractColumns,
    monthColumn(),
    {
      name: 'status',
      type: 'VARCHAR',
      description:
        'below (under the programme’s share of profile on any measure the levels read), at_or_above, or not_judged (no profile on any)',
      tests: ['not_null', { accepted_values: ['below', 'at_or_above', 'not_judged'] }],
    },
    {
      name: 'measures_judged',
      label: 'Measures judged',
      format: 'number',
      type: 'INTEGER',
      description: 'Measures the levels read that had a profile in the window',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'measures_below',
      label: 'Measures below profile',
      format: 'number',
      type: 'INTEGER',
      description: 'Of those, how many were below the programme’s share of profile',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'below_measures',
      type: 'VARCHAR',
      description: 'The ids of the measures below, comma-separated (null when none)',
    },
    {
      name: 'level',
      type: 'INTEGER',
      description: 'Intervention level at the end of the month: 0 is no intervention',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'level_label',
      label: 'Intervention level',
      type: 'VARCHAR',
      description: 'The level’s name, from the programme’s reference data',
      tests: ['not_null'],
    },
    {
      name: 'level_description',
      type: 'VARCHAR',
      description: 'What the level means for the provider, from the programme’s reference data',
      tests: ['not_null'],
    },
    {
      name: 'level_window',
      type: 'VARCHAR',
      description:
        'The window the month was judged on: in_month, rolling_3, rolling_12 or cumulative',
      tests: [
        'not_null',
        { accepted_values: ['in_month', 'rolling_3', 'rolling_12', 'cumulative'] },
      ],
    },
    {
      name: 'previous_level',
      type: 'INTEGER',
      description: 'The level at the end of the month before (0 before the first month)',
      tests: ['not_null', { min: 0 }],
    },
    {
      name: 'change',
      label: 'Change',
      type: 'VARCHAR',
      description: 'up, down, or null when the level stayed',
      tests: [{ accepted_values: ['up', 'down'] }],
    },
  ],
};
