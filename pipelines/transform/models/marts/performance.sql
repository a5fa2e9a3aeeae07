-- Outturn against profile: each contract's measures month by month, actual and cumulative,
-- with the RAG status from the programme's thresholds (on the cumulative share of profile).
-- A measure counts a milestone, or one of the programme's own count measures (ADR 035).
with contracts as (
    select * from stg_contracts
),

months as (
    select * from stg_contract_months
),

measures as (
    select * from src_measures
),

contract_measure_months as (
    select
        contracts.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        measures.measure_id,
        measures.measure_label,
        measures.measure_order,
        measures.milestone,
        measures.journey_measure,
        months.period,
        contracts.rag_green_from,
        contracts.rag_amber_from
    from contracts
    join measures using (programme_id)
    join months using (contract_id)
),

actuals as (
    select contract_id, milestone, period, count(*) as actual
    from stg_milestones
    group by contract_id, milestone, period
),

-- A measure of the programme's own (a count over the participant-journey table, ADR 024):
-- its count in each month of its date.
journey_actuals as (
    select contract_id, measure_id as journey_measure, period, value as journey_actual
    from measure_values
    where grain = 'month' and cohort = 'event' and breakdown = 'all' and statistic = 'count'
),

profiles as (
    select contract_id, measure_id, period, target
    from src_profiles
),

joined as (
    select
        cmm.*,
        coalesce(actuals.actual, journey_actuals.journey_actual, 0)::integer as actual,
        profiles.target as profile
    from contract_measure_months as cmm
    left join actuals using (contract_id, milestone, period)
    left join journey_actuals using (contract_id, journey_measure, period)
    left join profiles using (contract_id, measure_id, period)
),

cumulative as (
    select
        *,
        sum(actual) over contract_to_date as cumulative_actual,
        sum(profile) over contract_to_date as cumulative_profile
    from joined
    window contract_to_date as (
        partition by contract_id, measure_id
        order by period
        rows between unbounded preceding and current row
    )
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        measure_id,
        measure_label,
        measure_order::integer as measure_order,
        period,
        actual,
        profile,
        (actual - profile)::integer as variance,
        case when profile > 0 then actual / profile end as pct_of_profile,
        cumulative_actual::integer as cumulative_actual,
        cumulative_profile::integer as cumulative_profile,
        case when cumulative_profile > 0 then cumulative_actual / cumulative_profile end as cumulative_pct_of_profile,
        case
            when cumulative_profile is null or cumulative_profile = 0 then null
            when cumulative_actual / cumulative_profile >= rag_green_from then 'green'
            when cumulative_actual / cumulative_profile >= rag_amber_from then 'amber'
            else 'red'
        end as rag
    from cumulative
)

select * from final
