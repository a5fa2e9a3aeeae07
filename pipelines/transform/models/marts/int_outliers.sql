-- Intermediate (read by data_quality): each month whose referrals are an outlier for the
-- contract, by the check its programme chooses (src_programmes.outlier_method; the reference
-- data's outlier_check). The measure is the programme's measure that counts referral dates.
--
--   own_history  against the previous 6 months: more than 3 standard deviations from their mean
--                (when the standard deviation is above 0), or above twice or below half of it
--   z_score      |x − mean| ÷ sample standard deviation of the previous 6 months > threshold
--                (when the standard deviation is above 0)
--   modified_z   0.6745 × |x − median| ÷ median absolute deviation of the previous 6 months
--                > threshold (Iglewicz and Hoaglin; when the deviation is above 0)
--   min_max      below min or above max; any month, with or without history
with referral_months as (
    select
        performance.contract_id,
        performance.programme_id,
        performance.measure_id,
        performance.measure_label,
        performance.period,
        performance.actual,
        programmes.outlier_method as method,
        programmes.outlier_threshold as threshold,
        programmes.outlier_min,
        programmes.outlier_max
    from performance
    join src_measures using (programme_id, measure_id)
    join src_programmes as programmes using (programme_id)
    where src_measures.milestone = 'referral_date'
),

history as (
    select
        *,
        count(*) over previous_6 as history_months,
        avg(actual) over previous_6 as trailing_mean,
        stddev_samp(actual) over previous_6 as trailing_sd,
        median(actual) over previous_6 as trailing_median,
        mad(actual) over previous_6 as trailing_mad
    from referral_months
    window previous_6 as (
        partition by contract_id, measure_id
        order by period
        rows between 6 preceding and 1 preceding
    )
),

scored as (
    select
        *,
        case when trailing_sd > 0 then abs(actual - trailing_mean) / trailing_sd end as z_score,
        case when trailing_mad > 0 then 0.6745 * abs(actual - trailing_median) / trailing_mad end as modified_z
    from history
),

own_history as (
    select
        *,
        trailing_sd > 0 and abs(actual - trailing_mean) > 3 * trailing_sd as beyond_3_sd,
        trailing_mean > 0 and actual > 2 * trailing_mean as above_twice,
        trailing_mean > 0 and actual < 0.5 * trailing_mean as below_half
    from scored
    where method = 'own_history' and history_months = 6
),

own_history_outliers as (
    select
        contract_id,
        period,
        method,
        measure_id,
        format(
            '{} in {}: {}, against a mean of {} a month over the previous 6 months (standard deviation {}): {}',
            measure_label,
            period,
            actual,
            round(trailing_mean, 1),
            round(trailing_sd, 1),
            concat_ws(
                ' and ',
                case when beyond_3_sd then 'more than 3 standard deviations from the mean' end,
                case when above_twice then 'more than twice the mean' end,
                case when below_half then 'less than half the mean' end
            )
        ) as detail,
        round(trailing_mean, 1)::varchar as value_before,
        actual::varchar as value_after
    from own_history
    where beyond_3_sd or above_twice or below_half
),

z_outliers as (
    select
        contract_id,
        period,
        method,
        measure_id,
        format(
            '{} in {}: {}, against a mean of {} a month over the previous 6 months (standard deviation {}): a z-score of {}, above {}',
            measure_label, period, actual, round(trailing_mean, 1), round(trailing_sd, 1), round(z_score, 2), threshold
        ) as detail,
        round(trailing_mean, 1)::varchar as value_before,
        actual::varchar as value_after
    from scored
    where method = 'z_score' and history_months = 6 and z_score > threshold
),

modified_z_outliers as (
    select
        contract_id,
        period,
        method,
        measure_id,
        format(
            '{} in {}: {}, against a median of {} a month over the previous 6 months (median absolute deviation {}): a modified z-score of {}, above {}',
            measure_label, period, actual, round(trailing_median, 1), round(trailing_mad, 1), round(modified_z, 2), threshold
        ) as detail,
        round(trailing_median, 1)::varchar as value_before,
        actual::varchar as value_after
    from scored
    where method = 'modified_z' and history_months = 6 and modified_z > threshold
),

min_max_outliers as (
    select
        contract_id,
        period,
        method,
        measure_id,
        format(
            '{} in {}: {}, {} the programme’s {} of {} a month',
            measure_label, period, actual,
            case when actual < outlier_min then 'below' else 'above' end,
            case when actual < outlier_min then 'minimum' else 'maximum' end,
            case when actual < outlier_min then outlier_min else outlier_max end
        ) as detail,
        case when actual < outlier_min then outlier_min else outlier_max end::varchar as value_before,
        actual::varchar as value_after
    from referral_months
    where method = 'min_max' and (actual < outlier_min or actual > outlier_max)
),

final as (
    select * from own_history_outliers
    union all
    select * from z_outliers
    union all
    select * from modified_z_outliers
    union all
    select * from min_max_outliers
)

select * from final
