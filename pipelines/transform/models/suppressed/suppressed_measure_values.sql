-- Programme-defined measures for commissioners: each contract's figures to date and by
-- programme year, by every breakdown, with no count of 1 to 4 shown nor able to be worked out
-- from the rest of the table (docs/decisions/021-suppression-that-holds.md,
-- 024-programme-defined-measures.md).
--
--   periods   the term to date, and the programme years (people counted in the year of the
--             measure's own date); one partition of the term only, so no two overlapping
--             periods can be differenced into a small one
--   cells     every count a row shows is a cell, and one count shown in several rows (a
--             rate's denominator and the count it is of; a duration's people in its mean, its
--             bands and its standard; the people two measures with the same definition count)
--             is one cell, hidden everywhere or nowhere
--   sums      the cells that add up to another: the values of a breakdown to its total; the
--             programme years to the term; the categories of a distribution to its people;
--             the transitions to both their margins; a duration's bands to its people and its
--             cumulative shares
--   primary   a cell of 1 to 4 is hidden
--   nested    a count is hidden, when not 0, wherever the count it is part of is; and the
--             count it is part of is hidden with it when the two are equal (ADR 046)
--   secondary in every sum, where a part is hidden the smallest other non-zero parts are hidden
--             too until at least two are and together come to 5 or more; a hidden total has
--             a hidden part; a total with one non-zero part is hidden with it. Repeated until
--             nothing changes, a pass at a time (a contract that has not settled after the
--             last pass has every count hidden)
--   audit     once the passes settle, the build attacks the sums as a reader would (exact
--             elimination and bounds) and, for each hidden cell it can work out, hides one more
--             cell that frees it; the passes resume, until the attack finds nothing (ADR 050)
--   figures   a rate, share, mean or median is hidden with the counts it comes from
--
-- A model that runs to a fixed point (ADR 044): each `-- @table` section is built as a working
-- table in order; then the `-- @pass` section (the cells one pass hides, from smv_state and the
-- cells the pass before hid, smv_changed) is run and `-- @apply`ed to smv_state until a pass
-- hides nothing, at most SUPPRESSION_PASSES times; the `-- @select` section is the model.

-- @table smv_row_cells
with measure_defs as (
    {{ measure_defs }}
),

published as (
    select
        mv.*,
        d.sig::varchar as sig,
        d.of_sig::varchar as of_sig,
        d.field::varchar as field,
        d.across::varchar as across
    from measure_values as mv
    join measure_defs as d using (programme_id, measure_id)
    where mv.cohort = 'event' and mv.grain in ('to_date', 'programme_year')
)

-- The cell of each row's participants (p_cell) and of its denominator (d_cell), named by what
-- they count, within the row's contract, period and breakdown value. A mean or sum's denominator
-- is its participants, so it is their cell: hidden with them, never shown beside a hidden one.
select
    *,
    concat_ws('|', contract_id, grain, period, breakdown, breakdown_value) as context,
    case
        when kind in ('count_of_milestone', 'count_meeting_condition', 'numeric', 'rate') then 'm:' || sig
        when statistic in ('mean', 'median') then 'm:' || sig
        when statistic = 'band' then 'b:' || measure_id || ':' || category
        when statistic = 'cumulative' then 'c:' || measure_id || ':' || category
        when statistic = 'within' then 'w:' || measure_id
        when across is null then 'f:' || sig || ':' || field || '=' || category
        else 'p:' || sig || ':' || field || '=' || category || ':' || across || '=' || group_value
    end as p_cell,
    case
        when denominator is null then null
        when kind = 'numeric' then 'm:' || sig
        when kind = 'rate' then 'm:' || of_sig
        when kind = 'duration' or across is null then 'm:' || sig
        else 'f:' || sig || ':' || across || '=' || group_value
    end as d_cell
from published
;

-- @table smv_cells
with cell_values as (
    select contract_id, grain, period, breakdown, breakdown_value, context, p_cell as cell, participants as value
    from smv_row_cells
    union all
    select contract_id, grain, period, breakdown, breakdown_value, context, d_cell, denominator
    from smv_row_cells
    where d_cell is not null
)

select
    *,
    -- Numbered in the order of their keys, so that a tie broken by the number is broken as by
    -- the key: the passes join and rank cells by this number (ADR 048).
    row_number() over (order by cell_key) as cell_id
from (
    select
        contract_id, grain, period, breakdown, breakdown_value, context, cell,
        context || '|' || cell as cell_key,
        case
            when min(value) = max(value) then min(value)
            else error('suppressed_measure_values: the cell ' || context || '|' || cell || ' has two values')
        end as value
    from cell_values
    group by contract_id, grain, period, breakdown, breakdown_value, context, cell
)
;

-- @table smv_memberships
with band_defs as (
    {{ band_defs }}
),

cumulative_defs as (
    {{ cumulative_defs }}
),

-- Each sum as a group: its total (is_total) and its parts.
sums as (
    -- The values of a breakdown add up to its total.
    select 'b|' || concat_ws('|', contract_id, grain, period, breakdown, cell) as group_id,
           cell_key, false as is_total,
           concat_ws('|', contract_id, grain, period, 'all', 'all', cell) as total_key
    from smv_cells where breakdown <> 'all'
    union all
    -- The programme years add up to the term to date.
    select 'y|' || concat_ws('|', contract_id, breakdown, breakdown_value, cell),
           cell_key, false,
           concat_ws('|', contract_id, 'to_date', 'to date', breakdown, breakdown_value, cell)
    from smv_cells where grain = 'programme_year'
    union all
    -- A distribution's categories add up to its people; so do the groups a transitions table
    -- is taken within (status at referral).
    select 'f|' || context || '|' || sig || '|' || field, context || '|' || p_cell, false, context || '|m:' || sig
    from smv_row_cells where kind = 'distribution' and across is null
    union all
    select 'f|' || context || '|' || sig || '|' || across, context || '|' || d_cell, false, context || '|m:' || sig
    from smv_row_cells where kind = 'distribution' and across is not null
    union all
    -- A transitions table adds up across each row to the group's people, and down each
    -- column to the people at that status (a distribution of the same people, when shown).
    select 'g|' || context || '|' || d_cell || '|' || field, context || '|' || p_cell, false, context || '|' || d_cell
    from smv_row_cells where kind = 'distribution' and across is not null
    union all
    select 'h|' || context || '|' || sig || '|' || field || '=' || category || '|' || across,
           context || '|' || p_cell, false, context || '|f:' || sig || ':' || field || '=' || category
    from smv_row_cells where kind = 'distribution' and across is not null
    union all
    -- A duration's bands add up to its people; each cumulative share is the one before it and
    -- one more band; the last and the band above it are all the people.
    select 'n|' || context || '|' || measure_id, context || '|' || p_cell, false, context || '|' || d_cell
    from smv_row_cells where statistic = 'band'
    union all
    select 'u|' || c.context || '|' || c.measure_id || '|' || c.category,
           c.context || '|' || part, false, c.context || '|' || c.p_cell
    from smv_row_cells as c
    join cumulative_defs as k on k.programme_id = c.programme_id and k.measure_id = c.measure_id and k.category = c.category
    join (
        select b.programme_id, b.measure_id, b.band_order as up_to, 'b:' || b.measure_id || ':' || b.category as part
        from band_defs as b
        union all
        select k2.programme_id, k2.measure_id, k2.up_to + 1, 'c:' || k2.measure_id || ':' || k2.category
        from cumulative_defs as k2
    ) as parts on parts.programme_id = c.programme_id and parts.measure_id = c.measure_id and parts.up_to = k.up_to
    where c.statistic = 'cumulative'
    union all
    select 'v|' || c.context || '|' || c.measure_id, c.context || '|' || part, false, c.context || '|' || c.d_cell
    from smv_row_cells as c
    join (
        select k.programme_id, k.measure_id, 'c:' || k.measure_id || ':' || k.category as part
        from cumulative_defs as k
        where k.up_to = (select max(up_to) from cumulative_defs as l where l.programme_id = k.programme_id and l.measure_id = k.measure_id)
        union all
        select b.programme_id, b.measure_id, 'b:' || b.measure_id || ':' || b.category
        from band_defs as b
        where b.band_order = (select max(band_order) from band_defs as l where l.programme_id = b.programme_id and l.measure_id = b.measure_id)
    ) as parts using (programme_id, measure_id)
    where c.statistic = 'cumulative'
)

-- Sums and cells by number (ADR 048).
, keyed as (
    select distinct group_id, s.cell_key, false as is_total
    from sums as s
    join smv_cells using (cell_key)
    where s.total_key in (select cell_key from smv_cells)
    union
    select distinct group_id, total_key, true
    from sums
    where total_key in (select cell_key from smv_cells)
)

select dense_rank() over (order by keyed.group_id) as group_id, smv_cells.cell_id, keyed.is_total
from keyed
join smv_cells using (cell_key)
;

-- @table smv_nested
-- A count is part of the count a row takes it over (a rate's numerator of its denominator,
-- a band or standard of the duration's people, a share of its group's people).
select parts.cell_id as part, wholes.cell_id as whole
from (
    select distinct context || '|' || p_cell as part, context || '|' || d_cell as whole
    from smv_row_cells
    where d_cell is not null and d_cell <> p_cell
) as n
join smv_cells as parts on parts.cell_key = n.part
join smv_cells as wholes on wholes.cell_key = n.whole
;

-- @table smv_state
-- Each cell, and whether it is hidden: by the primary rule to start with.
select cell_id, contract_id, value, value between 1 and 4 as hidden
from smv_cells
;

-- @table smv_changed
-- The cells hidden by the pass before: at first, by the primary rule.
select cell_id from smv_state where hidden
;

-- @pass
-- The cells one pass hides (see SUPPRESSION_PASSES in suppressed_measure_values.ts).
{{ pass }}
;

-- @apply
-- The build runs this after each pass that hid a cell, with that pass's cells as smv_pass.
update smv_state set hidden = true
from smv_pass
where smv_state.cell_id = smv_pass.cell_id
;

-- @select
with unsettled as (
    select distinct s.contract_id from smv_pass join smv_state as s using (cell_id)
),

decided_cells as (
    select
        c.cell_key,
        s.hidden or (s.value > 0 and s.contract_id in (select contract_id from unsettled)) as hidden
    from smv_state as s
    join smv_cells as c using (cell_id)
),

flags as (
    select
        r.contract_id, r.measure_id, r.grain, r.period, r.breakdown, r.breakdown_value,
        r.statistic, r.category, r.group_value,
        p.hidden as p_hidden,
        coalesce(d.hidden, false) as d_hidden
    from smv_row_cells as r
    join decided_cells as p on p.cell_key = r.context || '|' || r.p_cell
    left join decided_cells as d on d.cell_key = r.context || '|' || r.d_cell
),

-- The referral cohort's figures to date are the event cohort's (the same people over the whole
-- term), so they take the same decisions.
decided as (
    select measure_values.*, flags.p_hidden, flags.d_hidden
    from measure_values
    join flags using (contract_id, measure_id, grain, period, breakdown, breakdown_value, statistic, category, group_value)
    where measure_values.cohort = 'event' or measure_values.grain = 'to_date'
),

final as (
    select
        {{ columns }}
    from decided
)

select * from final
