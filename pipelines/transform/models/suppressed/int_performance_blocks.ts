import type { Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { levels } from './periods.js';
import { SMALL } from './rule.js';

const n = levels.length;
const at = (k: number) => levels[k - 1]!;

/** SQL generated from the one list of levels: a key, a closed flag and a small flag per level. */
const fragments = {
  small: SMALL,
  level_keys: levels
    .map((l, i) => `${l.key('period', 'first_month')} as period_${i + 1}`)
    .join(',\n        '),
  level_ctes: levels
    .map(
      (_, i) => `-- ${at(i + 1).name}
level_${i + 1} as (
    select
        *,
        bool_or(small_${i}) over level_period as closed_${i + 1},
        sum(actual) over level_period ${SMALL} as small_${i + 1}
    from ${i === 0 ? 'periods' : `level_${i}`}
    window level_period as (partition by contract_id, measure_id, period_${i + 1})
)`,
    )
    .join(',\n\n'),
  block: `case ${levels
    .map((_, i) => n - i)
    .map((k) => `when closed_${k} then 'p${k} ' || period_${k}`)
    .join(' ')} else period end`,
  last_level: `level_${n}`,
};

export const intPerformanceBlocks: Model = {
  name: 'int_performance_blocks',
  layer: 'mart',
  partition: 'contract',
  description:
    'Intermediate (read by the suppressed performance tables; true figures): for each contract’s measure and month, the block of months it is shown in. The periods above a month nest (quarter, half of the financial year, financial year, two financial years in pairs from the contract’s first, the whole term); a period is closed when any period just below it comes to 1 to 4, and a month’s block is its highest closed period, or the month itself.',
  sql: sqlFile(import.meta.url, 'int_performance_blocks', fragments),
  uniqueKey: ['contract_id', 'measure_id', 'period'],
  columns: [
    { name: 'contract_id', type: 'VARCHAR', description: 'Contract id', tests: ['not_null'] },
    { name: 'measure_id', type: 'VARCHAR', description: 'Measure id', tests: ['not_null'] },
    { name: 'period', type: 'VARCHAR', description: 'Month (YYYY-MM)', tests: ['not_null'] },
    {
      name: 'block_from',
      type: 'VARCHAR',
      description: 'First month of the block the month is shown in',
      tests: ['not_null'],
    },
    {
      name: 'block_to',
      type: 'VARCHAR',
      description: 'Last month of the block the month is shown in',
      tests: ['not_null'],
    },
    {
      name: 'block_months',
      type: 'INTEGER',
      description: 'Months in the block (1: the month is shown on its own)',
      tests: ['not_null', { min: 1 }],
    },
    {
      name: 'block_actual',
      type: 'INTEGER',
      description:
        'The true total of the block: 0, or 5 or more unless the whole term comes to 1 to 4',
      tests: ['not_null', { min: 0 }],
    },
  ],
};
