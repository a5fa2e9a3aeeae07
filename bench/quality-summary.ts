/**
 * bench/quality-summary: what counting a return's quality summary at ingest (ADR 051) adds to
 * ingesting it. One demo contract is scaled to about --participants rows in its final return;
 * its last returns are ingested through the real ingest (validate, receipt, stage, change
 * records, quality summary), then each one's summary is deleted and made again from the staged
 * file alone. Printed as ratios within this run (the machine is shared: compare ratios only):
 *
 *   summary / ingest          the share of an ingest the summary costs
 *   summary / staged scan     against DuckDB reading the same staged Parquet into a table
 *
 *   npx tsx bench/quality-summary.ts [-- --participants 100000 --returns 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemo } from '../pipelines/demo/index.js';
import { openDuckDb } from '../pipelines/duckdb/open.js';
import { ensureQualitySummary, qualitySummaryKey } from '../pipelines/ingest/quality.js';
import { putReference } from '../pipelines/ingest/reference-store.js';
import { closeStagingDb } from '../pipelines/ingest/stage.js';
import { LocalStore } from '../pipelines/store/local-store.js';
import { median, timedDemoIngest, timedDuckDbRead } from './timing.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '100000' },
    returns: { type: 'string', default: '5' },
  },
});
const target = Number(values.participants);
const measured = Number(values.returns);
const months = 12;

const calibrate = generateDemo({ contracts: 1, months, scale: 1 });
const [only] = calibrate.reference.contracts;
const scale = target / calibrate.rowCount(only!.id, only!.end_period);
const demo = generateDemo({ contracts: 1, months, scale });
const dir = await mkdtemp(join(tmpdir(), 'outturn-bench-quality-'));
const store = new LocalStore(dir);
await putReference(store, demo.reference);
const { instance, connection } = await openDuckDb({ memoryLimit: '1GB' });

const ingestMs: number[] = [];
const summaryMs: number[] = [];
const scanMs: number[] = [];
let rows = 0;
try {
  const submissions = demo.submissions;
  for (const [i, s] of submissions.entries()) {
    const { receipt, ms } = await timedDemoIngest(store, demo, s);
    if (receipt.status !== 'accepted' || i < submissions.length - measured) continue;
    rows = receipt.counts.rows;
    ingestMs.push(ms);
    const version = {
      contract_id: receipt.contract_id,
      period: receipt.period,
      version: receipt.version,
      kind: receipt.kind,
      staged_key: receipt.staged_key,
    };
    const warnings = receipt.report.problems.filter((p) => p.severity === 'warning');
    const staged = await store.localFile(receipt.staged_key);
    await store.delete(qualitySummaryKey(version));
    const u = performance.now();
    await ensureQualitySummary(store, version, warnings, staged);
    summaryMs.push(performance.now() - u);
    scanMs.push(await timedDuckDbRead(connection, 'parquet', staged));
  }
  const [ing, sum, scan] = [median(ingestMs), median(summaryMs), median(scanMs)];
  console.log(
    `Quality summary of a ${rows.toLocaleString('en-GB')}-row participant return (median of ${summaryMs.length}):`,
  );
  console.log(
    `  summary / ingest        ${(sum / ing).toFixed(3)}  (${sum.toFixed(0)} / ${ing.toFixed(0)} ms)`,
  );
  console.log(
    `  summary / staged scan   ${(sum / scan).toFixed(2)}  (${sum.toFixed(0)} / ${scan.toFixed(0)} ms)`,
  );
} finally {
  connection.closeSync();
  instance.closeSync();
  await closeStagingDb();
  await rm(dir, { recursive: true, force: true });
}
