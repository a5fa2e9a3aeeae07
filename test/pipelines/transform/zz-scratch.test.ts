import { expect, it } from 'vitest';
import { pipelineWith } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';
import { participant } from '../../fixtures/returns.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
it('incremental', async () => {
  const p = await pipelineWith(testReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: [participant({ participant_id: 'P-1' }), participant({ participant_id: 'P-2', sex: 'male' })] },
    { contractId: 'vrs-test', period: '2025-01', rows: [participant({ participant_id: 'P-1' })] },
  ], '2025-03-01');
  await p.ingest([{ contractId: 'plp-test', period: '2025-02', rows: [participant({ participant_id: 'P-1', start_date: '2025-01-21' }), participant({ participant_id: 'P-3', referral_date: '2025-02-03', first_contact_date: '', start_date: '' })] }]);
  const r = await rebuild(p.store, { asOf: '2025-03-01', contracts: ['plp-test'] });
  console.log(r.manifest.scope);
  const qs = ['select * from data_quality order by all', 'select * from provider_timeliness order by all', 'select * from returns_status order by all', 'select * from int_restatements order by all', 'select * from shared_outcomes order by all'];
  const inc = await Promise.all(qs.map((q) => p.query(q)));
  await rebuild(p.store, { asOf: '2025-03-01' });
  const full = await Promise.all(qs.map((q) => p.query(q)));
  console.log(JSON.stringify(inc[0], null, 1), JSON.stringify(inc[3]));
  expect(inc).toEqual(full);
});
