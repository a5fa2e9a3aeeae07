-- ADR 008's suppressed_performance, kept as the weak scheme the differencing checker must catch (test only).
-- The performance mart for commissioners, with small numbers suppressed (docs/decisions/
-- 008-small-number-suppression.md). The true figures stay in performance; this is a copy.
-- Profiles are targets, not people, and are always shown.
--
--   primary    a monthly actual of 1 to 4 is hidden (null), shown as '<5'; 0 is shown
--   secondary  a contract's months of a measure add up to its total (the last cumulative,
--              and the outcomes totals), so when exactly one month is hidden, the next
--              smallest non-zero month is hidden too, shown as '[c]'
--   cumulative consecutive cumulatives differ by the month between them, so a cumulative is
--              hidden ('[c]') wherever showing it would let one hidden month be worked out:
--              numbering the hidden months 1..k in order, the cumulatives from hidden month
--              1 up to (not including) hidden month 2 are hidden, likewise from 3 to 4, and
--              so on; when k is odd the last three are taken together (hidden from k−2 up to
--              k). Between any two cumulatives shown (and the start, and the total) there are
--              then 0, 2 or 3 hidden months, never exactly 1. A cumulative of 1 to 4 is '<5'.
--   rates      variance and % of profile are hidden with the actual; the cumulative % of
--              profile and the RAG status with the cumulative
with performance_rows as (
    select * from performance
),

ranked as (
    select
        *,
        sum((actual between 1 and 4)::integer) over measure_series as small_months,
        row_number() over (partition by contract_id, measure_id order by case when actual >= 5 then actual end nulls last, period) as size_rank
    from performance_rows
    window measure_series as (partition by contract_id, measure_id)
),

monthly as (
    select
        *,
        case
            when actual between 1 and 4 then 'primary'
            when small_months = 1 and actual >= 5 and size_rank = 1 then 'secondary'
        end as actual_hidden
    from ranked
),

-- hidden_so_far: hidden months up to and including this one; hidden_months: in the whole series.
counted as (
    select
        *,
        sum((actual_hidden is not null)::integer) over (
            partition by contract_id, measure_id
            order by period
            rows between unbounded preceding and current row
        ) as hidden_so_far,
        sum((actual_hidden is not null)::integer) over (partition by contract_id, measure_id) as hidden_months
    from monthly
),

cumulative as (
    select
        *,
        case
            when cumulative_actual between 1 and 4 then 'primary'
            when hidden_so_far % 2 = 1 and hidden_so_far < hidden_months then 'secondary'
            when hidden_months % 2 = 1 and hidden_months >= 3 and hidden_so_far = hidden_months - 1 then 'secondary'
        end as cumulative_hidden
    from counted
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        measure_id,
        measure_label,
        measure_order,
        period,
        case when actual_hidden is null then actual end as actual,
        case actual_hidden when 'primary' then '<5' when 'secondary' then '[c]' else actual::varchar end as actual_display,
        profile,
        case when actual_hidden is null then variance end as variance,
        case when actual_hidden is null then pct_of_profile end as pct_of_profile,
        case when cumulative_hidden is null then cumulative_actual end as cumulative_actual,
        case cumulative_hidden when 'primary' then '<5' when 'secondary' then '[c]' else cumulative_actual::varchar end as cumulative_actual_display,
        cumulative_profile,
        case when cumulative_hidden is null then cumulative_pct_of_profile end as cumulative_pct_of_profile,
        case when cumulative_hidden is null then rag end as rag
    from cumulative
)

select * from final
