/**
 * The contract's standards in its newest month and to date, where a cohort standard whose people
 * have not had time yet says so instead of "0 of 5, Not met": of the job entries in a month, none
 * can have lasted 13 weeks by the end of that month. A month counts towards the figure to date
 * once every one of its people has had the time (the month's last day plus the wait is on or
 * before the end of the newest month); the people of the months since are "too early to tell".
 */
import { martColumns, type Column, type Row } from '../../columns.js';
import { formatNumber, formatPeriod } from '../../format.js';
import { html, type Html } from '../../html.js';

/** What the standard is, worked out from the mart's bounds: "at least" 80%, "at most" 10%. */
const boundColumns: readonly Column[] = [
  { key: 'bound_kind', label: 'Must be' },
  { key: 'bound', label: 'Required rate', format: 'percent' },
];

export const standardsColumns: readonly Column[] = [
  ...martColumns('standards', ['standard_label', 'numerator', 'denominator', 'rate']),
  ...boundColumns,
  ...martColumns('standards', [
    'met',
    'cumulative_numerator',
    'cumulative_denominator',
    'cumulative_rate',
    'cumulative_met',
  ]),
  { key: 'waiting', label: 'Too early to tell', format: 'number' },
];

/**
 * Each standard in the newest month, with the figure to date over the months whose people have
 * all had time. `$waits` lists the standards that need time (ContractPageParams.waits).
 */
export const standardsSql = `
with waits as (
    select split_part(w, ':', 1) as standard_id, split_part(w, ':', 2)::integer as wait_days
    from (select unnest(string_split($waits, ',')) as w)
    where w <> ''
),
contract_standards as (
    select standards.*, coalesce(waits.wait_days, 0) as wait_days,
           last_day(strptime(period || '-01', '%Y-%m-%d')::date) as period_end
    from standards left join waits using (standard_id)
    where contract_id = $contract
),
as_at as (
    select max(period) as newest, max(period_end) as as_at from contract_standards
),
judged as (
    select cs.*, cs.period_end + to_days(cs.wait_days) <= as_at.as_at as has_had_time
    from contract_standards as cs, as_at
),
to_date as (
    select standard_id,
           sum(numerator) filter (where has_had_time)::integer as judged_numerator,
           sum(denominator) filter (where has_had_time)::integer as judged_denominator,
           coalesce(sum(denominator) filter (where not has_had_time), 0)::integer as waiting
    from judged
    group by standard_id
),
final as (
    select
        j.standard_id,
        j.standard_label,
        j.numerator,
        j.denominator,
        case when j.has_had_time then j.rate end as rate,
        coalesce(j.min_rate, j.max_rate) as bound,
        case when j.kind = 'max_share' then 'at most' else 'at least' end as bound_kind,
        case
            when not j.has_had_time and j.denominator > 0 then 'Too early to tell'
            when j.met then 'Met'
            when not j.met then 'Not met'
        end as met,
        case when j.wait_days > 0 then t.judged_numerator else j.cumulative_numerator end as cumulative_numerator,
        case when j.wait_days > 0 then t.judged_denominator else j.cumulative_denominator end as cumulative_denominator,
        case
            when j.wait_days = 0 then j.cumulative_rate
            when t.judged_denominator > 0 then t.judged_numerator / t.judged_denominator
        end as cumulative_rate,
        case
            when j.wait_days = 0 then j.cumulative_met
            when t.judged_denominator > 0 and j.min_rate is not null then t.judged_numerator / t.judged_denominator >= j.min_rate
            when t.judged_denominator > 0 then t.judged_numerator / t.judged_denominator <= j.max_rate
        end as cumulative_met_flag,
        case when j.wait_days > 0 then t.waiting end as waiting,
        j.wait_days,
        (select min(period) from judged as w where w.standard_id = j.standard_id and not w.has_had_time and w.denominator > 0) as waiting_from
    from judged as j
    join to_date as t using (standard_id)
    join as_at on j.period = as_at.newest
)
select * exclude (cumulative_met_flag),
       case when cumulative_met_flag then 'Met' when not cumulative_met_flag then 'Not met' end as cumulative_met
from final
order by standard_id`;

const WORDS: Record<string, string> = {
  referral_date: 'were referred',
  first_contact_date: 'were first contacted',
  start_date: 'started',
  cmp_start_date: 'started the CMP',
  job_entry_date: 'started work',
  exit_date: 'left',
};

/**
 * One sentence for each standard whose newest people cannot be judged yet.
 *
 * @example tooEarlyNotes(rows, '2025-03', 'returns_sustained_60_percent:91:job_entry_date')
 */
export function tooEarlyNotes(rows: readonly Row[], newest: string, waits: string): Html {
  const milestoneOf = new Map(
    waits
      .split(',')
      .filter(Boolean)
      .map((w) => w.split(':'))
      .map(([id, , milestone]) => [id, milestone]),
  );
  const notes = rows
    .filter((r) => Number(r.waiting) > 0 && r.waiting_from)
    .map((r) => {
      const n = Number(r.waiting);
      const weeks = Math.round(Number(r.wait_days) / 7);
      const did = WORDS[String(milestoneOf.get(String(r.standard_id)))] ?? 'reached the first step';
      return html`<li><strong>${String(r.standard_label)}:</strong> too early to tell for ${formatNumber(n)} ${n === 1 ? 'person' : 'people'}. ${n === 1 ? 'They' : 'These people'} ${did} from ${formatPeriod(String(r.waiting_from))}, and have not all had ${formatNumber(weeks)} weeks by the end of ${formatPeriod(newest)}. The figure to date counts the people who ${did} before then.</li>`;
    });
  if (notes.length === 0) return html``;
  return html`<ul class="govuk-list govuk-list--bullet">${notes}</ul>
`;
}
