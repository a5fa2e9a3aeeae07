-- The most common validation problems across providers, per programme and month (as the FE
-- learner-data return publishes them each period), so a commissioner can fix the guidance as
-- well as chase providers. From the warnings the receipts hold on accepted returns, the newest
-- version in force of each contract's month only (superseded and withdrawn ones do not count).
-- Counts only: never a cell value, a row number or the validator's message. A count of 1 to 4
-- rows is hidden (rule.ts), and so are its returns and providers: each return or provider with
-- the problem has a row of it, so 4 returns beside a hidden count would say it is 4. Ranks are
-- by rows shown, then returns shown (hidden ones rank as 0, so the order gives nothing away).
with receipts as (
    select * from src_receipts
),

warnings as (
    select * from src_receipt_warnings
),

contracts as (
    select * from stg_contracts
),

newest as (
    select receipt_id
    from receipts
    where status = 'accepted' and state = 'in_force'
),

counted as (
    select
        contracts.programme_id,
        warnings.period,
        warnings.rule,
        coalesce(warnings.column_name, '') as column_name,
        count(*)::integer as rows_affected,
        count(distinct warnings.receipt_id)::integer as returns_affected,
        count(distinct contracts.provider_id)::integer as providers_affected
    from warnings
    join newest using (receipt_id)
    join contracts using (contract_id)
    group by all
),

final as (
    select
        programme_id,
        period,
        rule,
        column_name,
        case when rows_affected {{ small }} then null else rows_affected end as rows_affected,
        case when rows_affected {{ small }} then '{{ hidden }}' else rows_affected::varchar end as rows_affected_display,
        case when rows_affected {{ small }} then null else returns_affected end as returns_affected,
        case when rows_affected {{ small }} then null else providers_affected end as providers_affected,
        (rank() over (partition by programme_id, period order by case when rows_affected {{ small }} then 0 else rows_affected end desc, case when rows_affected {{ small }} then 0 else returns_affected end desc))::integer as rank
    from counted
)

select * from final
