-- Each month's sample of claimed outcomes per contract and outcome kind (ADR 040), with the
-- evidence the provider recorded for each. Reproducible: the claims are ordered by the MD5 of
-- contract, month, outcome kind and participant id (the seed is the first three), and the first
-- n are taken, n by the programme's rule: ceil(share × claimed), at least min (or all claimed),
-- at most max. The same claims give the same sample in every build.
with claimed as (
    select * from int_claimed_outcomes
),

rules as (
    select
        contracts.contract_id,
        programmes.claims_sample_share,
        programmes.claims_sample_min,
        programmes.claims_sample_max
    from stg_contracts as contracts
    join src_programmes as programmes using (programme_id)
),

ranked as (
    select
        claimed.*,
        count(*) over claims as claimed,
        row_number() over (
            partition by contract_id, period, outcome_kind
            order by md5(contract_id || '|' || period || '|' || outcome_kind || '|' || participant_id), participant_id
        ) as sample_rank
    from claimed
    window claims as (partition by contract_id, period, outcome_kind)
),

sized as (
    select
        ranked.*,
        least(
            claimed,
            greatest(rules.claims_sample_min, least(rules.claims_sample_max, ceil(rules.claims_sample_share * claimed)::integer))
        ) as sample_size
    from ranked
    join rules using (contract_id)
),

-- The newest answer for each claim counts; every answer is kept in the store.
evidence as (
    select *
    from src_claim_evidence
    qualify row_number() over (
        partition by contract_id, period, outcome_kind, participant_id
        order by recorded_at desc
    ) = 1
),

final as (
    select
        sized.contract_id,
        sized.programme_id,
        sized.provider_id,
        sized.period,
        sized.outcome_kind,
        sized.participant_id,
        sized.sample_rank::integer as sample_rank,
        sized.claimed::integer as claimed,
        sized.sample_size::integer as sample_size,
        evidence.evidence,
        evidence.note,
        evidence.recorded_by,
        evidence.recorded_at
    from sized
    left join evidence using (contract_id, period, outcome_kind, participant_id)
    where sized.sample_rank <= sized.sample_size
)

select * from final
