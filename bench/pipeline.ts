/**
 * bench/pipeline: the pipeline at national scale — 100 contracts, 2 million participants,
 * 36 months of caseload snapshots — ingested through the real ingest (validate, receipt,
 * stage to Parquet), then a full rebuild of every mart. Each figure is printed beside a
 * baseline measured in the same run:
 *
 *   ingest per return        vs DuckDB's read_csv of the same file (sampled returns)
 *   full rebuild time, peak  vs DuckDB reading all the same staged Parquet into a table
 *   memory (separate processes, peak RSS from /usr/bin/time)
 *
 *   npm run bench:pipeline [-- --contracts 100 --participants 2000000 --months 36 --dir DIR]
 *
 * With --dir, a store already loaded there by an earlier run is reused and only the builds are
 * timed (an empty or new folder is loaded first).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { generateDemo } from '../pipelines/demo/index.js';
import { openDuckDb, sqlString } from '../pipelines/duckdb/open.js';
import { isoDate, today } from '../pipelines/calendar/days.js';
import { changeRecordsKey, consecutivePairs, inReturnOrder } from '../pipelines/ingest/changes.js';
import { ingestReturn, listReceipts } from '../pipelines/ingest/ingest.js';
import type { AcceptedReceipt } from '../pipelines/ingest/receipt.js';
import { loadReference, putReference } from '../pipelines/ingest/reference-store.js';
import { closeStagingDb } from '../pipelines/ingest/stage.js';
import { LocalStore } from '../pipelines/store/local-store.js';
import type { StepTiming } from '../pipelines/transform/build.js';
import { rebuild } from '../pipelines/transform/rebuild.js';
import { median, timedDemoIngest, timedDuckDbRead } from './timing.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: '100' },
    participants: { type: 'string', default: '2000000' },
    months: { type: 'string', default: '36' },
    dir: { type: 'string' },
  },
});
const contracts = Number(values.contracts);
const months = Number(values.months);
const target = Number(values.participants);
const root = join(import.meta.dirname, '..');
const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'outturn-bench-pipeline-')));
const store = new LocalStore(dir);
const log = (s: string) => process.stderr.write(s);

async function loadStore(): Promise<{
  returns: number;
  rows: number;
  ingestMs: number[];
  duckMs: number[];
  sampleIngestMs: number[];
}> {
  const calibrate = generateDemo({ contracts, months, scale: 1 });
  const last = calibrate.reference.contracts.map((c) => calibrate.rowCount(c.id, c.end_period));
  const scale = target / last.reduce((a, b) => a + b, 0);
  const demo = generateDemo({ contracts, months, scale });
  await putReference(store, demo.reference);
  const finalRows = demo.reference.contracts.reduce(
    (n, c) => n + demo.rowCount(c.id, c.end_period),
    0,
  );
  log(
    `Scale ${scale.toFixed(2)}: ${demo.reference.contracts.length} contracts, ${finalRows.toLocaleString('en-GB')} participants in the final returns, ${demo.submissions.length} returns\n`,
  );

  const { connection } = await openDuckDb({ memoryLimit: '2GB' });
  const scratch = await mkdtemp(join(tmpdir(), 'outturn-bench-csv-'));
  const ingestMs: number[] = [];
  const duckMs: number[] = [];
  const sampleIngestMs: number[] = [];
  let rows = 0;
  let done = 0;
  const started = Date.now();
  // Contract by contract (the generator keeps one caseload in memory), each in submission order.
  for (const contract of demo.reference.contracts) {
    for (const s of demo.submissions.filter((x) => x.contract_id === contract.id)) {
      const { receipt, ms, bytes } = await timedDemoIngest(store, demo, s);
      ingestMs.push(ms);
      if (receipt.status !== 'accepted')
        throw new Error(`${s.file} was rejected: ${receipt.report.problems[0]?.message}`);
      rows += receipt.counts.rows;
      // Every 40th return, the same file through DuckDB's read_csv as the baseline.
      if (done % 40 === 0) {
        const file = join(scratch, 'r.csv');
        await writeFile(file, bytes);
        duckMs.push(await timedDuckDbRead(connection, 'csv', file));
        sampleIngestMs.push(ms);
      }
      done++;
      if (done % 50 === 0 || done === demo.submissions.length)
        log(
          `\rIngested ${done} of ${demo.submissions.length} returns (${rows.toLocaleString('en-GB')} rows, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
    }
  }
  log('\n');
  await rm(scratch, { recursive: true, force: true });
  return { returns: done, rows, ingestMs, duckMs, sampleIngestMs };
}

/** Runs a command in its own process and reads its peak memory from /usr/bin/time. */
async function measured(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ seconds: number; peakMiB: number; stdout: string }> {
  const t = performance.now();
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'PEAK_KB %M', cmd, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t) / 1000;
  const kb = Number(/PEAK_KB (\d+)/.exec(stderr)?.[1]);
  return { seconds, peakMiB: kb / 1024, stdout };
}

