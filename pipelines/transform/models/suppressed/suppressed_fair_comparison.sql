-- fair_comparison for commissioners (docs/decisions/021-suppression-that-holds.md): where a
-- provider's observed job entries are 1 to 4, they, the expected count and O/E with its
-- interval are hidden; where its harder-to-help referrals or starts are 1 to 4, every
-- harder-to-help figure is. The true figures stay in fair_comparison.
with comparison as (
    select * from fair_comparison
),

final as (
    select
        {{ columns }}
    from comparison
)

select * from final
