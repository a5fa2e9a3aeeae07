-- Which months of each contract's measure commissioners see one by one, and which only together
-- in a block, so that no count of 1 to 4 can be seen or worked out
-- (docs/decisions/021-suppression-that-holds.md). True figures: read only by the suppressed
-- models.
--
-- The periods above a month nest: quarter, half year, financial year, two financial years, the
-- whole term (periods.ts). A period is "closed" when any period just below it comes to 1 to 4:
-- its figure is shown, but nothing inside it. A month's block is its highest closed period, or
-- the month itself when none is.
--
-- Every block comes to 0 or 5 or more (a block of 1 to 4 would have closed the period above
-- it), the suppressed tables show figures only for spans of whole blocks, and a closed period
-- tells only that something inside it is small, never which part, since the periods are fixed
-- by the calendar and not chosen from the figures.
with performance_months as (
    select
        contract_id,
        measure_id,
        period,
        actual,
        actual {{ small }} as small_0,
        min(period) over (partition by contract_id, measure_id) as first_month
    from performance
),

periods as (
    select
        *,
        {{ level_keys }}
    from performance_months
),

{{ level_ctes }},

month_blocks as (
    select
        contract_id,
        measure_id,
        period,
        actual,
        {{ block }} as block
    from {{ last_level }}
),

final as (
    select
        contract_id,
        measure_id,
        period,
        min(period) over block as block_from,
        max(period) over block as block_to,
        (count(*) over block)::integer as block_months,
        (sum(actual) over block)::integer as block_actual
    from month_blocks
    window block as (partition by contract_id, measure_id, block)
)

select * from final
