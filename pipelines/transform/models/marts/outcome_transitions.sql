-- Work-status transitions: each participant's work status at referral against their status at
-- exit, and at the follow-up about six months after exit. Only participants who have reached
-- the stage (its date given) and whose status there is recorded are counted.
with contracts as (
    select * from stg_contracts
),

participants as (
    select * from stg_participants
),

at_exit as (
    select
        contract_id,
        participant_id,
        'exit' as stage,
        work_status_at_referral as from_status,
        work_status_at_exit as to_status
    from participants
    where exit_date is not null
      and work_status_at_exit is not null
),

at_follow_up as (
    select
        contract_id,
        participant_id,
        'follow_up' as stage,
        work_status_at_referral as from_status,
        work_status_at_follow_up as to_status
    from participants
    where follow_up_date is not null
      and work_status_at_follow_up is not null
),

transitions as (
    select * from at_exit
    union all
    select * from at_follow_up
),

counted as (
    select
        contract_id,
        stage,
        from_status,
        to_status,
        count(*) as participants
    from transitions
    group by all
),

-- The denominator: everyone with the same status at referral who reached the stage.
with_denominator as (
    select
        *,
        sum(participants) over (partition by contract_id, stage, from_status) as from_status_participants
    from counted
),

final as (
    select
        with_denominator.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        with_denominator.stage,
        with_denominator.from_status,
        with_denominator.to_status,
        with_denominator.participants::integer as participants,
        with_denominator.from_status_participants::integer as from_status_participants,
        with_denominator.participants / with_denominator.from_status_participants as share
    from with_denominator
    join contracts using (contract_id)
)

select * from final
