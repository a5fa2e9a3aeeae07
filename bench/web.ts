/**
 * bench/web: the web app under load. The server runs in its own process on 127.0.0.1; this
 * script signs in, then drives pages with N concurrent clients for a fixed number of requests
 * each, and prints p50/p99 latency and errors for each page beside the app's static /health
 * route measured the same way in the same run (the baseline).
 *
 *   npm run bench:web [-- --dir STORE --clients 50 --requests 20]
 *
 * --dir: a store already loaded (for example by bench/pipeline at national scale); without it
 * the demo data set is loaded into a temporary store first.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
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
const server = spawn(
  join(root, 'node_modules', '.bin', 'tsx'),
  [join(root, 'functions/web/server.ts')],
  {
    env: {
      ...process.env,
      OUTTURN_DATA_DIR: dir,
      PORT: values.port,
      OUTTURN_SESSION_SECRET: 'bench-secret-that-is-long-enough-to-sign',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
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

async function load(label: string, path: string, cookie: string | null): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
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

try {
  const provider = reference.users.find((u) => u.role === 'provider')!;
  const contract = reference.contracts.find(
    (c) => provider.role === 'provider' && c.provider_id === provider.provider_id,
  )!;
  const commissioner = reference.users.find(
    (u) => u.role === 'commissioner' && u.programme_ids.includes(contract.programme_id),
  );
  const pages: [string, string, string | null][] = [
    ['/health (baseline)', '/health', null],
    [`contract page (${contract.id})`, `/contracts/${contract.id}`, await cookieFor(provider.id)],
  ];
  if (commissioner)
    pages.push([
      `commissioner overview (${contract.programme_id})`,
      `/programmes/${contract.programme_id}`,
      await cookieFor(commissioner.id),
    ]);

  // Warm each page once (the first request opens the marts), then measure.
  for (const [, path, cookie] of pages)
    await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  const results: Result[] = [];
  for (const [label, path, cookie] of pages) results.push(await load(label, path, cookie));

  const baseline = results[0]!;
  console.log(
    `bench/web: ${reference.contracts.length} contracts, ${clients} concurrent clients × ${perClient} requests per page, store ${dir}`,
  );
  for (const r of results) {
    const p50 = pct(r.latencies, 50);
    const p99 = pct(r.latencies, 99);
    console.log(
      `  ${r.label.padEnd(40)} p50 ${p50.toFixed(0).padStart(5)} ms  p99 ${p99.toFixed(0).padStart(5)} ms  errors ${r.errors}  ` +
        `${Math.round(r.latencies.length / r.seconds)} req/s` +
        (r === baseline
          ? ''
          : `  (p99 ${(p99 / pct(baseline.latencies, 99)).toFixed(1)}× /health)`),
    );
  }
  console.log('  aim: p99 under 300 ms with 50 concurrent clients, zero errors');
} finally {
  server.kill();
}
