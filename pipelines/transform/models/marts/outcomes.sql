-- Job entry and sustained rates by breakdown: each contract's participants (per its newest
-- return) counted once in total ('all') and once under each breakdown field of the return,
-- plus the contract's area. A blank value is its own group, 'not_recorded'.
with contracts as (
    select * from stg_contracts
),

participants as (
    select * from stg_participants
),

-- One row per participant with what they reached. The rates are cohort rates: a job entry
-- counts for a participant who started, and a sustained job for one whose job entry counts,
-- so each numerator is a subset of its denominator. Sustained means the milestone at the
-- contract's sustained_weeks (13 or 26).
participant_outcomes as (
    select
        participants.contract_id,
        participants.participant_id,
        participants.start_date is not null as started,
        participants.start_date is not null
            and participants.job_entry_date is not null as entered_job,
        participants.start_date is not null
            and participants.job_entry_date is not null
            and case contracts.sustained_weeks
                when 13 then participants.sustained_13_weeks_date
                when 26 then participants.sustained_26_weeks_date
            end is not null as sustained,
        -- A job entry is due to have sustained once the contract's weeks have passed by the end of
        -- the newest return's month; recent job entries are not yet due, so not yet failures.
        participants.start_date is not null
            and participants.job_entry_date + to_days(7 * contracts.sustained_weeks)
                <= last_day(strptime(participants.as_at_period || '-01', '%Y-%m-%d')::date) as due_to_sustain
    from participants
    join contracts using (contract_id)
),

-- The breakdown fields of the return (generated from the field list) and the area.
participant_breakdowns as (
    select contract_id, participant_id, {{ breakdown_columns }}
    from participants
),

breakdown_fields as (
    select participant_breakdowns.*, contracts.area_name as area
    from participant_breakdowns
    join contracts using (contract_id)
),

breakdown_text as (
    select
        contract_id,
        participant_id,
        coalesce(nullif(trim(cast(columns(* exclude (contract_id, participant_id)) as varchar)), ''), 'not_recorded')
    from breakdown_fields
),

breakdown_long as (
    unpivot breakdown_text
    on columns(* exclude (contract_id, participant_id))
    into name breakdown value breakdown_value
),

participant_groups as (
    select contract_id, participant_id, 'all' as breakdown, 'all' as breakdown_value
    from participants
    union all
    select contract_id, participant_id, breakdown, breakdown_value
    from breakdown_long
),

counts as (
    select
        participant_groups.contract_id,
        participant_groups.breakdown,
        participant_groups.breakdown_value,
        count(*)::integer as referrals,
        count(*) filter (where participant_outcomes.started)::integer as starts,
        count(*) filter (where participant_outcomes.entered_job)::integer as job_entries,
        count(*) filter (where participant_outcomes.sustained)::integer as sustained_jobs,
        count(*) filter (where participant_outcomes.due_to_sustain)::integer as job_entries_due_to_sustain
    from participant_groups
    join participant_outcomes using (contract_id, participant_id)
    group by all
),

-- The 95% Wilson score interval for job entries out of starts (z = 1.959963984540054):
-- centre = (p + z²/2n) / (1 + z²/n), half width = z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²).
wilson as (
    select
        *,
        job_entries / starts as p,
        starts::double as n,
        1.959963984540054::double as z
    from counts
    where starts > 0
),

intervals as (
    select
        contract_id,
        breakdown,
        breakdown_value,
        (p + z * z / (2 * n)) / (1 + z * z / n) as centre,
        z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) as half_width
    from wilson
),

final as (
    select
        counts.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        counts.breakdown,
        counts.breakdown_value,
        counts.referrals,
        counts.starts,
        counts.job_entries,
        counts.sustained_jobs,
        counts.job_entries_due_to_sustain,
        contracts.sustained_weeks,
        case when counts.starts > 0 then counts.job_entries / counts.starts end as job_entry_rate,
        -- Clamped for rounding at 0 or n successes (greatest and least skip nulls, hence the case).
        case when counts.starts > 0 then greatest(0.0::double, intervals.centre - intervals.half_width) end as job_entry_rate_low,
        case when counts.starts > 0 then least(1.0::double, intervals.centre + intervals.half_width) end as job_entry_rate_high,
        case when counts.job_entries_due_to_sustain > 0 then counts.sustained_jobs / counts.job_entries_due_to_sustain end as sustained_rate
    from counts
    join contracts using (contract_id)
    left join intervals using (contract_id, breakdown, breakdown_value)
)

select * from final
