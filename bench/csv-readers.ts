/**
 * bench/csv-readers: Outturn's own CSV reader against csv-parse and papaparse on the same
 * 100,000-row return, for ADR 022. Each reader runs in its own process (peak RSS above idle,
 * from /proc/self/status) and, for time, interleaved in this one (median of runs); the figures
 * are ratios against Outturn's reader in the same run. Every reader visits every cell.
 *
 * The two libraries are not dependencies of Outturn; install them beside it first:
 *
 *   npm install --no-save csv-parse@5 papaparse@5
 *   npx tsx bench/csv-readers.ts [--rows 100000 --runs 5]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { scanCsv } from '../pipelines/csv/parse.js';
import { generateDemo } from '../pipelines/demo/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    child: { type: 'string' },
  },
});
const rows = Number(values.rows);

type Reader = (text: string) => number;
interface CsvParseSync {
  parse(text: string, options: Record<string, unknown>): unknown[];
}
interface Papa {
  parse(text: string, options: { step: (r: { data: string[] }) => void }): void;
}

/** Loaded by name, so that Outturn does not depend on them. */
async function optional<T>(name: string): Promise<T | null> {
  try {
    return (await import(name)) as T;
  } catch {
    return null;
  }
}

async function readers(): Promise<Record<string, Reader>> {
  const out: Record<string, Reader> = {
    outturn: (text) => {
      let cells = 0;
      scanCsv(text, { maxRows: 1e7, maxCellLength: 1_000 }, (row) => {
        for (let j = 0; j < row.count; j++) if (row.end[j]! > row.start[j]!) cells++;
      });
      return cells;
    },
  };
  const csvParse = await optional<CsvParseSync>('csv-parse/sync');
  if (csvParse) {
    out['csv-parse (all rows)'] = (text) => {
      let cells = 0;
      for (const r of csvParse.parse(text, {}) as string[][]) for (const c of r) if (c) cells++;
      return cells;
    };
    out['csv-parse (a row at a time)'] = (text) => {
      let cells = 0;
      csvParse.parse(text, {
        on_record: (r: string[]) => {
          for (const c of r) if (c) cells++;
          return null;
        },
      });
      return cells;
    };
  }
  const papa = await optional<{ default: Papa }>('papaparse');
  if (papa)
    out['papaparse (a row at a time)'] = (text) => {
      let cells = 0;
      papa.default.parse(text, {
        step: (r) => {
          for (const c of r.data) if (c) cells++;
        },
      });
      return cells;
    };
  return out;
}

function demoCsv(): string {
  const atOne = generateDemo().rowCount('plp-bsol-meridian', '2026-03');
  const csv = generateDemo({ scale: Math.ceil((rows / atOne) * 1.1) }).returnCsv(
    'plp-bsol-meridian',
    '2026-03',
  );
  return (
    csv
      .split('\r\n')
      .slice(0, rows + 1)
      .join('\r\n') + '\r\n'
  );
}

function vm(key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync('/proc/self/status', 'utf8'),
  );
  return m ? Number(m[1]) * 1024 : NaN;
}

async function child(name: string): Promise<void> {
  const read = (await readers())[name]!;
  const text = demoCsv();
  const idle = vm('VmRSS');
  const cells = read(text);
  console.log(JSON.stringify({ above: vm('VmHWM') - idle, cells }));
}

async function main(): Promise<void> {
  const all = await readers();
  const text = demoCsv();
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(all).map((k) => [k, []]));
  const counts: Record<string, number> = {};
  for (const read of Object.values(all)) read(text); // warm up
  for (let i = 0; i < Number(values.runs); i++)
    for (const [name, read] of Object.entries(all)) {
      const t = process.hrtime.bigint();
      counts[name] = read(text);
      times[name]!.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(times.outturn!);
  console.log(
    `bench/csv-readers: ${rows.toLocaleString('en-GB')} rows, ${(text.length / 1048576).toFixed(1)} MB; time is the median of ${values.runs} interleaved runs, memory the peak RSS above idle in a process of its own`,
  );
  let baseMemory = NaN;
  for (const name of Object.keys(all)) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--child', name],
      {
        encoding: 'utf8',
      },
    );
    const { above } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { above: number };
    if (name === 'outturn') baseMemory = above;
    const ms = median(times[name]!);
    console.log(
      `  ${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms ×${(ms / base).toFixed(2)}   +${(above / 1048576).toFixed(0).padStart(4)} MiB ×${(above / baseMemory).toFixed(2)}   cells ${counts[name]!.toLocaleString('en-GB')}`,
    );
  }
  if (Object.keys(all).length === 1)
    console.log('  (install csv-parse and papaparse with --no-save to compare them)');
}

if (values.child) await child(values.child);
else await main();