// With --dir, a store already loaded there is reused; an empty one is loaded first.
const reused = values.dir !== undefined && (await store.list('submissions/')).length > 0;
const loaded = reused ? null : await loadStore();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const receipts = await listReceipts(store);
const participantVersions = receipts
  .filter((r): r is AcceptedReceipt => r.status === 'accepted' && r.kind === 'participant')
  .map((r) => ({
    contract_id: r.contract_id,
    period: r.period,
    version: r.version,
    staged_key: r.staged_key,
  }));
const lastSent = receipts.reduce((t, r) => (r.submitted_at > t ? r.submitted_at : t), '');
// The uploads are sent the day after the last return, and the marts are as at that day.
const uploadDay = new Date(Date.parse(lastSent.slice(0, 10)) + 86_400_000);
const asOf = isoDate(today(uploadDay));

log(`Full rebuild as at ${asOf}…\n`);
const fullRebuild = await measured(
  tsx,
  [join(root, 'functions/cli/main.ts'), 'rebuild', '--as-of', asOf, '--timings'],
  { OUTTURN_DATA_DIR: dir },
);

// Baseline: DuckDB alone reading what the full rebuild reads of the staged zone — the newest
// snapshot of each contract and the change records of each consecutive pair — into tables.
const byContract = new Map<string, typeof participantVersions>();
for (const v of participantVersions)
  byContract.set(v.contract_id, [...(byContract.get(v.contract_id) ?? []), v]);
const newest = [...byContract.values()].map((vs) => inReturnOrder(vs).at(-1)!);
const changeKeys = [...byContract.values()].flatMap((vs) =>
  consecutivePairs(vs).map(({ before, after }) => changeRecordsKey(before, after)),
);
const newestRows = newest.reduce(
  (n, v) => n + (receipts.find((r) => r.staged_key === v.staged_key)?.counts.rows ?? 0),
  0,
);
const scratch = await mkdtemp(join(tmpdir(), 'outturn-bench-sql-'));
const list = (keys: readonly string[]) =>
  `[${keys.map((k) => sqlString(join(dir, k))).join(', ')}]`;
const baselineSql = join(scratch, 'baseline.sql');
await writeFile(
  baselineSql,
  [
    `CREATE TABLE snapshots AS SELECT * FROM read_parquet(${list(newest.map((v) => v.staged_key))}, union_by_name = true)`,
    changeKeys.length
      ? `CREATE TABLE changes AS SELECT * FROM read_parquet(${list(changeKeys)})`
      : `CREATE TABLE changes AS SELECT 1 AS x WHERE false`,
    `SELECT (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM changes)`,
  ].join(';\n'),
);
log('Baseline: DuckDB reading the newest snapshots and the change records…\n');
const baseline = await measured(
  process.execPath,
  [
    '-e',
    `
  const { DuckDBInstance } = require('@duckdb/node-api');
  const sql = require('node:fs').readFileSync(${JSON.stringify(baselineSql)}, 'utf8');
  (async () => {
    const db = await DuckDBInstance.create(':memory:', { memory_limit: '2.5GB', threads: '2' });
    const c = await db.connect();
    const r = await c.runAndReadAll(sql);
    console.log(String(r.getRows()[0][0]));
  })();`,
  ],
  {},
);

