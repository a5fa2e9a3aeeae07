-- A data-quality score per contract and month, after NHS England's Data Quality Maturity Index
-- (DQMI), in four parts, each a share from 0 to 1 (docs/methods/data-quality-score.md):
--
--   coverage      returns received (a version accepted and in force) of the returns due, from
--                 the start of the term to this month (a month is due once its deadline has
--                 passed, or sooner if a return came)
--   completeness  of the fields that are optional but expected of every participant (fields.ts
--                 `expected`), the share filled, over the participant rows of this month's return
--   validity      the share of values in this month's return with no warning on them (an
--                 accepted return has no errors, so only warnings count against it)
--   not_known     of the filled values of the coded fields that have a "not known" code, the
--                 share that are "not known" or "not stated" (lower is better)
--
-- The score is the mean of coverage, completeness, validity and 1 − not_known, when this month
-- has a return in force; a month with none has coverage only, and no score. An aggregate return
-- has no participant rows, so no completeness or not_known share: its score is the mean of the
-- other two. Counts of rows and returns, never a participant's value.
with contracts as (
    select * from stg_contracts
),

months as (
    select contract_id, period, status
    from returns_status
    where status <> 'not_yet_due'
),

coverage as (
    select
        contract_id,
        period,
        count(*) over to_date as returns_due,
        count(*) filter (where status in ('accepted_on_time', 'accepted_late')) over to_date as returns_received
    from months
    window to_date as (partition by contract_id order by period rows between unbounded preceding and current row)
),

-- The return in force for each month; a contract that sends both kinds for a month is scored
-- on its participant return (data_quality checks the aggregate against it).
in_force as (
    select receipt_id, contract_id, period, kind, row_count
    from src_receipts
    where status = 'accepted' and state = 'in_force'
    qualify row_number() over (partition by contract_id, period order by kind = 'participant' desc, receipt_id) = 1
),

-- The values each warning is about: a cell (a row and a column); a warning about a whole row
-- or the whole return names no value.
warned as (
    select warnings.receipt_id, count(distinct (warnings.row_number, warnings.column_name)) as warned_values
    from src_receipt_warnings as warnings
    join in_force using (receipt_id)
    where warnings.row_number is not null and warnings.column_name is not null
    group by warnings.receipt_id
),

participant_rows as (
    select
        versions.receipt_id,
        ({{ expected_filled }}) as expected_filled,
        ({{ coded_filled }}) as coded_filled,
        ({{ coded_not_known }}) as coded_not_known
    from src_participant_versions as versions
    join in_force using (receipt_id)
),

filled as (
    select
        receipt_id,
        sum(expected_filled)::bigint as expected_filled,
        sum(coded_filled)::bigint as coded_filled,
        sum(coded_not_known)::bigint as coded_not_known
    from participant_rows
    group by receipt_id
),

returns as (
    select
        in_force.contract_id,
        in_force.period,
        in_force.kind,
        in_force.row_count,
        case in_force.kind when 'aggregate' then {{ aggregate_fields }} else {{ participant_fields }} end as fields,
        coalesce(warned.warned_values, 0) as warned_values,
        filled.expected_filled,
        filled.coded_filled,
        filled.coded_not_known
    from in_force
    left join warned using (receipt_id)
    left join filled using (receipt_id)
),

parts as (
    select
        coverage.contract_id,
        coverage.period,
        coverage.returns_due::integer as returns_due,
        coverage.returns_received::integer as returns_received,
        coverage.returns_received / coverage.returns_due as coverage,
        case when returns.kind = 'participant' and returns.row_count > 0
            then returns.expected_filled / (returns.row_count * {{ expected_fields }}) end as completeness,
        case when returns.row_count > 0
            then 1 - returns.warned_values / (returns.row_count * returns.fields) end as validity,
        case when returns.kind = 'participant' and returns.coded_filled > 0
            then returns.coded_not_known / returns.coded_filled end as not_known,
        returns.row_count as rows_in_return
    from coverage
    left join returns using (contract_id, period)
),

final as (
    select
        parts.contract_id,
        contracts.programme_id,
        contracts.provider_id,
        parts.period,
        parts.returns_due,
        parts.returns_received,
        round(parts.coverage, 4) as coverage,
        round(parts.completeness, 4) as completeness,
        round(parts.validity, 4) as validity,
        round(parts.not_known, 4) as not_known,
        case when parts.validity is not null then round(
            (parts.coverage + coalesce(parts.completeness, 0) + parts.validity + coalesce(1 - parts.not_known, 0))
            / (2 + (parts.completeness is not null)::integer + (parts.not_known is not null)::integer),
            4
        ) end as score,
        parts.rows_in_return
    from parts
    join contracts using (contract_id)
)

select * from final
