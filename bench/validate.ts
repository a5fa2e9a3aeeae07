/**
 * bench/validate: how fast the validator reads and judges a 100,000-row return, as a ratio
 * against DuckDB's own read_csv of the same file in the same run (and, for scale, a plain
 * parse-then-zod loop). Times are medians of interleaved runs; the machine is shared, so only
 * the ratios mean much.
 *
 * Then memory: each of the worst shapes of file (a giant cell, a quoted cell of line breaks, a
 * flood of blank lines, a row of commas, every row bad, a workbook) is validated in its own
 * child process, and its peak RSS above the child's idle RSS is printed beside a plain return of
 * the same size, as a ratio. The aim: every shape within 512 MiB above idle at the upload limit.
 *
 *   npm run bench:validate [-- --rows 100000 --runs 5 --mb 100 --only speed|memory]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseCsv } from '../pipelines/csv/parse.js';
import { generateDemo } from '../pipelines/demo/index.js';
import { participantFields } from '../pipelines/returns/fields.js';
import { participantRowSchema } from '../pipelines/returns/row-schema.js';
import { defaultLimits } from '../pipelines/validate/limits.js';
import { validateReturn } from '../pipelines/validate/validate-return.js';
import { writeXlsx } from '../pipelines/xlsx/write.js';
import { badCsv, plainCsv } from './returns.js';
import { inspectZip } from '../pipelines/xlsx/zip-guard.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    mb: { type: 'string', default: String(defaultLimits.maxFileBytes / 1048576) },
    only: { type: 'string' },
    child: { type: 'string' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const contract = 'plp-bsol-meridian';
const period = '2026-03';

/** A return of exactly `rows` participants, from the demo generator scaled up. */
function bigReturn(): string {
  const atOne = generateDemo().rowCount(contract, period);
  const scale = Math.ceil((rows / atOne) * 1.1);
  const csv = generateDemo({ scale }).returnCsv(contract, period);
  const lines = csv.split('\r\n');
  if (lines.length - 2 < rows) throw new Error(`scale ${scale} gave only ${lines.length - 2} rows`);
  return lines.slice(0, rows + 1).join('\r\n') + '\r\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function speed(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-bench-'));
  const file = join(dir, 'return.csv');
  await writeFile(file, bigReturn());
  const size = (await readFile(file)).length;

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const fieldCount = participantFields.length;

  const duckdb = () =>
    con.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('${file}', header = true)`);
  let accepted = false;
  const outturn = async () => {
    const bytes = new Uint8Array(await readFile(file));
    const result = validateReturn(bytes, 'return.csv', { period });
    accepted = result.status === 'accepted' && result.report.rowCount === rows;
  };
  const parseThenZod = async () => {
    const text = await readFile(file, 'utf8');
    const parsed = parseCsv(text, { maxRows: 1e6, maxCellLength: 1000 });
    if (!parsed.ok) throw new Error(parsed.message);
    const [header, ...body] = parsed.rows;
    const numeric = new Set<string>(
      participantFields
        .filter((f) => f.type === 'integer' || f.type === 'number')
        .map((f) => f.name),
    );
    for (const cells of body) {
      const row: Record<string, unknown> = {};
      header!.forEach(
        (h, j) => (row[h] = cells[j] === '' ? null : numeric.has(h) ? Number(cells[j]) : cells[j]),
      );
      participantRowSchema.safeParse(row);
    }
  };

  const t = { duckdb: [] as number[], outturn: [] as number[], zod: [] as number[] };
  await duckdb();
  await outturn(); // warm up both
  for (let i = 0; i < runs; i++) {
    t.duckdb.push(await time(duckdb));
    t.outturn.push(await time(outturn));
    if (i < 2) t.zod.push(await time(parseThenZod));
  }
  const check = await con.runAndReadAll('SELECT count(*)::INTEGER AS n FROM t');
  const duckRows = Number(check.getRowObjects()[0]!.n);

  const d = median(t.duckdb);
  const o = median(t.outturn);
  const z = median(t.zod);
  const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-GB');
  console.log(
    `bench/validate: ${rows.toLocaleString('en-GB')} rows × ${fieldCount} columns, ${(size / 1048576).toFixed(1)} MB, median of ${runs} interleaved runs`,
  );
  console.log(
    `  DuckDB read_csv (baseline)     ${d.toFixed(0).padStart(6)} ms  ${rate(d).padStart(11)} rows/s  (read ${duckRows.toLocaleString('en-GB')} rows)`,
  );
  console.log(
    `  Outturn validateReturn         ${o.toFixed(0).padStart(6)} ms  ${rate(o).padStart(11)} rows/s  accepted: ${accepted}`,
  );
  console.log(
    `  parse + zod per row (for scale) ${z.toFixed(0).padStart(5)} ms  ${rate(z).padStart(11)} rows/s`,
  );
  console.log(
    `  ratio Outturn / DuckDB: ${(o / d).toFixed(2)}× (aim: within 2×);  parse+zod / DuckDB: ${(z / d).toFixed(2)}×`,
  );
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await rm(dir, { recursive: true, force: true });
  if (!accepted) process.exitCode = 1;
}

/** The shapes of file, each `bytes` long (a workbook as large as the reader lets it expand). */
const shapes: Record<string, { about: string; make: (bytes: number) => Uint8Array }> = {
  plain: { about: 'plain return, same size', make: (b) => text(plainCsv(b)) },
  bad: { about: 'every row bad (dates, references)', make: (b) => text(badCsv(b)) },
  'giant-cell': {
    about: 'one giant cell',
    make: (b) => text(plainCsv(2_000).split('\r\n', 3).join('\r\n') + '\r\nP-1,' + 'x'.repeat(b)),
  },
  'line-breaks': {
    about: 'quoted cell of line breaks',
    make: (b) => text(plainCsv(2_000).split('\r\n', 3).join('\r\n') + '\r\nP-1,"' + '\n'.repeat(b)),
  },
  'blank-flood': {
    about: 'flood of blank lines',
    make: (b) => text(plainCsv(2_000).split('\r\n', 3).join('\r\n') + '\r\n'.repeat(b / 2)),
  },
  'comma-flood': {
    about: 'one row of commas',
    make: (b) => text(plainCsv(2_000).split('\r\n', 3).join('\r\n') + '\r\n' + ','.repeat(b)),
  },
  xlsx: {
    about: 'workbook, to the unzip limit',
    make: () => {
      // As many rows as the reader lets a workbook expand to, from the size of a sample.
      const book = (n: number) => {
        const lines = plainCsv(n * 200).split('\r\n');
        return writeXlsx([
          { name: 'Return', rows: lines.slice(0, n + 1).map((l) => l.split(',')) },
        ]);
      };
      const sample = inspectZip(book(10_000), { maxTotalUncompressedBytes: Infinity });
      if (!sample.ok) throw new Error('sample workbook');
      const inflated = sample.entries.reduce((t, e) => t + e.uncompressedSize, 0);
      const n = Math.floor((10_000 * defaultLimits.maxInflatedBytes * 0.97) / inflated);
      return book(Math.min(n, defaultLimits.maxRows));
    },
  },
  'xlsx-tiny-cells': { about: 'workbook of 200 one-digit columns', make: tinyCellsXlsx },
};

/** The widest, most numerous cells a workbook may hold within the unzip limit. */
function tinyCellsXlsx(): Uint8Array {
  const width = 200;
  let seed = 1;
  const digit = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) >> 16) % 10;
  const book = (n: number) =>
    writeXlsx([
      {
        name: 'Return',
        rows: Array.from({ length: n }, () => Array.from({ length: width }, digit)),
      },
    ]);
  const sample = inspectZip(book(2_000), { maxTotalUncompressedBytes: Infinity });
  if (!sample.ok) throw new Error('sample workbook');
  const inflated = sample.entries.reduce((t, e) => t + e.uncompressedSize, 0);
  return book(
    Math.min(
      Math.floor((2_000 * defaultLimits.maxInflatedBytes * 0.97) / inflated),
      defaultLimits.maxRows,
    ),
  );
}

const text = (s: string) => new TextEncoder().encode(s);

/**
 * A line of /proc/self/status, in bytes. Its high-water mark belongs to this process's own
 * memory map; `resourceUsage().maxRSS` would carry over the parent's peak from before the exec.
 */
function status(key: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync('/proc/self/status', 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Runs in a child process: idle RSS, then the file read and validated, then the peak. */
async function child(file: string): Promise<void> {
  const idle = status('VmRSS') ?? process.memoryUsage().rss;
  const buffer = await readFile(file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const result = validateReturn(bytes, file.endsWith('.xlsx') ? 'r.xlsx' : 'r.csv', { period });
  const heap = getHeapStatistics();
  const first = result.report.problems[0];
  console.log(
    JSON.stringify({
      idle,
      peak: status('VmHWM') ?? process.resourceUsage().maxRSS * 1024,
      heap: heap.total_heap_size,
      status: result.status,
      rows: result.report.rowCount,
      errors: result.report.errorCount,
      first: first ? `${first.rule}: ${first.message.slice(0, 70)}` : '',
    }),
  );
}

async function memory(): Promise<void> {
  // A little under the size asked for (the upload limit by default), so no shape is too large.
  const bytes = Math.round(Number(values.mb) * 1048576) - 65_536;
  const dir = await mkdtemp(join(tmpdir(), 'outturn-bench-'));
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
  console.log(
    `bench/validate memory: each shape ${mib(bytes)} (the workbook as large as it may unzip to), in its own process; peak RSS above idle`,
  );
  const measured: Record<string, { above: number; heap: number }> = {};
  let worst = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const file = join(dir, `${name}.${name.startsWith('xlsx') ? 'xlsx' : 'csv'}`);
    const content = shape.make(bytes);
    await writeFile(file, content);
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--child', file],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      idle: number;
      peak: number;
      heap: number;
      status: string;
      rows: number;
      errors: number;
      first: string;
    };
    const above = r.peak - r.idle;
    measured[name] = { above, heap: r.heap };
    worst = Math.max(worst, above);
    const ratio = measured.plain ? (above / measured.plain.above).toFixed(2) : '1.00';
    console.log(
      `  ${shape.about.padEnd(34)} ${mib(content.length).padStart(8)}  RSS +${mib(above).padStart(8)}  heap ${mib(r.heap).padStart(8)}  ×${ratio} plain  ${r.status} (${r.rows.toLocaleString('en-GB')} rows, ${r.errors.toLocaleString('en-GB')} errors)${r.first && r.status === 'rejected' ? `  ${r.first}` : ''}`,
    );
    await rm(file);
  }
  console.log(
    `  worst ${mib(worst)} above idle = ${(worst / (512 * 1048576)).toFixed(2)}× the 512 MiB budget`,
  );
  await rm(dir, { recursive: true, force: true });
  if (worst > 512 * 1048576) process.exitCode = 1;
}

if (values.child) await child(values.child);
else {
  if (values.only !== 'memory') await speed();
  if (values.only !== 'speed') await memory();
}
