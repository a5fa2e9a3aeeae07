-- One row per participant and milestone reached, with the month it falls in: the long form
-- that measures (defined as data, naming a milestone) count from.
with participants as (
    select contract_id, participant_id, {{ milestone_columns }}
    from stg_participants
),

unpivoted as (
    unpivot participants
    on {{ milestone_columns }}
    into name milestone value milestone_date
)

select
    contract_id,
    participant_id,
    milestone,
    milestone_date,
    strftime(milestone_date, '%Y-%m') as period
from unpivoted
