-- Payments due per contract and month under its payment model: a service fee per start, a job
-- outcome payment per job entry and a sustained employment payment per job sustained for the
-- contract's sustained_weeks (13 or 26), each counted in the month its date falls in; with
-- contract-to-date totals and the cost per job entry and per sustained job. Amounts in £,
-- rounded to the penny. Beside the total, what claims verification takes off it (ADR 040).
with contracts as (
    select * from stg_contracts
),

months as (
    select * from stg_contract_months
),

participants as (
    select * from stg_participants
),

-- Starts earn the service fee in the month of their start date; job entries and sustained jobs
-- are the outcomes paid by result (int_claimed_outcomes, which claims_sample samples).
starts as (
    select contract_id, strftime(start_date, '%Y-%m') as period, count(*) as n
    from participants where start_date is not null
    group by all
),

claimed as (
    select * from int_claimed_outcomes
),

job_entries as (
    select contract_id, period, count(*) as n
    from claimed where outcome_kind = 'job_entry'
    group by all
),

sustained as (
    select contract_id, period, count(*) as n
    from claimed where outcome_kind = 'sustained_job'
    group by all
),

-- What claims verification takes off a month's payments (ADR 040): for each outcome kind whose
-- sample has an answer for every claim, its error rate extrapolated to the outcomes paid.
verification as (
    select contract_id, period, sum(coalesce(adjustment, 0)) as adjustment
    from claims_verification
    group by all
),

monthly as (
    select
        contracts.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        months.period,
        contracts.sustained_weeks,
        contracts.service_fee_per_start,
        contracts.job_outcome_payment,
        contracts.sustained_payment,
        coalesce(starts.n, 0)::integer as starts,
        coalesce(job_entries.n, 0)::integer as job_entries,
        coalesce(sustained.n, 0)::integer as sustained_jobs,
        round(coalesce(verification.adjustment, 0), 2) as verification_adjustment
    from contracts
    join months using (contract_id)
    left join starts using (contract_id, period)
    left join job_entries using (contract_id, period)
    left join sustained using (contract_id, period)
    left join verification using (contract_id, period)
),

amounts as (
    select
        *,
        round(starts * service_fee_per_start, 2) as service_fees,
        round(job_entries * job_outcome_payment, 2) as job_outcome_payments,
        round(sustained_jobs * sustained_payment, 2) as sustained_payments
    from monthly
),

totals as (
    select
        *,
        round(service_fees + job_outcome_payments + sustained_payments, 2) as total_due
    from amounts
),

cumulative as (
    select
        *,
        sum(starts) over contract_to_date as cumulative_starts,
        sum(job_entries) over contract_to_date as cumulative_job_entries,
        sum(sustained_jobs) over contract_to_date as cumulative_sustained_jobs,
        sum(service_fees) over contract_to_date as cumulative_service_fees,
        sum(job_outcome_payments) over contract_to_date as cumulative_job_outcome_payments,
        sum(sustained_payments) over contract_to_date as cumulative_sustained_payments,
        sum(total_due) over contract_to_date as cumulative_total_due
    from totals
    window contract_to_date as (
        partition by contract_id
        order by period
        rows between unbounded preceding and current row
    )
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        sustained_weeks,
        service_fee_per_start,
        job_outcome_payment,
        sustained_payment,
        starts,
        job_entries,
        sustained_jobs,
        service_fees,
        job_outcome_payments,
        sustained_payments,
        total_due,
        verification_adjustment,
        round(total_due - verification_adjustment, 2) as adjusted_total_due,
        cumulative_starts::integer as cumulative_starts,
        cumulative_job_entries::integer as cumulative_job_entries,
        cumulative_sustained_jobs::integer as cumulative_sustained_jobs,
        round(cumulative_service_fees, 2) as cumulative_service_fees,
        round(cumulative_job_outcome_payments, 2) as cumulative_job_outcome_payments,
        round(cumulative_sustained_payments, 2) as cumulative_sustained_payments,
        round(cumulative_total_due, 2) as cumulative_total_due,
        case when cumulative_job_entries > 0 then round(cumulative_total_due / cumulative_job_entries, 2) end as cost_per_job_entry,
        case when cumulative_sustained_jobs > 0 then round(cumulative_total_due / cumulative_sustained_jobs, 2) end as cost_per_sustained_job
    from cumulative
)

select * from final
