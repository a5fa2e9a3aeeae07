-- One row per participant of every contract, as the newest accepted return reports them: every
-- attribute, every milestone, and what is worked out from them (durations, the age band from
-- the age, the deprivation rank on whichever nation's index was given). Every programme-defined
-- measure (measure_values) is computed from this table alone (ADR 024).
with participants as (
    select * from stg_participants
),

contracts as (
    select * from stg_contracts
),

journeys as (
    select
        participants.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        participants.as_at_period,
        {{ return_columns }},
        contracts.area_name,
        case
            when participants.imd_decile is not null then 'imd'
            when participants.simd_decile is not null or participants.simd_vigintile is not null then 'simd'
            when participants.wimd_decile is not null then 'wimd'
            when participants.nimdm_decile is not null then 'nimdm'
            when participants.deprivation_decile is not null then 'deprivation_decile'
        end as deprivation_index,
        coalesce(
            participants.imd_decile,
            participants.simd_decile,
            (participants.simd_vigintile + 1) // 2,
            participants.wimd_decile,
            participants.nimdm_decile,
            participants.deprivation_decile
        )::integer as deprivation_rank_decile,
        (participants.first_contact_date - participants.referral_date)::integer as days_to_first_contact,
        (participants.start_date - participants.referral_date)::integer as days_to_start,
        (participants.exit_date - participants.referral_date)::integer as days_to_exit,
        (participants.exit_date - participants.referral_date) / 7.0 as weeks_in_service,
        participants.exit_date is null as is_open
    from participants
    join contracts using (contract_id)
)

select * from journeys
