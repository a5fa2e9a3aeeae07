import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { HIDDEN, SMALL } from '../suppressed/rule.js';

export const validationProblems: Model = {
  name: 'validation_problems',
  layer: 'mart',
  // Counts of returns and providers, and of rows only where 5 or more: no cell values.
  audience: 'published',
  partition: 'global',
  description:
    'The most common validation problems (warnings on accepted returns, newest version of each month) per programme and month, for commissioners: for each rule and column, the rows, returns and providers affected, ranked by rows. Counts only, never a cell value; a count of 1 to 4 rows reads "[c]", and its returns and providers are not given.',
  sql: sqlFile(import.meta.url, 'validation_problems', { small: SMALL, hidden: HIDDEN }),
  uniqueKey: ['programme_id', 'period', 'rule', 'column_name'],
  columns: [
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    {
      name: 'period',
      label: 'Month',
      format: 'period',
      type: 'VARCHAR',
      description: 'Month of the returns',
      tests: ['not_null'],
    },
    {
      name: 'rule',
      label: 'Rule',
      type: 'VARCHAR',
      description: 'Validation rule',
      tests: ['not_null'],
    },
    {
      name: 'column_name',
      label: 'Column',
      type: 'VARCHAR',
      description: 'Column of the return; blank for a whole-file rule',
      tests: ['not_null'],
    },
    {
      name: 'rows_affected',
      type: 'INTEGER',
      description: 'Rows with the problem; null when 1 to 4',
      tests: [{ min: 5 }],
    },
    {
      name: 'rows_affected_display',
      label: 'Rows',
      format: 'number',
      type: 'VARCHAR',
      description: 'Rows with the problem, or "[c]" when 1 to 4',
      tests: ['not_null'],
    },
    {
      name: 'returns_affected',
      label: 'Returns',
      format: 'number',
      type: 'INTEGER',
      description:
        'Returns with the problem; null when its rows are 1 to 4 (each return has a row, so it would bound them)',
      tests: [{ min: 1 }],
    },
    {
      name: 'providers_affected',
      label: 'Providers',
      format: 'number',
      type: 'INTEGER',
      description: 'Providers with the problem; null when its rows are 1 to 4',
      tests: [{ min: 1 }],
    },
    {
      name: 'rank',
      label: 'Rank',
      format: 'number',
      type: 'INTEGER',
      description: '1 for the most common problem of the programme’s month (by rows, then returns)',
      tests: ['not_null', { min: 1 }],
    },
  ],
};
