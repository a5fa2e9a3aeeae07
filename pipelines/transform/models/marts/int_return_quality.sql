-- The counts each contract's return in force for each month is scored on (ADR 051), read from
-- the quality summaries made at ingest (one row per field of each version: rows, filled, not
-- known, warned), never from participant rows: a contract's returns cost one small file each.
-- A contract that sends both kinds for a month is scored on its participant return
-- (data_quality checks the aggregate against it). No version or receipt is kept: the same
-- return sent again (a new version, the same values) gives the same row.
with in_force as (
    select contract_id, period, kind, version
    from src_receipts
    where status = 'accepted' and state = 'in_force'
    qualify row_number() over (partition by contract_id, period order by kind = 'participant' desc, receipt_id) = 1
),

summaries as (
    select
        contract_id,
        period,
        kind,
        version,
        max(rows) as rows_in_return,
        count(*) as fields,
        count(*) filter (where field in ({{ expected_fields }})) as expected_fields,
        coalesce(sum(filled) filter (where field in ({{ expected_fields }})), 0) as expected_filled,
        coalesce(sum(filled) filter (where not_known is not null), 0) as coded_filled,
        coalesce(sum(not_known), 0) as coded_not_known,
        coalesce(sum(warned), 0) as warned_values
    from src_quality_summaries
    group by contract_id, period, kind, version
)

select
    in_force.contract_id,
    in_force.period,
    in_force.kind,
    summaries.rows_in_return::integer as rows_in_return,
    summaries.fields::integer as fields,
    summaries.expected_fields::integer as expected_fields,
    summaries.expected_filled::integer as expected_filled,
    summaries.coded_filled::integer as coded_filled,
    summaries.coded_not_known::integer as coded_not_known,
    summaries.warned_values::integer as warned_values
from in_force
join summaries using (contract_id, period, kind, version)
