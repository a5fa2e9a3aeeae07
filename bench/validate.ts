/**
 * bench/validate: how fast the validator reads and judges a 100,000-row return, as a ratio
 * against DuckDB's own read_csv of the same file in the same run (and, for scale, a plain
 * parse-then-zod loop). Times are medians of interleaved runs; the machine is shared, so only
 * the ratios mean much.
 *
 *   npm run bench:validate [-- --rows 100000 --runs 5]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseCsv } from '../pipelines/csv/parse.js';
import { generateDemo } from '../pipelines/demo/index.js';
import { participantFields } from '../pipelines/returns/fields.js';
import { participantRowSchema } from '../pipelines/returns/row-schema.js';
import { validateReturn } from '../pipelines/validate/validate-return.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
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
    participantFields.filter((f) => f.type === 'integer' || f.type === 'number').map((f) => f.name),
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
