-- Claims verification for commissioners (ADR 040), per contract and outcome kind over the months
-- whose sample is fully answered: the claims sampled and those without evidence pooled, the
-- share without evidence with its 95% Wilson interval, and the adjustments summed. Counts of 1
-- to 4 are hidden (ADR 021), and so is the number without evidence when the number with it
-- would be 1 to 4 (sampled − not held), with every figure worked out from a hidden count.
with verification as (
    select * from claims_verification where complete
),

pooled as (
    select
        contract_id,
        programme_id,
        provider_id,
        outcome_kind,
        max(period) as period,
        sum(outcomes_paid)::integer as outcomes_paid,
        sum(sampled)::integer as sampled,
        sum(not_held)::integer as not_held,
        round(sum(paid), 2) as paid,
        round(sum(adjustment), 2) as adjustment
    from verification
    group by all
),

rated as (
    select
        *,
        not_held::double / sampled as error_rate,
        {{ wilson_low }} as error_rate_low,
        {{ wilson_high }} as error_rate_high
    from pooled
),

hidden as (
    select
        *,
        outcomes_paid {{ small }} as paid_hidden,
        sampled {{ small }} as sampled_hidden,
        not_held {{ small }} or (sampled - not_held) {{ small }} as not_held_hidden,
        outcomes_paid {{ small }} or sampled {{ small }}
            or not_held {{ small }} or (sampled - not_held) {{ small }} as suppressed
    from rated
),

final as (
    select
        {{ columns }}
    from hidden
)

select * from final
