-- The delivery funnel by referral cohort: of the participants referred in each month, how many
-- have, by the newest return, started, been referred to / started / completed the Condition
-- Management Programme, entered work and sustained it (at the weeks the contract pays on), with
-- the conversion rate of each step beside its numerator and denominator.
--
-- Each stage counts the participants who have reached it (its date is given), whatever they did
-- before, so a cohort's stages add up to the same participants the performance mart counts month
-- by month. CMP stages are null for a programme without a CMP (the validator warns such dates
-- are not counted).
with contracts as (
    select * from stg_contracts
),

months as (
    select * from stg_contract_months
),

participants as (
    select * from stg_participants
),

contract_months as (
    select
        contracts.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        contracts.has_cmp,
        contracts.sustained_weeks,
        months.period as cohort_period
    from contracts
    join months using (contract_id)
),

cohorts as (
    select
        participants.contract_id,
        strftime(participants.referral_date, '%Y-%m') as cohort_period,
        count(*) as referrals,
        count(participants.start_date) as starts,
        count(participants.cmp_referral_date) as cmp_referrals,
        count(participants.cmp_start_date) as cmp_starts,
        count(participants.cmp_completion_date) as cmp_completions,
        count(participants.job_entry_date) as job_entries,
        count(case when contracts.sustained_weeks = 13 then participants.sustained_13_weeks_date
                   else participants.sustained_26_weeks_date end) as sustained_jobs,
        -- Job entries old enough to have sustained by the end of the newest return's month.
        count(*) filter (where participants.job_entry_date + to_days(7 * contracts.sustained_weeks)
                               <= last_day(strptime(participants.as_at_period || '-01', '%Y-%m-%d')::date)) as job_entries_due_to_sustain
    from participants
    join contracts using (contract_id)
    group by all
),

joined as (
    select
        cm.*,
        coalesce(cohorts.referrals, 0)::integer as referrals,
        coalesce(cohorts.starts, 0)::integer as starts,
        case when cm.has_cmp then coalesce(cohorts.cmp_referrals, 0)::integer end as cmp_referrals,
        case when cm.has_cmp then coalesce(cohorts.cmp_starts, 0)::integer end as cmp_starts,
        case when cm.has_cmp then coalesce(cohorts.cmp_completions, 0)::integer end as cmp_completions,
        coalesce(cohorts.job_entries, 0)::integer as job_entries,
        coalesce(cohorts.sustained_jobs, 0)::integer as sustained_jobs,
        coalesce(cohorts.job_entries_due_to_sustain, 0)::integer as job_entries_due_to_sustain
    from contract_months as cm
    left join cohorts using (contract_id, cohort_period)
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        cohort_period,
        sustained_weeks,
        referrals,
        starts,
        cmp_referrals,
        cmp_starts,
        cmp_completions,
        job_entries,
        sustained_jobs,
        job_entries_due_to_sustain,
        case when referrals > 0 then starts / referrals end as start_rate,
        case when cmp_starts > 0 then cmp_completions / cmp_starts end as cmp_completion_rate,
        case when starts > 0 then job_entries / starts end as job_entry_rate,
        case when job_entries_due_to_sustain > 0 then sustained_jobs / job_entries_due_to_sustain end as sustain_rate
    from joined
)

select * from final
