-- Data quality issues, one row each, for contract managers to follow up:
--
--   restated_milestone     a milestone date an accepted return changed or took away
--                          (restatements); a warning when the month it counts in changed
--                          or it was taken away, information when it moved within its month
--   validation_warning     the validator's warnings on the newest accepted version of each
--                          contract's return for a month, of each kind (superseded versions
--                          are left out)
--   outlier                a month's referrals an outlier by the programme's chosen check
--                          (int_outliers): by default far from the contract's own previous 6
--                          months; or by z-score, modified z-score, or a minimum and maximum
--   duplicate_participant  a participant id in the newest returns of two or more contracts
--                          (possible double claiming), one row for each contract involved,
--                          not naming the others (which are in double_claims, for managers)
--   aggregate_mismatch     a contract that sends aggregate returns as well as participant-level
--                          ones, where a measure's total in the newest aggregate return for a
--                          month differs from the participant-level actual for that month
with contracts as (
    select * from stg_contracts
),

-- Restated milestones.
restated as (
    select * from restatements
),

restated_issues as (
    select
        contract_id,
        period_after as period,
        'restated_milestone' as check_name,
        case
            when value_after is not null and strftime(value_after, '%Y-%m') = strftime(value_before, '%Y-%m') then 'info'
            else 'warning'
        end as severity,
        participant_id,
        milestone as field,
        case change
            when 'changed' then format(
                '{} changed from {} to {} in the {} return (version {}), compared with the {} return (version {}){}',
                milestone, value_before, value_after, period_after, version_after, period_before, version_before,
                case
                    when strftime(value_after, '%Y-%m') <> strftime(value_before, '%Y-%m')
                        then format('; it now counts in {} instead of {}', strftime(value_after, '%Y-%m'), strftime(value_before, '%Y-%m'))
                    else ''
                end
            )
            when 'cleared' then format(
                '{} {} was left blank in the {} return (version {}), so it no longer counts in {}',
                milestone, value_before, period_after, version_after, strftime(value_before, '%Y-%m')
            )
            else format(
                'The participant is not in the {} return (version {}), so their {} {} no longer counts in {}',
                period_after, version_after, milestone, value_before, strftime(value_before, '%Y-%m')
            )
        end as detail,
        strftime(value_before, '%Y-%m-%d') as value_before,
        strftime(value_after, '%Y-%m-%d') as value_after
    from restated
),

-- Validation warnings on the version in force of each month's return.
newest_accepted as (
    select receipt_id
    from src_receipts
    where state = 'in_force'
),

warning_issues as (
    select
        warnings.contract_id,
        warnings.period,
        'validation_warning' as check_name,
        'info' as severity,
        null::varchar as participant_id,
        warnings.column_name as field,
        format(
            '{}{}{}: {}',
            coalesce('Row ' || warnings.row_number, 'The return'),
            coalesce(', ' || warnings.column_name, ''),
            ' (' || warnings.rule || ')',
            warnings.message
        ) as detail,
        null::varchar as value_before,
        null::varchar as value_after
    from src_receipt_warnings as warnings
    join newest_accepted using (receipt_id)
),

-- Months whose referrals are outliers, by the programme's chosen check (int_outliers).
outlier_issues as (
    select
        contract_id,
        period,
        'outlier' as check_name,
        'warning' as severity,
        null::varchar as participant_id,
        measure_id as field,
        detail,
        value_before,
        value_after
    from int_outliers
),

-- Participant ids in the newest returns of more than one contract (double_claims), one row per
-- contract and participant. The detail does not name the other contract: the provider reads it.
duplicates as (
    select distinct contract_id, participant_id, period
    from double_claims
),

duplicate_issues as (
    select
        contract_id,
        period,
        'duplicate_participant' as check_name,
        'warning' as severity,
        participant_id,
        'participant_id' as field,
        format(
            'Participant {} is also in the newest return of another contract: possible double claiming; check whether it is the same person',
            participant_id
        ) as detail,
        null::varchar as value_before,
        null::varchar as value_after
    from duplicates
),

-- Aggregate totals (no breakdown) from the newest aggregate version of each month, against
-- the participant-level actuals.
aggregate_totals as (
    select contract_id, period, version, measure, count
    from src_aggregate_versions
    where breakdown is null
    qualify version = max(version) over (partition by contract_id, period)
),

aggregate_issues as (
    select
        aggregate_totals.contract_id,
        aggregate_totals.period,
        'aggregate_mismatch' as check_name,
        'warning' as severity,
        null::varchar as participant_id,
        aggregate_totals.measure as field,
        format(
            'The aggregate return for {} (version {}) counts {} {}; the participant-level returns give {}',
            aggregate_totals.period, aggregate_totals.version, aggregate_totals.count, lower(performance.measure_label), performance.actual
        ) as detail,
        aggregate_totals.count::varchar as value_before,
        performance.actual::varchar as value_after
    from aggregate_totals
    join performance
        on performance.contract_id = aggregate_totals.contract_id
        and performance.measure_id = aggregate_totals.measure
        and performance.period = aggregate_totals.period
    where aggregate_totals.count <> performance.actual
),

issues as (
    select * from restated_issues
    union all
    select * from warning_issues
    union all
    select * from outlier_issues
    union all
    select * from duplicate_issues
    union all
    select * from aggregate_issues
),

final as (
    select
        issues.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        issues.period,
        issues.check_name,
        issues.severity,
        issues.participant_id,
        issues.field,
        issues.detail,
        issues.value_before,
        issues.value_after
    from issues
    join contracts using (contract_id)
)

select * from final
