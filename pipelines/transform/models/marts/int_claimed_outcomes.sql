-- Every outcome a provider is paid for by result: a job entry in the month its date falls in,
-- and a sustained job in the month it reached the contract's sustained_weeks (13 or 26), within
-- the months the contract has reported on. payments counts them; claims_sample samples them.
with contracts as (
    select * from stg_contracts
),

months as (
    select * from stg_contract_months
),

participants as (
    select * from stg_participants
),

outcomes as (
    select
        participants.contract_id,
        participants.participant_id,
        'job_entry' as outcome_kind,
        strftime(participants.job_entry_date, '%Y-%m') as period,
        contracts.job_outcome_payment as payment
    from participants
    join contracts using (contract_id)
    where participants.job_entry_date is not null

    union all

    select
        participants.contract_id,
        participants.participant_id,
        'sustained_job' as outcome_kind,
        strftime(
            case when contracts.sustained_weeks = 13 then participants.sustained_13_weeks_date
                 else participants.sustained_26_weeks_date end,
            '%Y-%m'
        ) as period,
        contracts.sustained_payment as payment
    from participants
    join contracts using (contract_id)
    where (case when contracts.sustained_weeks = 13 then participants.sustained_13_weeks_date
                else participants.sustained_26_weeks_date end) is not null
),

final as (
    select
        outcomes.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        outcomes.period,
        outcomes.outcome_kind,
        outcomes.participant_id,
        outcomes.payment
    from outcomes
    join months using (contract_id, period)
    join contracts using (contract_id)
)

select * from final
