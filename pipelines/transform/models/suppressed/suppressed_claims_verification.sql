-- Claims verification for commissioners (ADR 040), per contract and outcome kind over the months
-- whose sample is fully answered: the claims sampled and those without evidence pooled, the
-- share without evidence with its 95% Wilson interval, and the adjustments summed. Counts of 1
-- to 4 are hidden (ADR 021), and so is the number without evidence when the number with it
-- would be 1 to 4 (sampled − not held), with every figure worked out from a hidden count.
--
-- Only the months before the first one still open are pooled, so "checked to the end of" holds
-- for every month to then, and the outcomes paid are the contract's outcomes to that month: a
-- cumulative that suppressed_performance may hide (a month inside a block, ADR 021). Where it
-- is hidden there, the outcomes paid are hidden here too, or the one would give the other away
-- (the differencing checker found it on the demo: bench/differencing.ts); and so are the claims
-- sampled, which are all the outcomes paid in a month with fewer than the sample's minimum.
with verification as (
    select * from claims_verification
),

first_open as (
    select contract_id, outcome_kind, min(period) as open_from
    from verification
    where not complete
    group by all
),

checked as (
    select verification.*
    from verification
    left join first_open using (contract_id, outcome_kind)
    where verification.complete
      and (first_open.open_from is null or verification.period < first_open.open_from)
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
    from checked
    group by all
),

-- The milestone each outcome kind is counted at, as performance's measures name it.
kind_milestones as (
    select contract_id, 'job_entry' as outcome_kind, 'job_entry_date' as milestone
    from stg_contracts
    union all
    select contract_id, 'sustained_job', 'sustained_' || sustained_weeks || '_weeks_date'
    from stg_contracts
),

cumulative_hidden as (
    select
        kind_milestones.contract_id,
        kind_milestones.outcome_kind,
        performance.period,
        bool_or(performance.cumulative_actual is null) as hidden
    from kind_milestones
    join src_measures as measures using (milestone)
    join suppressed_performance as performance
        on performance.contract_id = kind_milestones.contract_id
        and performance.programme_id = measures.programme_id
        and performance.measure_id = measures.measure_id
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
        outcomes_paid {{ small }} or coalesce(cumulative_hidden.hidden, false) as paid_hidden,
        sampled {{ small }} or coalesce(cumulative_hidden.hidden, false) as sampled_hidden,
        not_held {{ small }} or (sampled - not_held) {{ small }} as not_held_hidden,
        outcomes_paid {{ small }} or coalesce(cumulative_hidden.hidden, false) or sampled {{ small }}
            or not_held {{ small }} or (sampled - not_held) {{ small }} as suppressed
    from rated
    left join cumulative_hidden using (contract_id, outcome_kind, period)
),

final as (
    select
        {{ columns }}
    from hidden
)

select * from final
