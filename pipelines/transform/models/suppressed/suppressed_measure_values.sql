-- Programme-defined measures for commissioners: the contract's figures to date, with no count
-- of 1 to 4 shown nor able to be worked out from the rest of the table
-- (docs/decisions/021-suppression-that-holds.md, 024-programme-defined-measures.md).
--
--   to date   only the whole term to date is published, so no period can be differenced
--             from the periods around it
--   primary   a count (the participants a figure is about, or its denominator) of 1 to 4 is hidden
--   nested    participants are hidden wherever their denominator is
--   secondary the values of a breakdown add up to its total, so where one is hidden the smallest
--             others are hidden too until at least two are and together come to 5 or more; and
--             the same across the categories of a distribution or the bands of a duration,
--             which add up to their denominator
--   figures   a rate, share, mean or median is hidden with the counts it comes from
with measure_rows as (
    select
        *,
        coalesce(denominator, participants) as denominator_n
    from measure_values
    where grain = 'to_date'
),

{{ hidden_by_breakdown }},

category_rows as (
    select
        *,
        case when participants_hidden and participants > 0 then 1 else participants end as category_participants
    from measure_rows_hidden
),

{{ hidden_by_category }},

decided as (
    select
        *,
        participants_hidden or category_participants_hidden as shown_participants_hidden
    from category_rows_hidden
),

final as (
    select
        {{ columns }}
    from decided
)

select * from final
