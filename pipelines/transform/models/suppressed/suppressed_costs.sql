-- Cost per job entry and per sustained job for commissioners, at each contract's newest month
-- (docs/decisions/021-suppression-that-holds.md). The fees per start, job entry and sustained job
-- are known, so the payments due give the counts behind them away: the money and the costs are
-- hidden whenever any count to date behind them is 1 to 4 (those counts are hidden in
-- suppressed_performance too). A count to date is hidden only for its own sake.
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

hidden as (
    select
        *,
        cumulative_starts {{ small }} as starts_hidden,
        cumulative_job_entries {{ small }} as job_entries_hidden,
        cumulative_sustained_jobs {{ small }} as sustained_hidden,
        cumulative_starts {{ small }}
            or cumulative_job_entries {{ small }}
            or cumulative_sustained_jobs {{ small }} as suppressed
    from costs
),

final as (
    select
        {{ columns }}
    from hidden
)

select * from final
