/**
 * A programme's providers ranked: one row for each provider's contract (a provider in an area),
 * sortable by links (`?sort=rate&dir=desc`, no script), from suppressed_outcomes only, so a hidden
 * count reads "[c]" and sorts last; beside each, the contract's intervention level in its newest
 * month (suppressed_intervention_levels, ADR 039). Parameters (bound by name): `programme`,
 * `contracts`.
 */
import { z } from 'zod';
import { martColumns, type Column, type Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';
import { levelRuleWords, levelTag } from '../../components/intervention-level.js';
import type { Intervention } from '../../../pipelines/reference/schema.js';
import { asPercentages, percentValues } from '../programme-overview/index.js';

/** What the table may be sorted by, and each one's words on the page. */
export const SORTS = {
  rate: 'Job entry rate',
  job_entries: 'Job entries',
  starts: 'Starts',
  provider: 'Provider',
} as const;

/** The sort a URL asks for; anything else is refused with a message (the route answers 400). */
export const rankingSort = z.object({
  sort: z
    .enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]])
    .default('rate'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type RankingSort = z.infer<typeof rankingSort>;

export type RankingParams = { programme: string; contracts: string };

const queries = {
  ranking: {
    sql: `with newest_level as (
            select contract_id, period as level_period, level, level_label
            from suppressed_intervention_levels
            where programme_id = $programme
            qualify row_number() over (partition by contract_id order by period desc) = 1
          )
          select o.contract_id, o.starts, o.starts_display, o.job_entries, o.job_entries_display,
                 o.job_entry_rate, o.job_entry_rate_low, o.job_entry_rate_high,
                 l.level, l.level_label, l.level_period
          from suppressed_outcomes o
          left join newest_level l using (contract_id)
          where o.programme_id = $programme and o.breakdown = 'all'
            and list_contains(string_split($contracts, ','), o.contract_id)
          order by o.contract_id`,
    params: (p: RankingParams) => ({ programme: p.programme, contracts: p.contracts }),
  },
} satisfies ReportPage<RankingParams, 'ranking'>['queries'];

const rankColumn: Column = { key: 'rank', label: 'Rank', numeric: true };
const providerColumn: Column = { key: 'provider_name', label: 'Provider' };
const areaColumn: Column = { key: 'area', label: 'Area' };

/** The table's columns; `rule` colours the intervention level's tag (as on the contract page). */
export const rankingColumns = (rule?: Intervention): readonly Column[] => [
  rankColumn,
  { ...providerColumn, rowHeader: true },
  areaColumn,
  ...martColumns('suppressed_intervention_levels', [
    {
      name: 'level_label',
      ...(rule ? { render: (r: Row) => (r.level_label ? levelTag(r, rule) : '') } : {}),
    },
  ]),
  ...martColumns('suppressed_outcomes', [
    'starts_display',
    'job_entries_display',
    'job_entry_rate',
    'job_entry_rate_low',
    'job_entry_rate_high',
  ]),
];

const sortValue = (row: Row, sort: RankingSort['sort']): number | string | null => {
  if (sort === 'provider') return `${String(row.provider_name)} ${String(row.area)}`;
  const v = row[sort === 'rate' ? 'job_entry_rate' : sort];
  return typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v);
};

/** Sorted as asked; a suppressed (null) figure last either way, ties by provider name. */
export function ranked(rows: readonly Row[], { sort, dir }: RankingSort): Row[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const x = sortValue(a, sort);
      const y = sortValue(b, sort);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
      return sign * order || String(a.provider_name).localeCompare(String(b.provider_name));
    })
    .map((row, i) => ({ ...row, rank: sortValue(row, sort) === null ? null : i + 1 }));
}

export interface RankingSetting {
  programme: { id: string; name: string };
  /** The programme's intervention levels (ADR 039). */
  rule: Intervention;
  contracts: readonly { id: string; providerName: string; areaName: string }[];
  sort: RankingSort;
}

export function rankingPage(setting: RankingSetting): ReportPage<RankingParams, 'ranking'> {
  const byId = new Map(setting.contracts.map((c) => [c.id, c]));
  const named = (row: Row): Row => ({
    ...row,
    provider_name: byId.get(String(row.contract_id))?.providerName ?? '',
    area: byId.get(String(row.contract_id))?.areaName ?? '',
  });
  const base = `/programmes/${encodeURIComponent(setting.programme.id)}`;
  return {
    id: 'ranking',
    title: `Providers ranked: ${setting.programme.name}`,
    description: 'Every provider’s contracts in a programme, ranked by job entry rate or volume.',
    queries,
    tables: {
      ranking: {
        title: 'Providers ranked',
        query: 'ranking',
        columns: asPercentages(rankingColumns()),
        prepare: (rows) =>
          ranked(rows.map(named), setting.sort).map((r) => percentValues(rankingColumns(), r)),
      },
    },
    render(results, context) {
      const rows = ranked(results.ranking.rows.map(named), setting.sort);
      const link = (sort: RankingSort['sort']) => {
        const current = setting.sort.sort === sort;
        const dir = current && setting.sort.dir === 'desc' ? 'asc' : 'desc';
        const words = current
          ? `${SORTS[sort]} (${setting.sort.dir === 'desc' ? 'highest first' : 'lowest first'})`
          : SORTS[sort];
        return html`<li><a class="govuk-link" href="${base}/ranking?sort=${sort}&amp;dir=${dir}"${current ? html` aria-current="true"` : ''}>${words}</a></li>`;
      };
      return html`<span class="govuk-caption-l">${setting.programme.name}</span>
<h1 class="govuk-heading-l">Providers ranked</h1>
<p class="govuk-body">One row for each provider’s contract, for every participant to date. A rank is no verdict: the 95% interval says how far chance alone could move a rate, and the <a class="govuk-link" href="${base}">programme overview</a>’s funnel plot shows which providers differ from the average by more than chance. Figures that would show fewer than 5 people read “[c]” and come last. The intervention level is each contract’s at the end of its newest month: ${levelRuleWords(setting.rule)}</p>
<h2 class="govuk-heading-s">Sort by</h2>
<ul class="govuk-list">${(Object.keys(SORTS) as RankingSort['sort'][]).map(link)}</ul>
${dataTable({
  caption: `Providers ranked by ${SORTS[setting.sort.sort].toLowerCase()}, ${setting.sort.dir === 'desc' ? 'highest first' : 'lowest first'}`,
  columns: rankingColumns(setting.rule),
  rows,
  downloads: context.downloadHref && {
    csv: context.downloadHref('ranking', 'ranking', 'csv'),
    xlsx: context.downloadHref('ranking', 'ranking', 'xlsx'),
  },
  empty: 'There are no outcomes for this programme yet.',
})}`;
    },
  };
}
