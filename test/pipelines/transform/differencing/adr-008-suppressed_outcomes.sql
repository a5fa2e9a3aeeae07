-- ADR 008's suppressed_outcomes, kept as the weak scheme the differencing checker must catch (test only).
-- The outcomes mart for commissioners, with small numbers suppressed (docs/decisions/
-- 008-small-number-suppression.md). The true figures stay in outcomes; this is a copy.
--
--   primary    a count of 1 to 4 is hidden (null), shown as '<5'; 0 is shown
--   secondary  the values of a breakdown (e.g. every sex) add up to the contract's total, so
--              when exactly one value of a count is hidden in a contract × breakdown group,
--              the next smallest non-zero value of that count in the group is hidden too,
--              shown as '[c]' (ties broken by breakdown value)
--   rates      a rate (and its interval) is hidden when its numerator or denominator is
with outcome_rows as (
    select * from outcomes
),

ranked as (
    select
        *,
        sum((referrals between 1 and 4)::integer) over breakdown_group as referrals_small,
        sum((starts between 1 and 4)::integer) over breakdown_group as starts_small,
        sum((job_entries between 1 and 4)::integer) over breakdown_group as job_entries_small,
        sum((sustained_jobs between 1 and 4)::integer) over breakdown_group as sustained_jobs_small,
        row_number() over (partition by contract_id, breakdown order by case when referrals >= 5 then referrals end nulls last, breakdown_value) as referrals_rank,
        row_number() over (partition by contract_id, breakdown order by case when starts >= 5 then starts end nulls last, breakdown_value) as starts_rank,
        row_number() over (partition by contract_id, breakdown order by case when job_entries >= 5 then job_entries end nulls last, breakdown_value) as job_entries_rank,
        row_number() over (partition by contract_id, breakdown order by case when sustained_jobs >= 5 then sustained_jobs end nulls last, breakdown_value) as sustained_jobs_rank
    from outcome_rows
    window breakdown_group as (partition by contract_id, breakdown)
),

-- Why each count is hidden: 'primary' (1 to 4), 'secondary' (protects the one small value of
-- its group), or null (shown).
reasons as (
    select
        *,
        case
            when referrals between 1 and 4 then 'primary'
            when referrals_small = 1 and referrals >= 5 and referrals_rank = 1 then 'secondary'
        end as referrals_hidden,
        case
            when starts between 1 and 4 then 'primary'
            when starts_small = 1 and starts >= 5 and starts_rank = 1 then 'secondary'
        end as starts_hidden,
        case
            when job_entries between 1 and 4 then 'primary'
            when job_entries_small = 1 and job_entries >= 5 and job_entries_rank = 1 then 'secondary'
        end as job_entries_hidden,
        case
            when sustained_jobs between 1 and 4 then 'primary'
            when sustained_jobs_small = 1 and sustained_jobs >= 5 and sustained_jobs_rank = 1 then 'secondary'
        end as sustained_jobs_hidden
    from ranked
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        breakdown,
        breakdown_value,
        case when referrals_hidden is null then referrals end as referrals,
        case referrals_hidden when 'primary' then '<5' when 'secondary' then '[c]' else referrals::varchar end as referrals_display,
        case when starts_hidden is null then starts end as starts,
        case starts_hidden when 'primary' then '<5' when 'secondary' then '[c]' else starts::varchar end as starts_display,
        case when job_entries_hidden is null then job_entries end as job_entries,
        case job_entries_hidden when 'primary' then '<5' when 'secondary' then '[c]' else job_entries::varchar end as job_entries_display,
        case when sustained_jobs_hidden is null then sustained_jobs end as sustained_jobs,
        case sustained_jobs_hidden when 'primary' then '<5' when 'secondary' then '[c]' else sustained_jobs::varchar end as sustained_jobs_display,
        sustained_weeks,
        case when job_entries_hidden is null and starts_hidden is null then job_entry_rate end as job_entry_rate,
        case when job_entries_hidden is null and starts_hidden is null then job_entry_rate_low end as job_entry_rate_low,
        case when job_entries_hidden is null and starts_hidden is null then job_entry_rate_high end as job_entry_rate_high,
        case when sustained_jobs_hidden is null and job_entries_hidden is null then sustained_rate end as sustained_rate
    from reasons
)

select * from final
