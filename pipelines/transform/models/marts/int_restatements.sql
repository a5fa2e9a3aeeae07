-- Restated milestones: a milestone date that an accepted return changed or took away, compared
-- with the accepted return just before it. The returns of a contract are put in order of period,
-- then version, and each is compared with the one before:
--
--   ... → (M−1, newest version) → (M, v1) → (M, v2) → ... → (M, newest) → (M+1, v1) → ...
--
-- so a change between months appears once (period_before < period_after), and a change made by a
-- resubmission appears once too (period_before = period_after, version_before < version_after).
-- A milestone given for the first time is progress, not a restatement, and is not listed. A
-- participant missing from the next return has each of their milestones listed as removed.
--
-- The comparison is made once, at ingest, between the new return and the one before it, and
-- kept as change records beside the staged version (pipelines/ingest/changes.ts, ADR 031): this
-- model reads those records for each consecutive pair of returns, never every version.
with change_records as (
    select * from src_change_records
)

select
    contract_id,
    participant_id,
    milestone,
    period_before,
    version_before,
    value_before,
    period_after,
    version_after,
    value_after,
    resubmission,
    change
from change_records
