/**
 * bench/differencing: the differencing checker (test/pipelines/transform/differencing) over a
 * whole store's published tables, suppressed_measure_values with them, a contract at a time
 * (ADR 044). No relation the checker knows crosses contracts (every sum, margin, year and
 * shared count is within one contract's rows), so attacking each contract's rows on its own
 * loses nothing and keeps the exact elimination to one contract's cells: over the whole demo
 * at once it did not finish.
 *
 *   OUTTURN_DATA_DIR=DIR npm run bench:differencing [-- --contract ID]
 *
 * Prints, per contract and in all, the hidden cells examined, those recovered and the seconds.
 */
import { parseArgs } from 'node:util';
import { loadReference } from '../pipelines/ingest/reference-store.js';
import { sqlString } from '../pipelines/duckdb/open.js';
import { openStore } from '../pipelines/store/open-store.js';
import { openCurated } from '../pipelines/transform/query.js';
import {
  checkSuppression,
  journeyMeasuresOf,
  measuresOf,
} from '../test/pipelines/transform/differencing/index.js';

const { values } = parseArgs({ options: { contract: { type: 'string' } } });
const published = [
  'suppressed_performance',
  'suppressed_performance_quarterly',
  'suppressed_performance_yearly',
  'suppressed_outcomes',
  'suppressed_costs',
  'suppressed_measure_values',
  'suppressed_claims_verification',
] as const;

const store = openStore();
const reference = await loadReference(store);
if (!reference) throw new Error('No reference data in the store: load the demo first.');
const db = await openCurated(store);
const query = async (sql: string) => (await db.query(sql)).rows;
const contracts = values.contract ? [values.contract] : reference.contracts.map((c) => c.id);
const options = { measures: measuresOf(reference), journeyMeasures: journeyMeasuresOf(reference) };

let examined = 0;
let recovered = 0;
const started = performance.now();
for (const contract of contracts) {
  const t0 = performance.now();
  const tables: Record<string, string> = {};
  for (const t of published) {
    const one = `one_${t}`;
    await db.connection.run(
      `create or replace temp table ${one} as select * from ${t} where contract_id = ${sqlString(contract)}`,
    );
    tables[t] = one;
  }
  const r = await checkSuppression(query, { ...options, tables });
  examined += r.examined;
  recovered += r.recovered.length;
  console.log(
    `${contract}: ${r.examined} hidden cells examined, ${r.recovered.length} recovered, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  for (const x of r.recovered.slice(0, 5))
    console.log(`  ${x.key} = ${x.truth} (${x.how}: ${x.detail})`);
}
console.log(
  `differencing checker, ${contracts.length} contracts: ${examined} hidden cells examined, ${recovered} recovered, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
db.close();
process.exitCode = recovered ? 1 : 0;
