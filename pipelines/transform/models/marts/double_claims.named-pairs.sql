-- One row per pair of contracts sharing an id, with both contracts' programme and providers,
-- from the including model's `pairs` and `contracts` (double_claims.sql and its incremental form).
select
    pairs.contract_id,
    contracts.programme_id,
    contracts.provider_id,
    pairs.participant_id,
    pairs.period,
    pairs.other_contract_id,
    other.provider_id as other_provider_id,
    other.provider_name as other_provider_name,
    pairs.other_period
from pairs
join contracts using (contract_id)
join contracts as other on other.contract_id = pairs.other_contract_id

