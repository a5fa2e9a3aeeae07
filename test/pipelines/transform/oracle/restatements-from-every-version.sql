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
-- At national scale there are tens of millions of staged rows, and almost every participant
-- gains milestones as months go by, so pairing every row with the one before would be the cost
-- of the whole build. Instead one pass over the staged rows groups them by participant and asks
-- whether two different dates were ever given for a milestone, or a date was left blank after
-- being given, or the participant missed a return. Only the few participants for whom one of
-- those is true are read again, paired return by return (skipping pairs whose milestone dates
-- hash the same) and unpivoted to find which milestone changed, when, and from what to what.
with snapshots as (
    select
        contract_id,
        period,
        version,
        row_number() over (partition by contract_id order by period, version)::integer as snapshot_no
    from src_receipts
    where status = 'accepted' and kind = 'participant'
),

last_snapshots as (
    select contract_id, max(snapshot_no) as last_snapshot_no
    from snapshots
    group by contract_id
),

milestone_rows as (
    select
        staged.contract_id,
        staged.participant_id,
        snapshots.snapshot_no,
        {{ milestone_columns }},
        {{ milestones_given }} as milestones_given
    from src_participant_versions as staged
    join snapshots using (contract_id, period, version)
),

-- One row per participant. Only plain min, max, count and sum, because this reads every staged
-- row (a CASE per milestone made it four times slower at national scale):
--   two different dates for a milestone   ⟺ min(date) <> max(date)
--   a date left blank after it was given  ⟺ the rows giving it are not the last count(date)
--     rows. Summed over milestones: Σ snapshot_no × (milestones given in that row) equals
--     Σ over milestones of the sum of the last count(date) snapshot numbers exactly when every
--     milestone, once given, stays given (when the participant is in every return from their
--     first to their last; a gap is caught on its own).
histories as (
    select
        contract_id,
        participant_id,
        count(*) as returns_in,
        min(snapshot_no) as first_in,
        max(snapshot_no) as last_in,
        sum(snapshot_no * milestones_given) as given_weight,
        {{ milestone_aggregates }}
    from milestone_rows
    group by contract_id, participant_id
),

candidates as (
    select histories.contract_id, histories.participant_id
    from histories
    join last_snapshots using (contract_id)
    where histories.last_in < last_snapshots.last_snapshot_no
        or histories.returns_in < histories.last_in - histories.first_in + 1
        or {{ milestone_dates_differ }}
        or histories.given_weight <> {{ milestone_weight_if_kept }}
),

-- The candidates' rows, read again from the staged files (a few participants, not all), once:
-- materialized because the next steps read them three times.
candidate_rows as materialized (
    select staged.contract_id, staged.participant_id, snapshots.snapshot_no, {{ milestone_columns }}
    from src_participant_versions as staged
    join snapshots using (contract_id, period, version)
    semi join candidates
        on candidates.contract_id = staged.contract_id and candidates.participant_id = staged.participant_id
),

with_next as (
    select
        contract_id,
        participant_id,
        snapshot_no,
        hash({{ milestone_columns }}) as milestones_hash,
        lead(snapshot_no) over next_return as next_snapshot_no,
        lead(hash({{ milestone_columns }})) over next_return as next_milestones_hash
    from candidate_rows
    window next_return as (partition by contract_id, participant_id order by snapshot_no)
),

-- Pairs of consecutive returns where the participant's milestones differ, or where the
-- participant is missing from the later one.
changed as (
    select
        with_next.contract_id,
        with_next.participant_id,
        with_next.snapshot_no as before_no,
        with_next.snapshot_no + 1 as after_no,
        with_next.next_snapshot_no is not distinct from with_next.snapshot_no + 1 as in_next_return
    from with_next
    join last_snapshots using (contract_id)
    where with_next.snapshot_no < last_snapshots.last_snapshot_no
        and (
            with_next.next_snapshot_no is distinct from with_next.snapshot_no + 1
            or with_next.next_milestones_hash <> with_next.milestones_hash
        )
),

before_rows as (
    select changed.before_no, changed.after_no, changed.in_next_return, candidate_rows.contract_id, candidate_rows.participant_id, {{ milestone_columns }}
    from candidate_rows
    join changed
        on changed.contract_id = candidate_rows.contract_id
        and changed.participant_id = candidate_rows.participant_id
        and changed.before_no = candidate_rows.snapshot_no
),

after_rows as (
    select changed.before_no, changed.after_no, candidate_rows.contract_id, candidate_rows.participant_id, {{ milestone_columns }}
    from candidate_rows
    join changed
        on changed.contract_id = candidate_rows.contract_id
        and changed.participant_id = candidate_rows.participant_id
        and changed.after_no = candidate_rows.snapshot_no
),

-- Unpivoting leaves out blank dates: a milestone absent before cannot be restated.
before_long as (
    unpivot before_rows
    on {{ milestone_columns }}
    into name milestone value value_before
),

after_long as (
    unpivot after_rows
    on {{ milestone_columns }}
    into name milestone value value_after
),

restated as (
    select
        before_long.contract_id,
        before_long.participant_id,
        before_long.milestone,
        before_long.before_no,
        before_long.after_no,
        before_long.value_before,
        after_long.value_after,
        before_long.in_next_return
    from before_long
    left join after_long using (contract_id, participant_id, before_no, after_no, milestone)
    where after_long.value_after is distinct from before_long.value_before
),

final as (
    select
        restated.contract_id,
        restated.participant_id,
        restated.milestone,
        snapshot_before.period as period_before,
        snapshot_before.version::integer as version_before,
        restated.value_before,
        snapshot_after.period as period_after,
        snapshot_after.version::integer as version_after,
        restated.value_after,
        snapshot_before.period = snapshot_after.period as resubmission,
        case
            when restated.value_after is not null then 'changed'
            when restated.in_next_return then 'cleared'
            else 'participant_removed'
        end as change
    from restated
    join snapshots as snapshot_before
        on snapshot_before.contract_id = restated.contract_id and snapshot_before.snapshot_no = restated.before_no
    join snapshots as snapshot_after
        on snapshot_after.contract_id = restated.contract_id and snapshot_after.snapshot_no = restated.after_no
)

select * from final
