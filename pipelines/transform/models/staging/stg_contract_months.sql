-- The months each contract has reported on: from the start of its term to the period of its
-- newest accepted return (never past the end of the term).
with contracts as (
    select * from stg_contracts
),

reported as (
    select contract_id, max(period) as as_at_period
    from src_receipts
    where state = 'in_force' and kind = 'participant'
    group by contract_id
),

months as (
    select
        contracts.contract_id,
        strftime(month_start, '%Y-%m') as period
    from contracts
    join reported using (contract_id)
    cross join unnest(generate_series(
        strptime(contracts.start_period || '-01', '%Y-%m-%d')::date,
        strptime(least(contracts.end_period, reported.as_at_period) || '-01', '%Y-%m-%d')::date,
        interval 1 month
    )) as t(month_start)
)

select contract_id, period from months
