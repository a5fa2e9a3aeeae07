-- The performance regime (issue 14, ADR 039): each profiled measure of each contract, month by
-- month, against profile over four windows: the month, the rolling 3 and 12 months ending in
-- it, and the term to date. A window early in the term holds the months there are
-- (`rolling_3_months`, `rolling_12_months` say how many); like the cumulative figures, actuals
-- count in every month of the window and profiles where set.
with performance as (
    select * from performance
),

profiled as (
    select programme_id, measure_id
    from src_measures
    where profiled
),

windows as (
    select
        performance.*,
        sum(actual) over last_3 as rolling_3_actual,
        sum(profile) over last_3 as rolling_3_profile,
        count(*) over last_3 as rolling_3_months,
        sum(actual) over last_12 as rolling_12_actual,
        sum(profile) over last_12 as rolling_12_profile,
        count(*) over last_12 as rolling_12_months
    from performance
    join profiled using (programme_id, measure_id)
    window
        last_3 as (partition by contract_id, measure_id order by period rows between 2 preceding and current row),
        last_12 as (partition by contract_id, measure_id order by period rows between 11 preceding and current row)
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        measure_id,
        measure_label,
        measure_order,
        period,
        actual as in_month_actual,
        profile as in_month_profile,
        pct_of_profile as in_month_pct,
        rolling_3_actual::integer as rolling_3_actual,
        rolling_3_profile::integer as rolling_3_profile,
        case when rolling_3_profile > 0 then rolling_3_actual / rolling_3_profile end as rolling_3_pct,
        rolling_3_months::integer as rolling_3_months,
        rolling_12_actual::integer as rolling_12_actual,
        rolling_12_profile::integer as rolling_12_profile,
        case when rolling_12_profile > 0 then rolling_12_actual / rolling_12_profile end as rolling_12_pct,
        rolling_12_months::integer as rolling_12_months,
        cumulative_actual,
        cumulative_profile,
        cumulative_pct_of_profile as cumulative_pct
    from windows
)

select * from final
