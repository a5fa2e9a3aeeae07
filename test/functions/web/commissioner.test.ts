import { it } from 'vitest';
import { openCurated } from '../../../pipelines/transform/query.js';
import { webFixture } from './fixture.js';
it('dump', async () => {
  const f = await webFixture();
  const db = await openCurated(f.pipeline.store);
  for (const t of ['shared_performance', 'shared_outcomes', 'provider_timeliness']) {
    const r = await db.query(`select * from ${t} order by all`);
    console.log(t, JSON.stringify(r.rows, null, 0).replaceAll('},{', '},\n{'));
  }
  db.close();
}, 60000);
