-- Every programme-defined measure (reference data, compiled by pipelines/measures/compile.ts)
-- by every breakdown, period grain and cohort, from the participant-journey table alone
-- (ADR 024). The compiled parts are filled in at build time from the reference data in force.
--
-- Each participant numbered (person): the members are counted by breakdown below with this
-- and the breakdown value's number as the key, not the strings they stand for (ADR 048).
with journeys as materialized (
    select *, row_number() over () as person
    from int_participant_journeys
),

contracts as (
    select * from stg_contracts
),

-- Each participant under each breakdown: 'all', every breakdown field, every programme grouping.
participant_breakdowns as (
    {{ breakdown_rows }}
),

-- Each breakdown value, numbered, with the people under it.
breakdown_values as materialized (
    select breakdown, breakdown_value, list(person) as persons, row_number() over () as breakdown_key
    from participant_breakdowns
    group by breakdown, breakdown_value
),

all_key as (
    select breakdown_key from breakdown_values where breakdown = 'all'
),

person_breakdowns as materialized (
    select unnest(persons) as person, breakdown_key
    from breakdown_values
),

-- One row per measure (other than rates) and participant counted in it, with the measure's
-- own date, and the number (durations, contacts) or code (distributions) they contribute.
members as materialized (
    {{ member_rows }}
),

-- Each member twice: in the month of the measure's own date (event cohort) and in the month
-- of their referral (referral cohort).
cohort_members as (
    select
        members.* exclude (event_date, referral_date),
        'event' as cohort,
        date_trunc('month', event_date)::date as cohort_month
    from members
    union all
    select
        members.* exclude (event_date, referral_date),
        'referral' as cohort,
        date_trunc('month', referral_date)::date as cohort_month
    from members
),

-- The members alike in everything the counts read (measure, cohort month, category, band,
-- standard, group), numbered, with who they are and what they contribute (amount).
member_kinds as materialized (
    select
        contract_id, programme_id, provider_id, as_at_period, measure_id, cohort, cohort_month,
        category, band_order, within_standard, group_value,
        list({'person': person, 'amount': amount}) as kind_members,
        row_number() over () as member_kind
    from cohort_members
    group by contract_id, programme_id, provider_id, as_at_period, measure_id, cohort, cohort_month,
        category, band_order, within_standard, group_value
),

-- Aggregated before the grains are multiplied out (ADR 044): how many members of each kind are
-- under each breakdown value, and the sum of their amounts. Every statistic below is a sum over
-- these (a median over the amounts with their counts, below), so the coarser grains are rolled
-- up from them instead of from one row per member and period. Counted and rolled up by integer
-- keys (member kind, period kind, cell, breakdown value), the strings they stand for joined back
-- at the end; the amounts are in the key only where a median needs them (ADR 048).
kind_counts as materialized (
    select kinds.member_kind, person_breakdowns.breakdown_key, count(*) as members, sum(kinds.amount) as amount_sum
    from (select member_kind, unnest(kind_members, recursive := true) from member_kinds) as kinds
    join person_breakdowns using (person)
    group by kinds.member_kind, person_breakdowns.breakdown_key
),

