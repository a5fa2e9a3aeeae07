-- A data-quality score per contract and month, after NHS England's Data Quality Maturity Index
-- (DQMI), in four parts, each a share from 0 to 1 (docs/methods/data-quality-score.md):
--
--   coverage      returns received (a version accepted and in force) of the returns due, from
--                 the start of the term to this month (a month is due once its deadline has
--                 passed, or sooner if a return came): the one part that reads the date, from
--                 returns_status, which reads only receipts
--   completeness  of the fields that are optional but expected of every participant (fields.ts
--                 `expected`), the share filled, over the participant rows of this month's return
--   validity      the share of values in this month's return with no warning on them (an
--                 accepted return has no errors, so only warnings count)
--   not_known     of the filled values of the coded fields that have a "not known" code, the
--                 share that are "not known" or "not stated" (lower is better)
--
-- The other three come from int_return_quality, the counts made at ingest (ADR 051): this model
-- reads the date but no participant rows, so a build as at a new day rebuilds it for every
-- contract from the previous build's files.
--
-- The score is the mean of coverage, completeness, validity and 1 − not_known, when this month
-- has a return in force; a month with none has coverage only, and no score. An aggregate return
-- has no participant rows, so no completeness or not_known share: its score is the mean of the
-- other two. A participant return of fewer than {{ smallest_shown }} rows has its shares and
-- score withheld: they would be fractions of the records of one to four people.
with months as (
    select contract_id, programme_id, provider_id, period, status
    from returns_status
    where status <> 'not_yet_due'
),

coverage as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        count(*) over to_date as returns_due,
        count(*) filter (where status in ('accepted_on_time', 'accepted_late')) over to_date as returns_received
    from months
    window to_date as (partition by contract_id order by period rows between unbounded preceding and current row)
),

returns as (
    select
        *,
        kind = 'participant' and rows_in_return < {{ smallest_shown }} as withheld
    from int_return_quality
),

parts as (
    select
        coverage.contract_id,
        coverage.programme_id,
        coverage.provider_id,
        coverage.period,
        coverage.returns_due::integer as returns_due,
        coverage.returns_received::integer as returns_received,
        coverage.returns_received / coverage.returns_due as coverage,
        returns.kind,
        coalesce(returns.withheld, false) as withheld,
        case when returns.kind = 'participant' and returns.rows_in_return > 0
            then returns.expected_filled / (returns.rows_in_return * returns.expected_fields) end as completeness,
        case when returns.rows_in_return > 0
            then 1 - returns.warned_values / (returns.rows_in_return * returns.fields) end as validity,
        case when returns.kind = 'participant' and returns.coded_filled > 0
            then returns.coded_not_known / returns.coded_filled end as not_known
    from coverage
    left join returns using (contract_id, period)
),

final as (
    select
        contract_id,
        programme_id,
        provider_id,
        period,
        returns_due,
        returns_received,
        round(coverage, 4) as coverage,
        case when not withheld then round(completeness, 4) end as completeness,
        case when not withheld then round(validity, 4) end as validity,
        case when not withheld then round(not_known, 4) end as not_known,
        case when validity is not null and not withheld then round(
            (coverage + coalesce(completeness, 0) + validity + coalesce(1 - not_known, 0))
            / (2 + (completeness is not null)::integer + (not_known is not null)::integer),
            4
        ) end as score,
        kind as return_kind,
        withheld
    from parts
)

select * from final
