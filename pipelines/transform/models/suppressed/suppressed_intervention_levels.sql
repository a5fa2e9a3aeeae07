-- Each contract's intervention level month by month for commissioners (ADR 039): the level, its
-- name and what it means, and the months it moved. A level is the programme's judgement of the
-- whole contract, not a count of people, so nothing in it is hidden; what it is judged from (how
-- many measures were below profile, and which) stays in intervention_levels, since with the
-- profiles shown it would bound a hidden month's actual more closely than a level does.
with levels as (
    select * from intervention_levels
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        level,
        level_label,
        level_description,
        level_window,
        previous_level,
        change
    from levels
)

select * from final
