/**
 * bench/web: the web app under load. The server runs in its own process on 127.0.0.1; this
 * script signs in, then drives pages with N concurrent clients for a fixed number of requests
 * each, and prints p50/p99 latency and errors for each page beside the app's static /health
 * route measured the same way in the same run (the baseline), as ratios to it.
 *
 * Pages whose URL carries filters are asked with a different valid combination on each request
 * (the commissioner's programme page over every area × month × breakdown), so a cache cannot
 * hide the cost of a page it has not seen; the server's resident memory is sampled throughout
 * and its peak printed as a ratio to its memory at the start.
 *
 *   npm run bench:web [-- --dir STORE --clients 50 --requests 20]
 *
 * --dir: a store already loaded (for example by bench/pipeline at national scale); without it
 * the demo data set is loaded into a temporary store first.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDemo } from '../pipelines/demo/load.js';
import { loadReference } from '../pipelines/ingest/reference-store.js';
import { LocalStore } from '../pipelines/store/local-store.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clients: { type: 'string', default: '50' },
    requests: { type: 'string', default: '20' },
    port: { type: 'string', default: '3999' },
  },
});
const clients = Number(values.clients);
const perClient = Number(values.requests);
const root = join(import.meta.dirname, '..');
const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'outturn-bench-web-')));
const store = new LocalStore(dir);
if (!values.dir) {
  process.stderr.write('Loading the demo data set…\n');
  await loadDemo(store);
}
const reference = await loadReference(store);

// The server, in its own process so the load generator does not share its event loop.
// Node with tsx as a loader (not the tsx launcher), so the pid is the server's own for /proc.
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'functions/web/server.ts')], {
  env: {
    ...process.env,
    OUTTURN_DATA_DIR: dir,
    PORT: values.port,
    OUTTURN_SESSION_SECRET: 'bench-secret-that-is-long-enough-to-sign',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise<string>((resolve, reject) => {
  server.stdout!.on('data', (d: Buffer) => {
    const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(String(d));
    if (m) resolve(m[1]!);
  });
  server.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
});

async function cookieFor(userId: string): Promise<string> {
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ user: userId }),
    headers: { origin: base },
    redirect: 'manual',
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

interface Result {
  label: string;
  latencies: number[];
  errors: number;
  seconds: number;
}

/** The server's resident memory now (VmRSS), in MB. */
async function serverRss(): Promise<number> {
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Asks `paths` in turn (one path: every request the same), from `clients` clients at once. */
async function load(label: string, paths: string[], cookie: string | null): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const path = paths[next++ % paths.length]!;
        const t = performance.now();
        try {
          const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { label, latencies, errors, seconds: (performance.now() - started) / 1000 };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** Every month from `from` to `to`, YYYY-MM. */
function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const p = `${y}-${String(m).padStart(2, '0')}`;
    if (p > to) return out;
    out.push(p);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}

/** A deterministic shuffle (the same order every run), so neighbouring requests differ. */
function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

try {
  const provider = reference.users.find((u) => u.role === 'provider')!;
  const contract = reference.contracts.find(
    (c) => provider.role === 'provider' && c.provider_id === provider.provider_id,
  )!;
  const commissioner = reference.users.find(
    (u) => u.role === 'commissioner' && u.programme_ids.includes(contract.programme_id),
  );
  const manager = reference.users.find((u) => u.role === 'contract_manager');
  const pages: [string, string[], string | null][] = [
    ['/health (baseline)', ['/health'], null],
    [`contract page (${contract.id})`, [`/contracts/${contract.id}`], await cookieFor(provider.id)],
  ];
  if (manager)
    pages.push([`portfolio (${manager.id})`, ['/portfolio'], await cookieFor(manager.id)]);
  if (commissioner) {
    const programme = contract.programme_id;
    const cookie = await cookieFor(commissioner.id);
    const page = await (
      await fetch(`${base}/programmes/${programme}`, { headers: { cookie } })
    ).text();
    const options = (select: string) =>
      [
        ...(
          new RegExp(`<select[^>]*id="${select}"[\\s\\S]*?</select>`).exec(page)?.[0] ?? ''
        ).matchAll(/<option value="([^"]*)"/g),
      ].map((m) => m[1]!);
    const ofProgramme = reference.contracts.filter((c) => c.programme_id === programme);
    const periods = [
      '',
      ...months(
        ofProgramme.map((c) => c.start_period).sort()[0]!,
        ofProgramme
          .map((c) => c.end_period)
          .sort()
          .at(-1)!,
      ),
    ];
    const combinations: string[] = [];
    for (const area of options('area'))
      for (const period of periods)
        for (const breakdown of options('breakdown'))
          combinations.push(
            `/programmes/${programme}?${new URLSearchParams({ area, period, breakdown }).toString()}`,
          );
    pages.push(
      [`programme overview (${programme}), one URL`, [`/programmes/${programme}`], cookie],
      [
        `programme overview, ${combinations.length} filter combinations`,
        shuffled(combinations),
        cookie,
      ],
    );
  }

  // Warm each page once (the first request opens the marts), then measure.
  for (const [, paths, cookie] of pages)
    await fetch(`${base}${paths[0]}`, { headers: cookie ? { cookie } : {} });
  const rssAtStart = await serverRss();
  let rssPeak = rssAtStart;
  const sampler = setInterval(() => {
    void serverRss().then((mb) => (rssPeak = Math.max(rssPeak, mb)));
  }, 100);
  const results: Result[] = [];
  for (const [label, paths, cookie] of pages) results.push(await load(label, paths, cookie));
  clearInterval(sampler);
  const rssAtEnd = await serverRss();

  const baseline = results[0]!;
  console.log(
    `bench/web: ${reference.contracts.length} contracts, ${clients} concurrent clients × ${perClient} requests per page, store ${dir}`,
  );
  for (const r of results) {
    const p50 = pct(r.latencies, 50);
    const p99 = pct(r.latencies, 99);
    console.log(
      `  ${r.label.padEnd(48)} p50 ${p50.toFixed(0).padStart(5)} ms  p99 ${p99.toFixed(0).padStart(5)} ms  errors ${r.errors}  ` +
        `${Math.round(r.latencies.length / r.seconds)} req/s` +
        (r === baseline
          ? ''
          : `  (p50 ${(p50 / pct(baseline.latencies, 50)).toFixed(1)}×, p99 ${(p99 / pct(baseline.latencies, 99)).toFixed(1)}× /health)`),
    );
  }
  console.log(
    `  server memory: ${rssAtStart.toFixed(0)} MB after warming, peak ${rssPeak.toFixed(0)} MB (${(rssPeak / rssAtStart).toFixed(2)}×), ${rssAtEnd.toFixed(0)} MB at the end`,
  );
  console.log(
    '  aim: p99 under 300 ms with 50 concurrent clients on every page, zero errors, memory bounded',
  );
} finally {
  server.kill();
}
