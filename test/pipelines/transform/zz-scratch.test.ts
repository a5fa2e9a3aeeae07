import { it } from 'vitest';
import { pipelineWith } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant } from '../../fixtures/returns.js';
it('dump', async () => {
  const p = await pipelineWith(testReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: [participant({ participant_id: 'P-1' }), participant({ participant_id: 'P-2', sex: 'male' })] },
  ], '2025-03-01');
  for (const q of ['select * from data_quality', 'select * from shared_performance where measure_id = \'referrals\'', 'select * from shared_outcomes where breakdown in (\'all\',\'sex\')', 'select * from returns_status limit 3'])
    console.log(JSON.stringify(await p.query(q), null, 1));
});
