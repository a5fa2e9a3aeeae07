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
 * With --dir, a store already loaded by an earlier run is reused and only the rebuild is timed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { generateDemo } from '../pipelines/demo/index.js';
import { openDuckDb, sqlString } from '../pipelines/duckdb/open.js';
import { ingestReturn } from '../pipelines/ingest/ingest.js';
import { putReference } from '../pipelines/ingest/reference-store.js';
import { LocalStore } from '../pipelines/store/local-store.js';

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

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
      const csv = demo.returnCsv(s.contract_id, s.period, s.version);
      const bytes = new TextEncoder().encode(csv);
      const t = performance.now();
      const { receipt } = await ingestReturn({
        store,
        bytes,
        fileName: `${s.contract_id}-${s.period}.csv`,
        contractId: s.contract_id,
        period: s.period,
        submittedBy: s.submitted_by,
        reference: demo.reference,
        now: new Date(s.submitted_at),
      });
      const ms = performance.now() - t;
      ingestMs.push(ms);
      if (receipt.status !== 'accepted')
        throw new Error(`${s.file} was rejected: ${receipt.report.problems[0]?.message}`);
      rows += receipt.counts.rows;
      // Every 40th return, the same file through DuckDB's read_csv as the baseline.
      if (done % 40 === 0) {
        const file = join(scratch, 'r.csv');
        await writeFile(file, bytes);
        const d = performance.now();
        await connection.run(
          `CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(${sqlString(file)}, header = true)`,
        );
        duckMs.push(performance.now() - d);
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

async function stagedFiles(): Promise<number> {
  let n = 0;
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name.endsWith('.parquet')) n++;
    }
  };
  await walk(join(dir, 'staged'));
  return n;
}

const loaded = values.dir ? null : await loadStore();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
log('Full rebuild…\n');
const rebuild = await measured(tsx, [join(root, 'functions/cli/main.ts'), 'rebuild'], {
  OUTTURN_DATA_DIR: dir,
});
log('Baseline: DuckDB reading the staged Parquet…\n');
const baselineSql = `CREATE TABLE t AS SELECT * FROM read_parquet(${sqlString(join(dir, 'staged', 'participant', '*', '*', '*.parquet'))}); SELECT count(*) FROM t;`;
const baseline = await measured(
  process.execPath,
  [
    '-e',
    `
  const { DuckDBInstance } = require('@duckdb/node-api');
  (async () => {
    const db = await DuckDBInstance.create(':memory:', { memory_limit: '3GB', threads: '2' });
    const c = await db.connect();
    const r = await c.runAndReadAll(${JSON.stringify(baselineSql)});
    console.log(String(r.getRows()[0][0]));
  })();`,
  ],
  {},
);

console.log(
  `bench/pipeline: ${contracts} contracts, ${months} months, target ${target.toLocaleString('en-GB')} participants, store ${dir}`,
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
console.log(
  `  full rebuild: ${rebuild.seconds.toFixed(1)} s, peak ${rebuild.peakMiB.toFixed(0)} MiB (aim: under 60 s and 4,096 MiB)`,
);
console.log(
  `    baseline: DuckDB reading ${await stagedFiles()} staged Parquet files (${Number(baseline.stdout.trim()).toLocaleString('en-GB')} rows) into a table: ${baseline.seconds.toFixed(1)} s, peak ${baseline.peakMiB.toFixed(0)} MiB`,
);
console.log(
  `    ratio rebuild / baseline: time ${(rebuild.seconds / baseline.seconds).toFixed(2)}×, memory ${(rebuild.peakMiB / baseline.peakMiB).toFixed(2)}×`,
);
if (!values.dir)
  console.log(`  (store kept at ${dir}: rerun with --dir ${dir} to time the rebuild alone)`);
