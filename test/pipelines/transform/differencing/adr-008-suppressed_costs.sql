-- ADR 008's suppressed_costs, kept as the weak scheme the differencing checker must catch (test only).
-- Cost per job entry and per sustained job for commissioners, at each contract's newest month:
-- the money and the counts behind it are hidden together when any count in it is 1 to 4, since
-- the fees per start and per outcome are known and could give a small count away.
with payments as (
    select * from payments
),

newest as (
    select contract_id, max(period) as period
    from payments
    group by contract_id
),

costs as (
    select payments.*
    from payments
    join newest using (contract_id, period)
),

flagged as (
    select
        *,
        cumulative_starts between 1 and 4
            or cumulative_job_entries between 1 and 4
            or cumulative_sustained_jobs between 1 and 4 as small
    from costs
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        case when small then null else cumulative_job_entries end as cumulative_job_entries,
        case when cumulative_job_entries between 1 and 4 then '<5' when small then '[c]' else cumulative_job_entries::varchar end as cumulative_job_entries_display,
        case when small then null else cumulative_sustained_jobs end as cumulative_sustained_jobs,
        case when small then null else cumulative_total_due end as cumulative_total_due,
        case when small then null else cost_per_job_entry end as cost_per_job_entry,
        case when small then null else cost_per_sustained_job end as cost_per_sustained_job,
        small as suppressed
    from flagged
)

select * from final
