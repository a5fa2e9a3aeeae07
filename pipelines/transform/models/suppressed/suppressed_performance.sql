-- Outturn against profile for commissioners, {{ grain_words }}: the performance mart with no count
-- of 1 to 4 shown, nor able to be worked out (docs/decisions/021-suppression-that-holds.md). The
-- month, quarter and year tables are this one SQL; the true figures stay in performance.
--
--   actual      shown where the period is made of whole blocks of months (int_performance_blocks)
--   cumulative  shown where the period ends a block
--   derived     variance and % of profile hidden with the actual; % of profile to date and the
--               RAG status with the cumulative
--   combined    the months the period is shown with (combined_from to combined_to) and their
--               total: where a small service's month is hidden, the block it is in is shown
--   profile     targets, not people: always shown
with performance_months as (
    select
        performance.*,
        performance.period as month,
        blocks.block_from,
        blocks.block_to,
        max(performance.cumulative_actual) over block as to_block_end,
        max(performance.cumulative_actual) over block - blocks.block_actual as before_block
    from performance
    join int_performance_blocks as blocks using (contract_id, measure_id, period)
    window block as (partition by performance.contract_id, performance.measure_id, blocks.block_from)
),

periods as (
    select
        contract_id,
        programme_id,
        provider_id,
        measure_id,
        measure_label,
        measure_order,
        {{ period }} as period,
        min(month) as period_from,
        max(month) as period_to,
        count(*)::integer as months,
        sum(actual)::integer as actual,
        sum(profile)::integer as profile,
        arg_max_null(cumulative_actual, month) as cumulative_actual,
        arg_max_null(cumulative_profile, month) as cumulative_profile,
        arg_max_null(cumulative_pct_of_profile, month) as cumulative_pct_of_profile,
        arg_max_null(rag, month) as rag,
        arg_min_null(block_from, month) as combined_from,
        arg_max_null(block_to, month) as combined_to,
        (arg_max_null(to_block_end, month) - arg_min_null(before_block, month))::integer as combined_actual
    from performance_months
    group by contract_id, programme_id, provider_id, measure_id, measure_label, measure_order, {{ period }}
),

hidden as (
    select
        *,
        (actual - profile)::integer as variance,
        case when profile > 0 then actual / profile end as pct_of_profile,
        combined_from <> period_from or combined_to <> period_to or actual {{ small }} as actual_hidden,
        combined_to <> period_to or cumulative_actual {{ small }} as cumulative_hidden,
        combined_actual {{ small }} as combined_hidden
    from periods
),

final as (
    select
        {{ columns }}
    from hidden
)

select * from final
