-- Each contract's participants counted by case-mix stratum: age band × primary condition group
-- × benefit at referral × engagement, the four fields of the return that say how hard a
-- participant is to help (a blank reads 'not_recorded'). What fair_comparison builds the
-- programme-wide rates and each provider's expected outcomes from; counts and sums only, so
-- the global model reads no participant rows.
with journeys as (
    select * from int_participant_journeys
),

stratified as (
    select
        contract_id,
        programme_id,
        provider_id,
        coalesce(age_band, 'not_recorded') as age_band,
        coalesce(primary_condition_group, 'not_recorded') as primary_condition_group,
        coalesce(benefit, 'not_recorded') as benefit,
        coalesce(engagement, 'not_recorded') as engagement,
        start_date is not null as started,
        start_date is not null and job_entry_date is not null as entered_job,
        days_to_first_contact,
        case when start_date is not null then contact_count end as contacts
    from journeys
),

final as (
    select
        contract_id,
        any_value(programme_id) as programme_id,
        any_value(provider_id) as provider_id,
        age_band,
        primary_condition_group,
        benefit,
        engagement,
        count(*)::integer as referrals,
        count(*) filter (where started)::integer as starts,
        count(*) filter (where entered_job)::integer as job_entries,
        count(days_to_first_contact)::integer as first_contacts,
        coalesce(sum(days_to_first_contact), 0)::double as days_to_first_contact_sum,
        coalesce(sum(days_to_first_contact::double * days_to_first_contact), 0)::double as days_to_first_contact_sumsq,
        count(contacts)::integer as contacts_recorded,
        coalesce(sum(contacts), 0)::double as contacts_sum,
        coalesce(sum(contacts::double * contacts), 0)::double as contacts_sumsq
    from stratified
    group by contract_id, age_band, primary_condition_group, benefit, engagement
)

select * from final
