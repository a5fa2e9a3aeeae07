import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';
import { periodOf, type Grain } from './periods.js';
import { hiddenSelect, SMALL, suppressedCount, type Hiding } from './rule.js';

const grains: Record<
  Grain,
  { name: string; words: string; period: string; label: string; rows: string }
> = {
  month: {
    name: 'suppressed_performance',
    label: 'Month',
    words: 'month by month',
    period: 'Month (YYYY-MM)',
    rows: 'month',
  },
  quarter: {
    name: 'suppressed_performance_quarterly',
    label: 'Quarter',
    words: 'quarter by quarter',
    period: 'Calendar quarter (YYYY-Qn: Q1 is January to March)',
    rows: 'quarter',
  },
  year: {
    name: 'suppressed_performance_yearly',
    label: 'Financial year',
    words: 'financial year by year',
    period: 'Financial year, April to March (e.g. 2024-25)',
    rows: 'financial year',
  },
};

const hiding: Hiding = {
  counts: {
    actual: 'actual_hidden',
    cumulative_actual: 'cumulative_hidden',
    combined_actual: 'combined_hidden',
  },
  derived: {
    variance: ['actual'],
    pct_of_profile: ['actual'],
    cumulative_pct_of_profile: ['cumulative_actual'],
    rag: ['cumulative_actual'],
  },
};

function columns(grain: Grain): Column[] {
  const g = grains[grain];
  return [
    {
      name: 'contract_id',
      label: 'Contract',
      type: 'VARCHAR',
      description: 'Contract id',
      tests: ['not_null'],
    },
    { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
    { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
    { name: 'measure_id', type: 'VARCHAR', description: 'Measure id', tests: ['not_null'] },
    { name: 'measure_label', label: 'Measure', type: 'VARCHAR', description: 'Measure name' },
    {
      name: 'measure_order',
      type: 'INTEGER',
      description: 'Position of the measure in the programme definition',
    },
    {
      name: 'period',
      label: g.label,
      ...(grain === 'month' ? { format: 'period' as const } : {}),
      type: 'VARCHAR',
      description: g.period,
      tests: ['not_null'],
    },
    {
      name: 'period_from',
      type: 'VARCHAR',
      description: `First month of the ${g.rows} in the contract (YYYY-MM)`,
      tests: ['not_null'],
    },
    {
      name: 'period_to',
      type: 'VARCHAR',
      description: `Last month of the ${g.rows} with figures so far (YYYY-MM)`,
      tests: ['not_null'],
    },
    {
      name: 'months',
      type: 'INTEGER',
      description: `Months of the ${g.rows} with figures`,
      tests: ['not_null', { min: 1 }],
    },
    ...suppressedCount('actual', `Participants whose milestone falls in the ${g.rows}`),
    {
      name: 'profile',
      type: 'INTEGER',
      description: `The contract’s target for the ${g.rows} (a target, not people: never hidden)`,
    },
    {
      name: 'variance',
      type: 'INTEGER',
      description: 'actual − profile; null when the actual is hidden',
    },
    {
      name: 'pct_of_profile',
      type: 'DOUBLE',
      description: 'actual ÷ profile; null when the actual is hidden',
    },
    ...suppressedCount(
      'cumulative_actual',
      `Actual from the start of the contract to the end of the ${g.rows} (or its newest month)`,
      'Actual to date',
    ),
    {
      name: 'cumulative_profile',
      label: 'Profile to date',
      format: 'number',
      type: 'INTEGER',
      description: `Profile from the start of the contract to the end of the ${g.rows}`,
    },
    {
      name: 'cumulative_pct_of_profile',
      label: '% of profile to date',
      format: 'percent',
      type: 'DOUBLE',
      description: 'cumulative_actual ÷ cumulative_profile; null when the cumulative is hidden',
    },
    {
      name: 'rag',
      label: 'RAG status',
      format: 'rag',
      type: 'VARCHAR',
      description:
        'green, amber or red on the cumulative share of profile; null when the cumulative is hidden',
      tests: [{ accepted_values: ['green', 'amber', 'red'] }],
    },
    {
      name: 'combined_from',
      type: 'VARCHAR',
      description: `First month of the months this ${g.rows} is shown with: period_from when its actual is shown, earlier when it is shown only together with months before it`,
      tests: ['not_null'],
    },
    {
      name: 'combined_to',
      type: 'VARCHAR',
      description: `Last month of the months this ${g.rows} is shown with`,
      tests: ['not_null'],
    },
    ...suppressedCount(
      'combined_actual',
      'Actual of the months combined_from to combined_to together (hidden only when the contract’s whole total is 1 to 4)',
    ),
  ];
}

function suppressedPerformanceAt(grain: Grain): Model {
  const g = grains[grain];
  const list = columns(grain);
  return {
    name: g.name,
    layer: 'suppressed',
    partition: 'contract',
    description: `The performance mart as commissioners see it, ${g.words}: an actual is shown only where the ${g.rows} is made of whole blocks of months (int_performance_blocks) and a cumulative only where it ends a block, so that no count of 1 to 4 is shown or can be worked out; the variance, % of profile and RAG status are hidden with the figure they come from, and every hidden count reads "[c]". Where a ${g.rows} is hidden, combined_from to combined_to and combined_actual give the months it is shown with. The true figures stay in performance.`,
    sql: sqlFile(import.meta.url, 'suppressed_performance', {
      grain_words: g.words,
      period: periodOf(grain, 'month'),
      small: SMALL,
      columns: hiddenSelect(list, hiding),
    }),
    uniqueKey: ['contract_id', 'measure_id', 'period'],
    columns: list,
  };
}

export const suppressedPerformance = suppressedPerformanceAt('month');
export const suppressedPerformanceQuarterly = suppressedPerformanceAt('quarter');
export const suppressedPerformanceYearly = suppressedPerformanceAt('year');
