-- One row per contract with everything about it the marts need: programme, provider, area,
-- RAG thresholds and payment model.
with contracts as (
    select * from src_contracts
),

programmes as (
    select * from src_programmes
),

providers as (
    select * from src_providers
),

joined as (
    select
        contracts.contract_id,
        contracts.programme_id,
        programmes.programme_name,
        contracts.provider_id,
        providers.provider_name,
        contracts.area_code,
        contracts.area_name,
        contracts.portfolio,
        contracts.start_period,
        contracts.end_period,
        programmes.has_cmp,
        programmes.rag_green_from,
        programmes.rag_amber_from,
        contracts.service_fee_per_start,
        contracts.job_outcome_payment,
        contracts.sustained_payment,
        contracts.sustained_weeks
    from contracts
    join programmes using (programme_id)
    join providers using (provider_id)
)

select * from joined