// Upload to dashboards: the largest contract resubmits its newest return with participants
// left out (so there are restatements to find), through the real ingest and the build that
// follows it, three times; beside it, the ingest of the same file alone, into an empty store.
const reference = await loadReference(store);
const biggest = newest.reduce((a, b) =>
  (receipts.find((r) => r.staged_key === b.staged_key)?.counts.rows ?? 0) >
  (receipts.find((r) => r.staged_key === a.staged_key)?.counts.rows ?? 0)
    ? b
    : a,
);
const original = new TextDecoder().decode(
  (await store.get(receipts.find((r) => r.staged_key === biggest.staged_key)!.raw_key))!,
);
const uploads: {
  total: number;
  ingest: number;
  alone: number;
  rows: number;
  timings: StepTiming[];
  /** CPU seconds (user and system, every thread of this process): steadier than wall time on a loaded machine. */
  cpu: number;
  aloneCpu: number;
}[] = [];
const cpuSince = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
};
for (let k = 1; k <= 3; k++) {
  const lines = original.trimEnd().split(/\r?\n/);
  const bytes = new TextEncoder().encode(lines.slice(0, lines.length - k).join('\n') + '\n');
  const now = new Date(uploadDay.getTime() + 9 * 3_600_000 + k * 60_000);
  const upload = {
    bytes,
    fileName: `${biggest.contract_id}-${biggest.period}.csv`,
    contractId: biggest.contract_id,
    period: biggest.period,
    submittedBy: receipts.find((r) => r.staged_key === biggest.staged_key)!.submitted_by,
    reference,
    now,
  };
  const fresh = new LocalStore(await mkdtemp(join(tmpdir(), 'outturn-bench-alone-')));
  await putReference(fresh, reference);
  const a = performance.now();
  const aCpu = process.cpuUsage();
  await ingestReturn({ ...upload, store: fresh });
  const alone = performance.now() - a;
  const aloneCpu = cpuSince(aCpu);
  await rm(fresh.root, { recursive: true, force: true });

  const t = performance.now();
  const tCpu = process.cpuUsage();
  const { receipt } = await ingestReturn({ ...upload, store });
  const ingested = performance.now() - t;
  if (receipt.status !== 'accepted') throw new Error('The resubmission was rejected');
  const built = await rebuild(store, { asOf, contracts: [biggest.contract_id], now });
  uploads.push({
    total: performance.now() - t,
    ingest: ingested,
    alone,
    rows: receipt.counts.rows,
    timings: built.timings,
    cpu: cpuSince(tCpu),
    aloneCpu,
  });
}
// A new day: the first build as at the next day, with no new return.
const nextDay = isoDate(today(uploadDay) + 1);
const d = performance.now();
await rebuild(store, { asOf: nextDay, contracts: [] });
const newDayMs = performance.now() - d;
await closeStagingDb();
await rm(scratch, { recursive: true, force: true });

