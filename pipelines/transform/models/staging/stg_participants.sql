-- Every participant as the newest accepted return of their contract reports them: the truth.
with latest as (
    select * from src_participants_latest
)

select
    contract_id,
    period as as_at_period,
    {{ participant_columns }}
from latest
