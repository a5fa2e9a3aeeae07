-- Each programme standard per contract and month: numerator, denominator, rate, the bound it
-- must meet and whether it did, for the month and contract-to-date. The standards and the
-- milestones they read come from the programme definition (src_standards and
-- src_standard_milestones, by role):
--
--   within_days: of the participants whose `to` milestone falls in the month (and who have a
--                `from` date), those whose `to` came at most `days` days after `from`.
--   max_share:   participants with any `numerator` milestone dated in the month, out of those
--                whose `denominator` milestone falls in the month (e.g. waivers and deferrals
--                against referrals). Contract-to-date, a participant counts once in the
--                numerator, from the month of their first numerator milestone.
--   min_share:   a cohort rate: of the participants whose `denominator` milestone falls in the
--                month, those who have reached the `numerator` milestone by the newest return.
with contracts as (
    select * from stg_contracts
),

months as (
    select * from stg_contract_months
),

milestones as (
    select * from stg_milestones
),

standards as (
    select * from src_standards
),

standard_milestones as (
    select * from src_standard_milestones
),

contract_standards as (
    select
        contracts.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        standards.standard_id,
        standards.standard_label,
        standards.kind,
        standards.days,
        standards.min_rate,
        standards.max_rate
    from contracts
    join standards using (programme_id)
),

-- Each dated milestone a standard reads, with the role it plays in the standard.
standard_dates as (
    select
        cs.contract_id,
        cs.standard_id,
        cs.kind,
        cs.days,
        sm.role,
        milestones.participant_id,
        milestones.milestone_date,
        milestones.period
    from contract_standards as cs
    join standard_milestones as sm using (programme_id, standard_id)
    join milestones on milestones.contract_id = cs.contract_id and milestones.milestone = sm.milestone
),

-- One row per participant and the way they count: in the denominator of a month, in the
-- numerator of a month, and (for the contract-to-date figure) the month they first count in
-- the numerator.
within_days_cases as (
    select
        t.contract_id,
        t.standard_id,
        t.participant_id,
        t.period,
        (t.milestone_date - f.milestone_date) <= t.days as is_within
    from standard_dates as t
    join standard_dates as f using (contract_id, standard_id, participant_id)
    where t.kind = 'within_days' and t.role = 'to' and f.role = 'from'
),

min_share_cases as (
    select
        d.contract_id,
        d.standard_id,
        d.participant_id,
        d.period,
        n.participant_id is not null as reached
    from standard_dates as d
    left join standard_dates as n
        on n.contract_id = d.contract_id
        and n.standard_id = d.standard_id
        and n.participant_id = d.participant_id
        and n.role = 'numerator'
    where d.kind = 'min_share' and d.role = 'denominator'
),

counted as (
    select contract_id, standard_id, participant_id, period, 'denominator' as counts_in
    from within_days_cases
    union all
    select contract_id, standard_id, participant_id, period, 'numerator'
    from within_days_cases where is_within
    union all
    select contract_id, standard_id, participant_id, period, 'denominator'
    from min_share_cases
    union all
    select contract_id, standard_id, participant_id, period, 'numerator'
    from min_share_cases where reached
    union all
    select contract_id, standard_id, participant_id, period, role
    from standard_dates
    where kind = 'max_share' and role in ('numerator', 'denominator')
),

first_numerator as (
    -- within_days and min_share count a participant's numerator once, in their denominator
    -- month; max_share may date several numerator milestones, so contract-to-date takes the first.
    select contract_id, standard_id, participant_id, min(period) as period
    from counted
    where counts_in = 'numerator'
    group by all
),

monthly as (
    select
        contract_id,
        standard_id,
        period,
        count(distinct participant_id) filter (where counts_in = 'numerator') as numerator,
        count(distinct participant_id) filter (where counts_in = 'denominator') as denominator
    from counted
    group by all
),

first_monthly as (
    select contract_id, standard_id, period, count(*) as new_numerator
    from first_numerator
    group by all
),

grid as (
    select cs.*, months.period
    from contract_standards as cs
    join months using (contract_id)
),

joined as (
    select
        grid.*,
        coalesce(monthly.numerator, 0)::integer as numerator,
        coalesce(monthly.denominator, 0)::integer as denominator,
        coalesce(first_monthly.new_numerator, 0) as new_numerator
    from grid
    left join monthly using (contract_id, standard_id, period)
    left join first_monthly using (contract_id, standard_id, period)
),

cumulative as (
    select
        *,
        case when denominator > 0 then numerator / denominator end as rate,
        sum(new_numerator) over contract_to_date as cumulative_numerator,
        sum(denominator) over contract_to_date as cumulative_denominator
    from joined
    window contract_to_date as (
        partition by contract_id, standard_id
        order by period
        rows between unbounded preceding and current row
    )
),

rated as (
    select
        *,
        case when cumulative_denominator > 0 then cumulative_numerator / cumulative_denominator end as cumulative_rate
    from cumulative
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        standard_id,
        standard_label,
        kind,
        days,
        period,
        numerator,
        denominator,
        rate,
        min_rate,
        max_rate,
        case
            when rate is null then null
            when min_rate is not null then rate >= min_rate
            else rate <= max_rate
        end as met,
        cumulative_numerator::integer as cumulative_numerator,
        cumulative_denominator::integer as cumulative_denominator,
        cumulative_rate,
        case
            when cumulative_rate is null then null
            when min_rate is not null then cumulative_rate >= min_rate
            else cumulative_rate <= max_rate
        end as cumulative_met
    from rated
)

select * from final
