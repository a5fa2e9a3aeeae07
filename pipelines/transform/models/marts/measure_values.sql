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

-- Each member twice: in the month of the measure's own date (event cohort) and in the month
-- of their referral (referral cohort).
cohort_members as (
    select
        members.* exclude (event_date),
        journeys.programme_id, journeys.provider_id, journeys.as_at_period,
        'event' as cohort,
        date_trunc('month', members.event_date)::date as cohort_month
    from members
    join journeys using (contract_id, participant_id)
    union all
    select
        members.* exclude (event_date),
        journeys.programme_id, journeys.provider_id, journeys.as_at_period,
        'referral' as cohort,
        date_trunc('month', journeys.referral_date)::date as cohort_month
    from members
    join journeys using (contract_id, participant_id)
),

-- Aggregated before the grains are multiplied out (ADR 044): how many members of each measure,
-- cohort month and breakdown value contribute each amount, category and band. Every statistic
-- below is a sum over these (a median over the amounts with their counts), so the coarser
-- grains are rolled up from them instead of from one row per member and period.
member_months as materialized (
    select
        cohort_members.contract_id, programme_id, provider_id, as_at_period, measure_id, cohort,
        cohort_month, participant_breakdowns.breakdown, participant_breakdowns.breakdown_value,
        amount, category, band_order, within_standard, group_value,
        count(*) as members
    from cohort_members
    join participant_breakdowns using (contract_id, participant_id)
    group by all
),

-- Each cohort month in its month, quarter, financial year (April to March), programme year
-- (from the programme's first month) and the contract to date. By breakdown, every grain but
-- the month: months for the total only. Months by breakdown would be two thirds of the table
-- (six times its size, measured on the demo) and are mostly counts of 1 to 4 (ADR 035).
period_starts as (
    select
        member_months.*,
        grains.grain,
        case grains.grain
            when 'month' then cohort_month
            when 'quarter' then date_trunc('quarter', cohort_month)
            when 'financial_year' then make_date(year(cohort_month) - (month(cohort_month) < 4)::integer, 4, 1)
            when 'programme_year' then make_date(year(cohort_month) - (month(cohort_month) < {{ programme_year_start }})::integer, {{ programme_year_start }}, 1)
            else strptime(contracts.start_period || '-01', '%Y-%m-%d')::date
        end::date as period_start
    from member_months
    join contracts using (contract_id)
    cross join (values ('month'), ('quarter'), ('financial_year'), ('programme_year'), ('to_date')) as grains(grain)
    where member_months.breakdown = 'all' or grains.grain <> 'month'
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

-- The members of each measure by period, rolled up from the months.
member_periods as materialized (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        breakdown, breakdown_value, measure_id,
        amount, category, band_order, within_standard, group_value,
        sum(members) as members
    from periods
    group by all
),

-- The statistics of each measure over its members, in one pass: how many, the sum and mean of
-- what they contribute, how many are within the measure's standard.
measure_sums as (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        breakdown, breakdown_value, measure_id,
        sum(members)::integer as participants,
        sum(amount * members) as amount_sum,
        sum(amount * members) / sum(members) filter (where amount is not null) as amount_mean,
        coalesce(sum(members) filter (where within_standard), 0)::integer as within_participants
    from member_periods
    group by all
),

-- The median of each measure's amounts: the middle one (the mean of the middle two, as
-- DuckDB's median takes them) of the amounts in order, each as many times as members have it.
amount_counts as (
    select
        contract_id, cohort, grain, period, breakdown, breakdown_value, measure_id, amount,
        sum(members) as members
    from member_periods
    where amount is not null
    group by all
),

amounts_in_order as (
    select
        *,
        sum(members) over (
            partition by contract_id, cohort, grain, period, breakdown, breakdown_value, measure_id
            order by amount
            rows between unbounded preceding and current row
        ) as up_to,
        sum(members) over (
            partition by contract_id, cohort, grain, period, breakdown, breakdown_value, measure_id
        ) as total
    from amount_counts
),

medians as (
    select
        contract_id, cohort, grain, period, breakdown, breakdown_value, measure_id,
        min(amount) filter (where up_to >= (total + 1) // 2) as lower_middle,
        min(amount) filter (where up_to >= total // 2 + 1) as upper_middle
    from amounts_in_order
    group by all
),

measure_stats as materialized (
    select
        measure_sums.*,
        medians.lower_middle + (medians.upper_middle - medians.lower_middle) * 0.5 as amount_median
    from measure_sums
    left join medians using (contract_id, cohort, grain, period, breakdown, breakdown_value, measure_id)
),

-- Members by category: a distribution's codes (within each group_value), a duration's bands.
category_stats as materialized (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        breakdown, breakdown_value, measure_id, group_value, category,
        min(band_order) as band_order,
        sum(members)::integer as participants
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
