-- Each contract's intervention level month by month (ADR 039). A month is judged on the
-- programme's window (rolling 3 months unless it says otherwise) of each measure its levels
-- read: below the programme's share of profile on any of them, the contract is below profile.
-- Runs of months below move it up one level, runs at or above move it down one; a month with
-- no profile on any of them is not judged and breaks no run. The rule is a walk through the
-- months, so it is a recursive CTE from level 0 before the first month.
with recursive contracts as (
    select * from stg_contracts
),

rules as (
    select programme_id, level_window, level_below, level_up_after, level_down_after, level_max
    from src_programmes
),

level_measures as (
    select programme_id, measure_id
    from src_measures
    where drives_level
),

judged_measures as (
    select
        regime.contract_id,
        regime.period,
        regime.measure_id,
        rules.level_below,
        case rules.level_window
            when 'in_month' then regime.in_month_pct
            when 'rolling_3' then regime.rolling_3_pct
            when 'rolling_12' then regime.rolling_12_pct
            else regime.cumulative_pct
        end as pct
    from regime_performance as regime
    join level_measures using (programme_id, measure_id)
    join rules using (programme_id)
),

judged as (
    select
        contract_id,
        period,
        count(pct)::integer as measures_judged,
        count(*) filter (where pct < level_below)::integer as measures_below,
        string_agg(measure_id, ',' order by measure_id) filter (where pct < level_below) as below_measures
    from judged_measures
    group by contract_id, period
),

months as (
    select
        months.contract_id,
        months.period,
        row_number() over (partition by months.contract_id order by months.period) as month_index,
        coalesce(judged.measures_judged, 0) as measures_judged,
        coalesce(judged.measures_below, 0) as measures_below,
        judged.below_measures,
        case
            when coalesce(judged.measures_judged, 0) = 0 then 'not_judged'
            when judged.measures_below > 0 then 'below'
            else 'at_or_above'
        end as status,
        rules.level_up_after,
        rules.level_down_after,
        rules.level_max,
        rules.level_window
    from stg_contract_months as months
    join contracts using (contract_id)
    join rules using (programme_id)
    left join judged using (contract_id, period)
),

-- The walk: the state before month 1 is level 0 with no run; each step reads the month's status.
walk as (
    select contract_id, 0::bigint as month_index, 0 as level, 0 as below_run, 0 as above_run
    from (select distinct contract_id from months)
    union all
    select
        contract_id,
        month_index,
        level + (case when up then 1 else 0 end) - (case when down then 1 else 0 end) as level,
        case when up then 0 else below_run end as below_run,
        case when down then 0 else above_run end as above_run
    from (
        select
            step.contract_id,
            step.month_index,
            step.level,
            step.below_run,
            step.above_run,
            step.status = 'below' and step.below_run >= step.level_up_after and step.level < step.level_max as up,
            step.status = 'at_or_above' and step.above_run >= step.level_down_after and step.level > 0 as down
        from (
            select
                months.contract_id,
                months.month_index,
                months.status,
                months.level_up_after,
                months.level_down_after,
                months.level_max,
                walk.level,
                case months.status when 'below' then walk.below_run + 1 when 'at_or_above' then 0 else walk.below_run end as below_run,
                case months.status when 'at_or_above' then walk.above_run + 1 when 'below' then 0 else walk.above_run end as above_run
            from walk
            join months on months.contract_id = walk.contract_id and months.month_index = walk.month_index + 1
        ) as step
    )
),

levelled as (
    select
        months.*,
        walk.level,
        lag(walk.level, 1, 0) over (partition by months.contract_id order by months.period) as previous_level
    from months
    join walk using (contract_id, month_index)
),

final as (
    select
        levelled.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        levelled.period,
        levelled.status,
        levelled.measures_judged,
        levelled.measures_below,
        levelled.below_measures,
        levelled.level::integer as level,
        levels.level_label,
        levels.level_description,
        levelled.level_window,
        levelled.previous_level::integer as previous_level,
        case
            when levelled.level > levelled.previous_level then 'up'
            when levelled.level < levelled.previous_level then 'down'
        end as change
    from levelled
    join contracts using (contract_id)
    join src_intervention_levels as levels
        on levels.programme_id = contracts.programme_id and levels.level = levelled.level
)

select * from final
