-- Reporting rate and timeliness per provider and programme, over the returns whose deadline
-- has passed by the as-at date (a return not yet due is not counted either way):
--
--   reporting_rate  = received_returns ÷ expected_returns   (anything uploaded, accepted or not)
--   timeliness_rate = on_time_returns  ÷ expected_returns   (first accepted return by the deadline day)
--
-- Every provider and programme with a contract has a row; the rates are null while nothing
-- is due yet.
with contracts as (
    select * from stg_contracts
),

owed as (
    select * from returns_status
),

provider_programmes as (
    select
        provider_id,
        any_value(provider_name) as provider_name,
        programme_id,
        any_value(programme_name) as programme_name,
        count(*)::integer as contracts
    from contracts
    group by provider_id, programme_id
),

due as (
    select *
    from owed
    where deadline < getvariable('as_of')
),

counts as (
    select
        provider_id,
        programme_id,
        count(*)::integer as expected_returns,
        count(*) filter (where received)::integer as received_returns,
        count(*) filter (where accepted_versions > 0)::integer as accepted_returns,
        count(*) filter (where on_time)::integer as on_time_returns,
        count(*) filter (where status = 'accepted_late')::integer as late_returns,
        count(*) filter (where status = 'rejected')::integer as rejected_returns,
        count(*) filter (where status = 'missing')::integer as missing_returns
    from due
    group by provider_id, programme_id
),

final as (
    select
        provider_programmes.provider_id,
        provider_programmes.provider_name,
        provider_programmes.programme_id,
        provider_programmes.programme_name,
        provider_programmes.contracts,
        coalesce(counts.expected_returns, 0)::integer as expected_returns,
        coalesce(counts.received_returns, 0)::integer as received_returns,
        coalesce(counts.accepted_returns, 0)::integer as accepted_returns,
        coalesce(counts.on_time_returns, 0)::integer as on_time_returns,
        coalesce(counts.late_returns, 0)::integer as late_returns,
        coalesce(counts.rejected_returns, 0)::integer as rejected_returns,
        coalesce(counts.missing_returns, 0)::integer as missing_returns,
        case when counts.expected_returns > 0 then counts.received_returns / counts.expected_returns end as reporting_rate,
        case when counts.expected_returns > 0 then counts.on_time_returns / counts.expected_returns end as timeliness_rate
    from provider_programmes
    left join counts using (provider_id, programme_id)
)

select * from final
