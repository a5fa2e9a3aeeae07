-- Fair comparison of providers within a programme (docs/methods/fair-comparison.md, ADR 038).
--
-- Indirect standardisation. Each stratum (age band × primary condition group × benefit ×
-- engagement) has a programme-wide job entry rate, job entries ÷ starts over every provider.
-- A sparse stratum (fewer than {{ min_starts }} starts programme-wide) is collapsed: it takes the
-- rate of the finest coarser group that has {{ min_starts }} or more — condition × engagement,
-- then engagement alone, then the whole programme. A provider's expected job entries are
--   E = Σ over strata (provider's starts in the stratum × the stratum's programme rate),
-- its observed O = its job entries, and O/E its case-mix-adjusted ratio (1 = as the programme).
-- The 95% interval of O/E treats O as Poisson, by Byar's approximation (Breslow and Day 1987,
-- Statistical Methods in Cancer Research vol. II, p. 69):
--   lower = O (1 − 1/(9O) − z/(3√O))³ / E            (0 when O = 0)
--   upper = (O+1) (1 − 1/(9(O+1)) + z/(3√(O+1)))³ / E,   z = 1.959964
--
-- Creaming and parking. Harder to help: participants in a stratum whose programme rate (as
-- collapsed) is below the programme's overall rate. For them, each provider's start rate
-- (starts ÷ referrals: creaming is starting the easier ones), job entry rate, mean days to first
-- contact and mean contacts (parking is leaving them waiting or unseen) against the programme's
-- figure for the same group. A gap is beyond chance when |z| > 1.96 (two-sided 5%): for a rate,
-- z = (p − p₀) / √(p₀(1 − p₀)/n), the binomial normal approximation against the programme's
-- rate p₀; for a mean, z = (m − m₀) / (s/√n), s the provider's own standard deviation (n ≥ 2).
-- The programme's figure includes the provider's own participants.
with strata as (
    select * from case_mix_strata
),

cells as (
    select programme_id, age_band, primary_condition_group, benefit, engagement,
           sum(starts) as starts, sum(job_entries) as job_entries
    from strata
    group by all
),

by_condition as (
    select programme_id, primary_condition_group, engagement,
           sum(starts) as starts, sum(job_entries) as job_entries
    from strata
    group by all
),

by_engagement as (
    select programme_id, engagement, sum(starts) as starts, sum(job_entries) as job_entries
    from strata
    group by all
),

programmes as (
    select programme_id, sum(starts) as starts, sum(job_entries) as job_entries,
           case when sum(starts) > 0 then sum(job_entries) / sum(starts) end as rate
    from strata
    group by all
),

cell_rates as (
    select
        cells.programme_id, cells.age_band, cells.primary_condition_group, cells.benefit, cells.engagement,
        case
            when cells.starts >= {{ min_starts }} then cells.job_entries / cells.starts
            when by_condition.starts >= {{ min_starts }} then by_condition.job_entries / by_condition.starts
            when by_engagement.starts >= {{ min_starts }} then by_engagement.job_entries / by_engagement.starts
            else programmes.rate
        end as rate,
        case
            when cells.starts >= {{ min_starts }} then 'stratum'
            when by_condition.starts >= {{ min_starts }} then 'condition_engagement'
            when by_engagement.starts >= {{ min_starts }} then 'engagement'
            else 'programme'
        end as rate_from,
        programmes.rate as programme_rate
    from cells
    join by_condition using (programme_id, primary_condition_group, engagement)
    join by_engagement using (programme_id, engagement)
    join programmes using (programme_id)
),

rated as (
    select
        strata.*,
        coalesce(cell_rates.rate, 0) as rate,
        cell_rates.rate_from,
        coalesce(cell_rates.rate < cell_rates.programme_rate, false) as harder_to_help
    from strata
    join cell_rates using (programme_id, age_band, primary_condition_group, benefit, engagement)
),

-- The harder-to-help group's figures, per provider and for the whole programme.
hard as (
    select
        programme_id,
        provider_id,
        sum(referrals) as referrals,
        sum(starts) as starts,
        sum(job_entries) as job_entries,
        sum(first_contacts) as first_contacts,
        sum(days_to_first_contact_sum) as fc_sum,
        sum(days_to_first_contact_sumsq) as fc_sumsq,
        sum(contacts_recorded) as contacts_n,
        sum(contacts_sum) as contacts_sum,
        sum(contacts_sumsq) as contacts_sumsq
    from rated
    where harder_to_help
    group by all
),

hard_programme as (
    select
        programme_id,
        case when sum(referrals) > 0 then sum(starts) / sum(referrals) end as start_rate,
        case when sum(starts) > 0 then sum(job_entries) / sum(starts) end as job_entry_rate,
        case when sum(first_contacts) > 0 then sum(fc_sum) / sum(first_contacts) end as mean_days_to_first_contact,
        case when sum(contacts_n) > 0 then sum(contacts_sum) / sum(contacts_n) end as mean_contacts
    from hard
    group by all
),

