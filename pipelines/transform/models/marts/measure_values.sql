-- Every programme-defined measure (reference data, compiled by pipelines/measures/compile.ts)
-- by every breakdown, period grain and cohort, from the participant-journey table alone
-- (ADR 024). The compiled parts are filled in at build time from the reference data in force.
with journeys as (
    select * from int_participant_journeys
),

contracts as (
    select * from stg_contracts
),

-- Each participant under each breakdown: 'all', every breakdown field, every programme grouping.
participant_breakdowns as materialized (
    {{ breakdown_rows }}
),

-- One row per measure (other than rates) and participant counted in it, with the measure's
-- own date, and the number (durations, contacts) or code (distributions) they contribute.
members as (
    {{ member_rows }}
),

-- Each member twice: in the period of the measure's own date (event cohort) and in the period
-- of their referral (referral cohort).
cohort_members as (
    select members.*, 'event' as cohort, members.event_date as cohort_date
    from members
    union all
    select members.*, 'referral' as cohort, journeys.referral_date as cohort_date
    from members
    join journeys using (contract_id, participant_id)
),

-- Each cohort date in its month, quarter, financial year (April to March), programme year
-- (from the programme's first month) and the contract to date.
period_starts as (
    select
        cohort_members.*,
        journeys.programme_id,
        journeys.provider_id,
        journeys.as_at_period,
        contracts.start_period,
        {{ programme_year_start }} as year_start_month,
        grains.grain,
        case grains.grain
            when 'month' then date_trunc('month', cohort_date)
            when 'quarter' then date_trunc('quarter', cohort_date)
            when 'financial_year' then make_date(year(cohort_date) - (month(cohort_date) < 4)::integer, 4, 1)
            when 'programme_year' then make_date(year(cohort_date) - (month(cohort_date) < {{ programme_year_start }})::integer, {{ programme_year_start }}, 1)
            else strptime(contracts.start_period || '-01', '%Y-%m-%d')::date
        end::date as period_start
    from cohort_members
    join journeys using (contract_id, participant_id)
    join contracts using (contract_id)
    cross join (values ('month'), ('quarter'), ('financial_year'), ('programme_year'), ('to_date')) as grains(grain)
),

periods as (
    select
        *,
        case grain
            when 'month' then (period_start + interval 1 month - interval 1 day)::date
            when 'quarter' then (period_start + interval 3 month - interval 1 day)::date
            when 'to_date' then (strptime(as_at_period || '-01', '%Y-%m-%d') + interval 1 month - interval 1 day)::date
            else (period_start + interval 12 month - interval 1 day)::date
        end as period_end,
        case grain
            when 'month' then strftime(period_start, '%Y-%m')
            when 'quarter' then strftime(period_start, '%Y') || '-Q' || quarter(period_start)::varchar
            when 'financial_year' then strftime(period_start, '%Y') || '-' || right((year(period_start) + 1)::varchar, 2)
            when 'programme_year' then strftime(period_start, '%Y-%m') || ' to ' || strftime(period_start + interval 11 month, '%Y-%m')
            else 'to date'
        end as period
    from period_starts
),

member_periods as materialized (
    select
        periods.contract_id,
        periods.programme_id,
        periods.provider_id,
        periods.measure_id,
        periods.cohort,
        periods.grain,
        periods.period,
        periods.period_start,
        periods.period_end,
        participant_breakdowns.breakdown,
        participant_breakdowns.breakdown_value,
        periods.amount,
        periods.category,
        periods.band_order,
        periods.within_standard,
        periods.group_value
    from periods
    join participant_breakdowns using (contract_id, participant_id)
    -- By breakdown, every grain but the month: quarters, financial and programme years and to
    -- date; months for the total only. Months by breakdown would be two thirds of the table
    -- (six times its size, measured on the demo) and are mostly counts of 1 to 4 (ADR 035).
    where participant_breakdowns.breakdown = 'all' or periods.grain <> 'month'
),

-- The statistics of each measure over its members, in one pass: how many, the sum, mean and
-- median of what they contribute, how many are within the measure's standard.
measure_stats as materialized (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        breakdown, breakdown_value, measure_id,
        count(*)::integer as participants,
        sum(amount) as amount_sum,
        avg(amount) as amount_mean,
        median(amount) as amount_median,
        count(*) filter (where within_standard)::integer as within_participants
    from member_periods
    group by all
),

-- Members by category: a distribution's codes (within each group_value), a duration's bands.
category_stats as materialized (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        breakdown, breakdown_value, measure_id, group_value, category,
        min(band_order) as band_order,
        count(*)::integer as participants
    from member_periods
    where category is not null
    group by all
),

measure_rows as (
    {{ measure_rows }}
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        measure_id,
        measure_label,
        kind,
        unit,
        cohort,
        grain,
        period,
        period_start,
        period_end,
        breakdown,
        breakdown_value,
        statistic,
        category,
        group_value,
        participants,
        numerator,
        denominator,
        value,
        value_low,
        value_high,
        meets_standard
    from measure_rows
)

select * from final
