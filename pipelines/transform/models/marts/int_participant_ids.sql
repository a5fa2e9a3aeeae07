-- Each contract's participant ids as its newest return has them, with a hash of each: the small
-- per-contract summary that the cross-contract check for double claims reads (ADR 031). Written
-- per contract by each contract's build, so a new return for one contract rewrites only its own
-- summary, and the global check never reads any contract's staged returns.
with participants as (
    select contract_id, participant_id, as_at_period
    from stg_participants
)

select
    contract_id,
    (hash(participant_id) >> 1)::bigint as participant_hash,
    participant_id,
    as_at_period
from participants