providers as (
    select
        programme_id,
        provider_id,
        count(distinct contract_id)::integer as contracts,
        sum(starts)::integer as starts,
        sum(job_entries)::integer as observed,
        sum(starts * rate) as expected,
        count(*) filter (where rate_from <> 'stratum' and starts > 0)::integer as collapsed_strata
    from rated
    group by all
),

hard_provider as (
    select
        hard.programme_id,
        hard.provider_id,
        hard.referrals::integer as hard_referrals,
        hard.starts::integer as hard_starts,
        case when hard.referrals > 0 then hard.starts / hard.referrals end as hard_start_rate,
        hard_programme.start_rate as programme_hard_start_rate,
        case when hard.starts > 0 then hard.job_entries / hard.starts end as hard_job_entry_rate,
        hard_programme.job_entry_rate as programme_hard_job_entry_rate,
        case when hard.first_contacts > 0 then hard.fc_sum / hard.first_contacts end as hard_days_to_first_contact,
        hard_programme.mean_days_to_first_contact as programme_hard_days_to_first_contact,
        case when hard.first_contacts > 1
             then sqrt(greatest(hard.fc_sumsq - hard.fc_sum * hard.fc_sum / hard.first_contacts, 0) / (hard.first_contacts - 1))
        end as fc_sd,
        hard.first_contacts,
        case when hard.contacts_n > 0 then hard.contacts_sum / hard.contacts_n end as hard_contacts,
        hard_programme.mean_contacts as programme_hard_contacts,
        case when hard.contacts_n > 1
             then sqrt(greatest(hard.contacts_sumsq - hard.contacts_sum * hard.contacts_sum / hard.contacts_n, 0) / (hard.contacts_n - 1))
        end as contacts_sd,
        hard.contacts_n
    from hard
    join hard_programme using (programme_id)
),

-- z for a rate against the programme's, and for a mean against the programme's.
z_scores as (
    select
        *,
        case when hard_referrals > 0 and programme_hard_start_rate > 0 and programme_hard_start_rate < 1
             then (hard_start_rate - programme_hard_start_rate)
                  / sqrt(programme_hard_start_rate * (1 - programme_hard_start_rate) / hard_referrals)
        end as start_rate_z,
        case when hard_starts > 0 and programme_hard_job_entry_rate > 0 and programme_hard_job_entry_rate < 1
             then (hard_job_entry_rate - programme_hard_job_entry_rate)
                  / sqrt(programme_hard_job_entry_rate * (1 - programme_hard_job_entry_rate) / hard_starts)
        end as job_entry_rate_z,
        case when fc_sd > 0
             then (hard_days_to_first_contact - programme_hard_days_to_first_contact) / (fc_sd / sqrt(first_contacts))
        end as first_contact_z,
        case when contacts_sd > 0
             then (hard_contacts - programme_hard_contacts) / (contacts_sd / sqrt(contacts_n))
        end as contacts_z
    from hard_provider
),

final as (
    select
        providers.programme_id,
        providers.provider_id,
        providers.contracts,
        providers.starts,
        providers.observed,
        providers.expected,
        case when providers.expected > 0 then providers.observed / providers.expected end as oe_ratio,
        case when providers.expected > 0 then
            case when providers.observed = 0 then 0
                 else providers.observed
                      * pow(1 - 1 / (9 * providers.observed) - 1.959964 / (3 * sqrt(providers.observed)), 3)
                      / providers.expected
            end
        end as oe_low,
        case when providers.expected > 0 then
            (providers.observed + 1)
            * pow(1 - 1 / (9 * (providers.observed + 1)) + 1.959964 / (3 * sqrt(providers.observed + 1)), 3)
            / providers.expected
        end as oe_high,
        providers.collapsed_strata,
        coalesce(z_scores.hard_referrals, 0)::integer as hard_referrals,
        coalesce(z_scores.hard_starts, 0)::integer as hard_starts,
        z_scores.hard_start_rate,
        z_scores.programme_hard_start_rate,
        coalesce(abs(z_scores.start_rate_z) > 1.96, false) as start_rate_flag,
        z_scores.hard_job_entry_rate,
        z_scores.programme_hard_job_entry_rate,
        coalesce(abs(z_scores.job_entry_rate_z) > 1.96, false) as job_entry_rate_flag,
        z_scores.hard_days_to_first_contact,
        z_scores.programme_hard_days_to_first_contact,
        coalesce(abs(z_scores.first_contact_z) > 1.96, false) as first_contact_flag,
        z_scores.hard_contacts,
        z_scores.programme_hard_contacts,
        coalesce(abs(z_scores.contacts_z) > 1.96, false) as contacts_flag
    from providers
    left join z_scores using (programme_id, provider_id)
)

select * from final