console.log(
  `bench/pipeline: ${contracts} contracts, ${months} months, target ${target.toLocaleString('en-GB')} participants, store ${dir}`,
);
console.log(
  `  store: ${receipts.length.toLocaleString('en-GB')} returns from ${byContract.size} contracts; newest snapshots hold ${newestRows.toLocaleString('en-GB')} participants`,
);
if (loaded) {
  const mean = loaded.ingestMs.reduce((a, b) => a + b, 0) / loaded.ingestMs.length;
  const ratio = median(loaded.sampleIngestMs.map((ms, i) => ms / loaded.duckMs[i]!));
  console.log(
    `  ingest: ${loaded.returns} returns, ${loaded.rows.toLocaleString('en-GB')} rows; mean ${mean.toFixed(0)} ms per return, median ${median(loaded.ingestMs).toFixed(0)} ms, ${Math.round(loaded.rows / (loaded.ingestMs.reduce((a, b) => a + b, 0) / 1000)).toLocaleString('en-GB')} rows/s`,
  );
  console.log(
    `    baseline: DuckDB read_csv of ${loaded.duckMs.length} sampled returns, median ratio ingest / read_csv = ${ratio.toFixed(2)}×`,
  );
}
const baselineRows = Number(baseline.stdout.trim());
console.log(
  `  full rebuild: ${fullRebuild.seconds.toFixed(1)} s, peak ${fullRebuild.peakMiB.toFixed(0)} MiB (aim: under 20 s, 1.5× the baseline and 2,048 MiB)`,
);
console.log(
  `    baseline: DuckDB reading the ${newest.length} newest snapshots and ${changeKeys.length} change-record files (${baselineRows.toLocaleString('en-GB')} rows) into tables: ${baseline.seconds.toFixed(1)} s, peak ${baseline.peakMiB.toFixed(0)} MiB`,
);
/** The slowest steps of a build, as `rebuild --timings` prints them. */
const slowest = (ts: readonly StepTiming[], n = 6) =>
  [...ts]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, n)
    .map((t) => `${t.step} ${t.seconds.toFixed(2)} s`)
    .join('; ');
const fullTimings = [...fullRebuild.stdout.matchAll(/^\s+([\d.]+) s {2}(.+)$/gm)].map((m) => ({
  step: m[2]!,
  seconds: Number(m[1]),
}));
console.log(`    slowest steps: ${slowest(fullTimings)}`);
const rebuildRatio = fullRebuild.seconds / baseline.seconds;
console.log(
  `    ratio rebuild / baseline: time ${rebuildRatio.toFixed(2)}×, memory ${(fullRebuild.peakMiB / baseline.peakMiB).toFixed(2)}×`,
);
for (const u of uploads)
  console.log(
    `  upload to dashboards (${u.rows.toLocaleString('en-GB')} rows, ${biggest.contract_id}): ${(u.total / 1000).toFixed(2)} s, of which ingest ${(u.ingest / 1000).toFixed(2)} s; the same file's ingest alone ${(u.alone / 1000).toFixed(2)} s`,
  );
const middle = [...uploads].sort((a, b) => a.total - b.total)[1]!;
console.log(`    slowest steps of the middle upload's build: ${slowest(middle.timings)}`);
console.log(
  `    its CPU time (every thread; steadier than wall time on a shared machine): ${middle.cpu.toFixed(2)} s, the ingest alone ${middle.aloneCpu.toFixed(2)} s (${(middle.cpu / middle.aloneCpu).toFixed(2)}×)`,
);
// Pass B (ADR 010, 047): the global models over every contract, what grows with the nation.
const found = middle.timings.findIndex((t) => t.step.startsWith('loaded every contract'));
const passB = found < 0 ? middle.timings.length : found;
const seconds = (ts: readonly StepTiming[]) => ts.reduce((n, t) => n + t.seconds, 0);
console.log(
  `    its contract's own models ${seconds(middle.timings.slice(0, passB)).toFixed(2)} s; the global pass over every contract ${seconds(middle.timings.slice(passB)).toFixed(2)} s`,
);
console.log(
  `  a new day (build as at ${nextDay}, no new return): ${(newDayMs / 1000).toFixed(2)} s`,
);
if (!reused)
  console.log(`  (store kept at ${dir}: rerun with --dir ${dir} to time the builds alone)`);
console.log(
  `national scale: upload-to-dashboards ${(middle.total / 1000).toFixed(2)} s (${(middle.total / middle.alone).toFixed(2)}× its ingest); full rebuild ${fullRebuild.seconds.toFixed(1)} s (${rebuildRatio.toFixed(2)}× baseline), peak ${fullRebuild.peakMiB.toFixed(0)} MiB`,
);
