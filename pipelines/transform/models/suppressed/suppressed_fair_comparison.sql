-- fair_comparison for commissioners (docs/decisions/021-suppression-that-holds.md): where a
-- provider's observed job entries are 1 to 4, they, the expected count and O/E with its
-- interval are hidden; where its harder-to-help referrals or starts are 1 to 4, every
-- harder-to-help figure is. A provider's starts and job entries are the sums of its
-- contracts', so where any of its contracts has its starts or job entries hidden in
-- suppressed_outcomes, the provider's are hidden too (else the hidden one could be worked out
-- as the provider's total less the others). The true figures stay in fair_comparison.
with outcome_totals as (
    select programme_id, provider_id, bool_or(starts is null or job_entries is null) as contract_hidden
    from suppressed_outcomes
    where breakdown = 'all'
    group by all
),

comparison as (
    select fair_comparison.*, coalesce(outcome_totals.contract_hidden, false) as contract_hidden
    from fair_comparison
    left join outcome_totals using (programme_id, provider_id)
),

final as (
    select
        {{ columns }}
    from comparison
)

select * from final
