-- The outcomes mart for commissioners, with no count of 1 to 4 shown nor able to be worked out
-- (docs/decisions/021-suppression-that-holds.md). The true figures stay in outcomes.
--
--   primary    a count of 1 to 4 is hidden
--   nested     a count (when not 0) is hidden wherever the count it is part of is: starts are
--              of referrals, job entries of starts, sustained jobs of job entries
--   secondary  the values of a breakdown (every sex, say) add up to the contract's total, so
--              where one is hidden the smallest other non-zero values are hidden too, until at
--              least two are hidden and together they come to 5 or more
--   rates      a rate and its interval are hidden when their numerator or denominator is
with outcome_rows as (
    select * from outcomes
),

{{ hidden_counts }},

final as (
    select
        {{ columns }}
    from outcome_rows_hidden
)

select * from final
