-- Participant ids in the newest returns of two or more contracts (possible double claiming): one
-- row for each contract and each other contract the id is also in, naming the other contract and
-- its provider. For the contract managers of the contracts concerned (and admins): a provider is
-- told only that a participant is also under another contract (data_quality), never which, since
-- that would tell one provider about another's caseload.
--
-- It reads each contract's small summary of hashed ids (int_participant_ids), never staging:
-- the hashes found under two or more contracts first, then only those rows compared by id.
with participant_contracts as (
    select contract_id, participant_hash, participant_id, as_at_period
    from int_participant_ids
),

shared_hashes as (
    select participant_hash
    from participant_contracts
    group by participant_hash
    having count(*) > 1
),

shared as (
    select participant_contracts.*
    from participant_contracts
    semi join shared_hashes using (participant_hash)
),

contracts as (
    select * from stg_contracts
),

pairs as (
    select
        mine.contract_id,
        mine.participant_id,
        mine.as_at_period as period,
        others.contract_id as other_contract_id,
        others.as_at_period as other_period
    from shared as mine
    join shared as others
        on others.participant_id = mine.participant_id
        and others.contract_id <> mine.contract_id
),

final as (
    {{ named_pairs }}
)

select * from final
