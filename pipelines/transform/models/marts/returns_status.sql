-- Every return a contract owes, as at the build's date: each month of the contract's term that
-- has ended by then, with its deadline (the contract's working-day rule, from
-- src_return_deadlines), what was received and accepted, and its status:
--
--   accepted_on_time  the first accepted return came on or before the deadline day
--   accepted_late     the first accepted return came after the deadline day
--   held              a version was accepted but is held for the provider to confirm (ADR 023),
--                     and none is in force
--   withdrawn         every version put in force has been withdrawn
--   rejected          something was received, but nothing has been accepted
--
-- "Accepted" here means put in force and not withdrawn: a held, discarded or withdrawn version
-- does not count as the return.
--   missing           nothing received, and the deadline has passed
--   not_yet_due       nothing received, and the deadline has not passed
--
-- Upload times are UTC; they are judged by the date in England (Europe/London), where the
-- deadline is set, so an upload at 23:30 UTC in summer is already the next day.
with contracts as (
    select * from stg_contracts
),

deadlines as (
    select * from src_return_deadlines
),

receipts as (
    select
        contract_id,
        period,
        status,
        state,
        version,
        restores_version,
        ((submitted_at at time zone 'UTC') at time zone 'Europe/London')::timestamp as submitted_at_london,
        submitted_at
    from src_receipts
),

-- A month is owed once it has ended: its last day is before the as-at date.
expected as (
    select
        deadlines.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        deadlines.period,
        deadlines.deadline
    from deadlines
    join contracts using (contract_id)
    where last_day(strptime(deadlines.period || '-01', '%Y-%m-%d')::date) < getvariable('as_of')
),

received as (
    select
        contract_id,
        period,
        count(*)::integer as submissions,
        count(*) filter (where state in ('in_force', 'superseded'))::integer as accepted_versions,
        count(*) filter (where state = 'held')::integer as held_versions,
        count(*) filter (where state = 'withdrawn')::integer as withdrawn_versions,
        max(version)::integer as latest_version,
        max(version) filter (where state = 'in_force')::integer as version_in_force,
        max(restores_version) filter (where state = 'in_force')::integer as in_force_restores_version,
        min(submitted_at) as first_submitted_at,
        min(submitted_at) filter (where state in ('in_force', 'superseded')) as first_accepted_at,
        min(submitted_at_london) filter (where state in ('in_force', 'superseded'))::date as first_accepted_day
    from receipts
    group by contract_id, period
),

joined as (
    select
        expected.*,
        coalesce(received.submissions, 0)::integer as submissions,
        coalesce(received.accepted_versions, 0)::integer as accepted_versions,
        coalesce(received.held_versions, 0)::integer as held_versions,
        coalesce(received.withdrawn_versions, 0)::integer as withdrawn_versions,
        received.latest_version,
        received.version_in_force,
        received.in_force_restores_version,
        received.first_submitted_at,
        received.first_accepted_at,
        received.first_accepted_day,
        getvariable('as_of') > expected.deadline as deadline_passed
    from expected
    left join received using (contract_id, period)
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        deadline,
        submissions > 0 as received,
        first_submitted_at,
        first_accepted_at,
        submissions,
        accepted_versions,
        latest_version,
        version_in_force,
        in_force_restores_version,
        case
            when accepted_versions > 0 and first_accepted_day <= deadline then 'accepted_on_time'
            when accepted_versions > 0 then 'accepted_late'
            when held_versions > 0 then 'held'
            when withdrawn_versions > 0 then 'withdrawn'
            when submissions > 0 then 'rejected'
            when deadline_passed then 'missing'
            else 'not_yet_due'
        end as status,
        case
            when accepted_versions > 0 then first_accepted_day <= deadline
            when deadline_passed then false
        end as on_time,
        case
            when accepted_versions > 0 and first_accepted_day > deadline then first_accepted_day - deadline
            when accepted_versions = 0 and deadline_passed then getvariable('as_of') - deadline
        end::integer as days_late,
        null::varchar as review_status
    from joined
)

select * from final
