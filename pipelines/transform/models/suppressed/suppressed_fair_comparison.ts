import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { fairComparisonColumns } from '../marts/fair_comparison.js';
import { hiddenSelect, SMALL, suppressedCount, type Hiding } from './rule.js';

const observedSmall = `observed ${SMALL} or contract_hidden`;
const hardSmall = `hard_referrals ${SMALL} or hard_starts ${SMALL}`;

const hardFigures = fairComparisonColumns
  .map((c) => c.name)
  .filter((name) => name.startsWith('hard_') && name !== 'hard_referrals' && name !== 'hard_starts')
  .concat(['start_rate_flag', 'job_entry_rate_flag', 'first_contact_flag', 'contacts_flag']);

const hiding: Hiding = {
  counts: {
    starts: `starts ${SMALL} or ${observedSmall}`,
    observed: observedSmall,
    hard_referrals: hardSmall,
    hard_starts: hardSmall,
  },
  derived: {
    expected: ['observed'],
    oe_ratio: ['observed'],
    oe_low: ['observed'],
    oe_high: ['observed'],
    ...Object.fromEntries(hardFigures.map((name) => [name, ['hard_starts']])),
  },
};

const columns: Column[] = fairComparisonColumns.flatMap((c): Column[] => {
  if (c.name in hiding.counts) return suppressedCount(c.name, c.description, c.label);
  // A hidden flag reads null, so it is nullable here.
  if (c.type === 'BOOLEAN') return [{ ...c, tests: [] }];
  return [c];
});

export const suppressedFairComparison: Model = {
  name: 'suppressed_fair_comparison',
  layer: 'suppressed',
  partition: 'global',
  description:
    'fair_comparison as commissioners see it: where a provider’s observed job entries are 1 to 4, or any of its contracts’ starts or job entries are hidden in suppressed_outcomes, its starts, observed and expected job entries and O/E with its interval are hidden; where its harder-to-help referrals or starts are 1 to 4, every harder-to-help figure is. Every hidden count reads "[c]".',
  sql: sqlFile(import.meta.url, 'suppressed_fair_comparison', {
    columns: hiddenSelect(columns, hiding),
  }),
  uniqueKey: ['programme_id', 'provider_id'],
  columns,
};
