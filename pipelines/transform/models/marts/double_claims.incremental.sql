-- double_claims after an incremental build (ADR 047): the same rows as double_claims.sql, made
-- from the rows of the build before (`previous_rows`) and the contracts this build rebuilt
-- (`rebuilt_contracts`). A row names two contracts; one that names neither rebuilt contract is
-- as it was (the other contracts' ids are the same files, the reference data the same), so only
-- the pairs with a rebuilt contract on either side are found again: the ids whose hash is among
-- the rebuilt contracts' hashes, compared by id. Its cost is the rebuilt contracts' ids and one
-- scan of every contract's hashes, not a grouping of the nation's ids.
with rebuilt as (
    select contract_id from rebuilt_contracts
),

kept as (
    select *
    from previous_rows
    where contract_id not in (select contract_id from rebuilt)
        and other_contract_id not in (select contract_id from rebuilt)
),

rebuilt_hashes as (
    select distinct participant_hash
    from int_participant_ids
    where contract_id in (select contract_id from rebuilt)
),

candidates as (
    select contract_id, participant_hash, participant_id, as_at_period
    from int_participant_ids
    semi join rebuilt_hashes using (participant_hash)
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
    from candidates as mine
    join candidates as others
        on others.participant_id = mine.participant_id
        and others.contract_id <> mine.contract_id
    where mine.contract_id in (select contract_id from rebuilt)
        or others.contract_id in (select contract_id from rebuilt)
),

found as (
    {{ named_pairs }}
)

select * from kept
union all
select * from found
