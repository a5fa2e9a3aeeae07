-- Distance travelled: per contract and outcome instrument, the participants with both a
-- baseline and an exit score, their mean scores and mean change, and how many improved, where
-- improving follows the instrument's direction (for HADS a lower score is better).
with contracts as (
    select * from stg_contracts
),

participants as (
    select * from stg_participants
),

-- Which way is better on each instrument: +1 higher is better, −1 lower is better. One table,
-- generated from the instrument list (see distance_travelled.ts).
instrument_directions as (
    select * from (values {{ instrument_directions }}) as t(outcome_instrument, direction, better_sign)
),

scored as (
    select
        participants.contract_id,
        participants.participant_id,
        participants.outcome_instrument,
        participants.baseline_score,
        participants.exit_score,
        participants.exit_score - participants.baseline_score as change
    from participants
    where participants.outcome_instrument is not null
      and participants.baseline_score is not null
      and participants.exit_score is not null
),

per_instrument as (
    select
        scored.contract_id,
        scored.outcome_instrument,
        instrument_directions.direction,
        count(*) as participants,
        avg(scored.baseline_score) as mean_baseline_score,
        avg(scored.exit_score) as mean_exit_score,
        avg(scored.change) as mean_change,
        count(*) filter (where scored.change * instrument_directions.better_sign > 0) as improved
    from scored
    left join instrument_directions using (outcome_instrument)
    group by all
),

final as (
    select
        per_instrument.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        per_instrument.outcome_instrument,
        per_instrument.direction,
        per_instrument.participants::integer as participants,
        per_instrument.mean_baseline_score,
        per_instrument.mean_exit_score,
        per_instrument.mean_change,
        per_instrument.improved::integer as improved,
        per_instrument.improved / per_instrument.participants as improved_share
    from per_instrument
    join contracts using (contract_id)
)

select * from final
