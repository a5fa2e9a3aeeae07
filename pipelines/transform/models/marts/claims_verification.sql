-- Each contract's claims verification per month and outcome kind (ADR 040): the claims paid,
-- the sample and the evidence recorded for it, the error rate (claims sampled whose evidence is
-- not held ÷ claims sampled) with its 95% Wilson interval, and the adjustment: the error rate
-- extrapolated to every outcome paid, error rate × outcomes paid × payment per outcome, £. The
-- rate and adjustment stand once every sampled claim has an answer; until then, none.
with sample as (
    select * from claims_sample
),

claimed as (
    select contract_id, programme_id, provider_id, period, outcome_kind,
           count(*) as outcomes_paid, max(payment) as payment_per_outcome
    from int_claimed_outcomes
    group by all
),

checked as (
    select
        contract_id, period, outcome_kind,
        count(*) as sampled,
        count(evidence) as recorded,
        count(*) filter (where evidence = 'not_held') as not_held
    from sample
    group by all
),

rates as (
    select
        claimed.*,
        checked.sampled,
        checked.recorded,
        checked.not_held,
        checked.recorded = checked.sampled as complete
    from claimed
    join checked using (contract_id, period, outcome_kind)
),

intervals as (
    select
        *,
        case when complete then not_held::double / sampled end as error_rate,
        case when complete then {{ wilson_low }} end as error_rate_low,
        case when complete then {{ wilson_high }} end as error_rate_high
    from rates
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        outcome_kind,
        outcomes_paid::integer as outcomes_paid,
        payment_per_outcome,
        round(outcomes_paid * payment_per_outcome, 2) as paid,
        sampled::integer as sampled,
        recorded::integer as recorded,
        not_held::integer as not_held,
        complete,
        error_rate,
        error_rate_low,
        error_rate_high,
        case when complete then round(error_rate * outcomes_paid, 2) end as outcomes_unevidenced,
        case when complete then round(error_rate * outcomes_paid * payment_per_outcome, 2) end as adjustment,
        case when complete then round(outcomes_paid * payment_per_outcome - error_rate * outcomes_paid * payment_per_outcome, 2) end as adjusted_paid
    from intervals
)

select * from final