-- Each member kind's cohort month in its month, quarter, financial year (April to March),
-- programme year (from the programme's first month) and the contract to date.
period_starts as (
    select
        member_kinds.* exclude (kind_members),
        grains.grain,
        case grains.grain
            when 'month' then cohort_month
            when 'quarter' then date_trunc('quarter', cohort_month)
            when 'financial_year' then make_date(year(cohort_month) - (month(cohort_month) < 4)::integer, 4, 1)
            when 'programme_year' then make_date(year(cohort_month) - (month(cohort_month) < {{ programme_year_start }})::integer, {{ programme_year_start }}, 1)
            else strptime(contracts.start_period || '-01', '%Y-%m-%d')::date
        end::date as period_start
    from member_kinds
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

-- The member kinds of a period: alike in everything but the month, numbered.
period_kinds as materialized (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        measure_id, category, band_order, within_standard, group_value,
        list(member_kind) as member_kinds,
        row_number() over () as period_kind
    from periods
    group by contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        measure_id, category, band_order, within_standard, group_value
),

-- The cells: a measure in a cohort and period (by breakdown value below), numbered.
cells as materialized (
    select
        contract_id, programme_id, provider_id, cohort, grain, period, period_start, period_end,
        measure_id,
        list(period_kind) as period_kinds,
        row_number() over () as cell
    from period_kinds
    group by all
),

period_kind_cells as (
    select unnest(period_kinds) as period_kind, cell from cells
),

kinds_in_periods as materialized (
    select
        unnest(period_kinds.member_kinds) as member_kind,
        period_kinds.period_kind, period_kinds.grain
    from period_kinds
),

-- The members of each measure by period, rolled up from the months. By breakdown, every grain
-- but the month: months for the total only. Months by breakdown would be two thirds of the
-- table (six times its size, measured on the demo) and are mostly counts of 1 to 4 (ADR 035).
member_periods as materialized (
    select
        period_kind_cells.cell, counted.breakdown_key,
        period_kinds.category, period_kinds.band_order,
        period_kinds.within_standard, period_kinds.group_value,
        counted.members, counted.amount_sum
    from (
        select
            kinds_in_periods.period_kind, kind_counts.breakdown_key,
            sum(kind_counts.members) as members, sum(kind_counts.amount_sum) as amount_sum
        from kind_counts
        join kinds_in_periods using (member_kind)
        where kinds_in_periods.grain <> 'month' or kind_counts.breakdown_key = (select breakdown_key from all_key)
        group by kinds_in_periods.period_kind, kind_counts.breakdown_key
    ) as counted
    join period_kinds using (period_kind)
    join period_kind_cells using (period_kind)
),

-- The statistics of each measure over its members, in one pass: how many, the sum and mean of
-- what they contribute, how many are within the measure's standard.
measure_sums as (
    select
        cell, breakdown_key,
        sum(members)::integer as participants,
        sum(amount_sum) as amount_sum,
        sum(amount_sum) / sum(members) filter (where amount_sum is not null) as amount_mean,
        coalesce(sum(members) filter (where within_standard), 0)::integer as within_participants
    from member_periods
    group by cell, breakdown_key
),

-- The median of a duration's amounts: the middle one (the mean of the middle two, as DuckDB's
-- median takes them) of the amounts in order, each as many times as members have it. Counted
-- the same way as the members above, with the amount in the kind.
median_kinds as materialized (
    select
        contract_id, programme_id, provider_id, as_at_period, measure_id, cohort, cohort_month, amount,
        list(person) as persons,
        row_number() over () as median_kind
    from cohort_members
    where has_median
    group by contract_id, programme_id, provider_id, as_at_period, measure_id, cohort, cohort_month, amount
),

median_counts as (
    select kinds.median_kind, person_breakdowns.breakdown_key, count(*) as members
    from (select median_kind, unnest(persons) as person from median_kinds) as kinds
    join person_breakdowns using (person)
    group by kinds.median_kind, person_breakdowns.breakdown_key
),

-- The cell of each month of a measure in each grain.
month_cells as (
    select distinct
        member_kinds.contract_id, member_kinds.programme_id, member_kinds.provider_id,
        member_kinds.as_at_period, member_kinds.measure_id, member_kinds.cohort,
        member_kinds.cohort_month, kinds_in_periods.grain, period_kind_cells.cell
    from member_kinds
    join kinds_in_periods using (member_kind)
    join period_kind_cells using (period_kind)
),

median_cells as materialized (
    select median_kinds.median_kind, median_kinds.amount, month_cells.grain, month_cells.cell
    from median_kinds
    join month_cells using (contract_id, programme_id, provider_id, as_at_period, measure_id, cohort, cohort_month)
),

amount_counts as (
    select median_cells.cell, median_counts.breakdown_key, median_cells.amount, sum(median_counts.members) as members
    from median_counts
    join median_cells using (median_kind)
    where median_cells.grain <> 'month' or median_counts.breakdown_key = (select breakdown_key from all_key)
    group by median_cells.cell, median_counts.breakdown_key, median_cells.amount
),

amounts_in_order as (
    select
        *,
        sum(members) over (
            partition by cell, breakdown_key
            order by amount
            rows between unbounded preceding and current row
        ) as up_to,
        sum(members) over (partition by cell, breakdown_key) as total
    from amount_counts
),

medians as (
    select
        cell, breakdown_key,
        min(amount) filter (where up_to >= (total + 1) // 2) as lower_middle,
        min(amount) filter (where up_to >= total // 2 + 1) as upper_middle
    from amounts_in_order
    group by cell, breakdown_key
),

measure_stats as materialized (
    select
        cells.contract_id, cells.programme_id, cells.provider_id, cells.cohort, cells.grain,
        cells.period, cells.period_start, cells.period_end,
        breakdown_values.breakdown, breakdown_values.breakdown_value, cells.measure_id,
        measure_sums.participants, measure_sums.amount_sum, measure_sums.amount_mean,
        measure_sums.within_participants,
        medians.lower_middle + (medians.upper_middle - medians.lower_middle) * 0.5 as amount_median
    from measure_sums
    join cells using (cell)
    join breakdown_values using (breakdown_key)
    left join medians using (cell, breakdown_key)
),

-- Members by category: a distribution's codes (within each group_value), a duration's bands.
category_stats as materialized (
    select
        cells.contract_id, cells.programme_id, cells.provider_id, cells.cohort, cells.grain,
        cells.period, cells.period_start, cells.period_end,
        breakdown_values.breakdown, breakdown_values.breakdown_value, cells.measure_id,
        counted.group_value, counted.category, counted.band_order, counted.participants
    from (
        select
            cell, breakdown_key, group_value, category,
            min(band_order) as band_order,
            sum(members)::integer as participants
        from member_periods
        where category is not null
        group by cell, breakdown_key, group_value, category
    ) as counted
    join cells using (cell)
    join breakdown_values using (breakdown_key)
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
