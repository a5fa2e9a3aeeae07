/**
 * bench/web: the web app under load. The server runs in its own process on 127.0.0.1; this
 * script signs in as each kind of user, then drives every kind of page with N concurrent clients
 * for a fixed number of requests each, and prints p50/p99 latency, errors and the server's peak
 * memory for each page beside the app's static /health route measured the same way in the same
 * run (the baseline), as ratios to it.
 *
 * Pages whose URL carries filters are asked with a different valid combination on each request
 * (the programme pages over every area × month × breakdown, the measures pages over every
 * breakdown × grain, the review pack over every quarter, each contract and each user of the
 * role), so a cache cannot hide the cost of a page it has not seen. The server's resident memory
 * is sampled throughout; its peak during each page is printed, and overall as a ratio to its
 * memory at the start. Each page is measured once the server has gone quiet (its CPU time in
 * /proc), so that one page's background work is charged to that page, not to the next one or to
 * the baseline.
 *
 * Then a build is switched in (an incremental rebuild of one contract, in this process, on the
 * same store) and each page's default view is asked once: "first view after switch" is the
 * slowest of those first views.
 *
 *   npm run bench:web [-- --dir STORE --clients 50 --requests 20 --only programme --profile DIR]
 *
 * --dir: a store already loaded (for example by bench/pipeline at national scale; the switch
 * adds a build to it); without it the demo data set is loaded into a temporary store first.
 * --only: run only the pages whose label contains this text (and the baseline).
 * --profile: the server runs under `node --cpu-prof`, its profile written into DIR at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDemo } from '../pipelines/demo/load.js';
import { loadReference } from '../pipelines/ingest/reference-store.js';
import { LocalStore } from '../pipelines/store/local-store.js';
import { rebuild } from '../pipelines/transform/rebuild.js';
import { withMarts } from '../pipelines/transform/query.js';
import { grains } from '../pipelines/measures/compile.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clients: { type: 'string', default: '50' },
    requests: { type: 'string', default: '20' },
    port: { type: 'string', default: '3999' },
    only: { type: 'string' },
    profile: { type: 'string' },
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
const server = spawn(
  process.execPath,
  [
    ...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : []),
    '--import',
    'tsx',
    join(root, 'bench/web-server.ts'),
  ],
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

const cookies = new Map<string, string>();
async function cookieFor(userId: string): Promise<string> {
  const known = cookies.get(userId);
  if (known) return known;
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ user: userId }),
    headers: { origin: base },
    redirect: 'manual',
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  cookies.set(userId, cookie);
  return cookie;
}

/** One request of a page: its URL and who asks it (null: no one signed in). */
interface Ask {
  path: string;
  user: string | null;
}

interface Page {
  label: string;
  /** Asked in turn; the first is the page's default view, asked once after the switch. */
  asks: Ask[];
}

interface Result {
  label: string;
  variants: number;
  latencies: number[];
  errors: number;
  seconds: number;
  rssPeak: number;
}

/** The server's resident memory now (VmRSS), in MB. */
async function serverRss(): Promise<number> {
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** The server's CPU time so far (all its threads, DuckDB's too), in seconds. */
async function serverCpu(): Promise<number> {
  const stat = await readFile(`/proc/${server.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the server is quiet (under a tenth of a core for half a second, at most 60 s), so
 * that background work a page started (a warm-up, the copy into memory) is not charged to the
 * next page measured, nor to the baseline. Returns the seconds waited.
 */
async function quiet(): Promise<number> {
  const started = performance.now();
  let before = await serverCpu();
  while (performance.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await serverCpu();
    if (now - before < 0.05) break;
    before = now;
  }
  return (performance.now() - started) / 1000;
}

let rssPeak = 0;
async function ask(a: Ask): Promise<{ status: number; ms: number }> {
  const cookie = a.user ? await cookieFor(a.user) : null;
  const t = performance.now();
  const res = await fetch(`${base}${a.path}`, { headers: cookie ? { cookie } : {} });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t };
}

/** Asks the page's URLs in turn (one URL: every request the same), from `clients` clients at once. */
async function load(page: Page): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  rssPeak = await serverRss();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const a = page.asks[next++ % page.asks.length]!;
        const t = performance.now();
        try {
          const { status } = await ask(a);
          if (status !== 200) {
            if (errors++ === 0)
              process.stderr.write(`${page.label}: ${a.path} answered ${status}\n`);
          }
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  return {
    label: page.label,
    variants: page.asks.length,
    latencies,
    errors,
    seconds: (performance.now() - started) / 1000,
    rssPeak,
  };
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

/** The default view first, the rest shuffled. */
const defaultThen = (first: Ask, rest: Ask[]): Ask[] => [first, ...shuffled(rest)];

const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

/** The `<option value>`s of a `<select id>` in a page. */
function options(page: string, select: string): string[] {
  return [
    ...(new RegExp(`<select[^>]*id="${select}"[\\s\\S]*?</select>`).exec(page)?.[0] ?? '').matchAll(
      /<option value="([^"]*)"/g,
    ),
  ].map((m) => m[1]!);
}

/** Whether --only selects the page of this label. */
const wanted = (label: string) => values.only === undefined || label.includes(values.only);

/** Every page kind, each with its valid variations. */
async function pagesToLoad(): Promise<Page[]> {
  const { users, contracts } = reference;
  const providers = users.filter((u) => u.role === 'provider');
  const managers = users.filter((u) => u.role === 'contract_manager');
  const commissioners = users.filter((u) => u.role === 'commissioner');
  const providerOf = (contractProvider: string) =>
    providers.find((u) => u.role === 'provider' && u.provider_id === contractProvider)?.id ?? null;
  const owned = contracts.flatMap((c) => {
    const user = providerOf(c.provider_id);
    return user ? [{ contract: c, user }] : [];
  });
  const breakdowns = await withMarts(store, async (db) =>
    (
      await db.query(
        `select distinct breakdown from measure_values where breakdown <> 'all' order by 1`,
      )
    ).rows.map((r) => String(r.breakdown)),
  );
  const allBreakdowns = ['all', ...breakdowns];
  const quarters = (c: (typeof contracts)[number]) => [
    ...new Set(
      months(c.start_period, c.end_period).map(
        (p) => `${p.slice(0, 4)}-Q${Math.ceil(Number(p.slice(5, 7)) / 3)}`,
      ),
    ),
  ];
  const first = owned[0]!;
  const pages: Page[] = [
    { label: '/health (baseline)', asks: [{ path: '/health', user: null }] },
    {
      label: 'contract page (provider)',
      asks: owned.map(({ contract, user }) => ({ path: `/contracts/${contract.id}`, user })),
    },
    {
      label: 'contract measures (provider)',
      asks: defaultThen(
        { path: `/contracts/${first.contract.id}/measures`, user: first.user },
        owned.flatMap(({ contract, user }) =>
          allBreakdowns.flatMap((breakdown) =>
            grains.map((grain) => ({
              path: `/contracts/${contract.id}/measures${query({ breakdown, grain })}`,
              user,
            })),
          ),
        ),
      ),
    },
    {
      label: 'data quality (provider)',
      asks: owned.map(({ contract, user }) => ({
        path: `/contracts/${contract.id}/quality`,
        user,
      })),
    },
    {
      label: 'returns sent (provider)',
      asks: owned.map(({ contract, user }) => ({
        path: `/contracts/${contract.id}/returns`,
        user,
      })),
    },
    {
      label: 'review pack (provider)',
      asks: defaultThen(
        { path: `/contracts/${first.contract.id}/review`, user: first.user },
        owned.flatMap(({ contract, user }) =>
          quarters(contract).map((quarter) => ({
            path: `/contracts/${contract.id}/review${query({ quarter })}`,
            user,
          })),
        ),
      ),
    },
  ];
  if (managers.length) {
    pages.push(
      {
        label: 'portfolio (manager)',
        asks: managers.map((u) => ({ path: '/portfolio', user: u.id })),
      },
      {
        label: 'portfolio measures (manager)',
        asks: defaultThen(
          { path: '/portfolio/measures', user: managers[0]!.id },
          managers.flatMap((u) =>
            allBreakdowns.flatMap((breakdown) =>
              grains.map((grain) => ({
                path: `/portfolio/measures${query({ breakdown, grain })}`,
                user: u.id,
              })),
            ),
          ),
        ),
      },
      {
        label: 'data quality (manager)',
        asks: contracts.flatMap((c) => {
          const m = managers.find(
            (u) => u.role === 'contract_manager' && u.portfolio === c.portfolio,
          );
          return m ? [{ path: `/contracts/${c.id}/quality`, user: m.id }] : [];
        }),
      },
    );
  }
  // Each programme by a commissioner of that programme alone where there is one.
  const programmes = reference.programmes.flatMap((p) => {
    const own = commissioners.filter(
      (u) => u.role === 'commissioner' && u.programme_ids.includes(p.id),
    );
    const user =
      own.find((u) => u.role === 'commissioner' && u.programme_ids.length === 1) ?? own[0];
    return user ? [{ programme: p, user: user.id }] : [];
  });
  // Asking a programme's overview (for its filters' options) starts its views' warm-up in the
  // server (ADR 034): only when an overview is to be measured, so that --only measures other
  // pages without it.
  const overviews = ['programme overview, one URL', 'programme overview (commissioner)'];
  if (programmes.length) {
    const combinations: Ask[] = [];
    for (const { programme, user } of overviews.some(wanted) ? programmes : []) {
      const res = await fetch(`${base}/programmes/${programme.id}`, {
        headers: { cookie: await cookieFor(user) },
      });
      const page = await res.text();
      const ofProgramme = contracts.filter((c) => c.programme_id === programme.id);
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
      for (const area of options(page, 'area'))
        for (const period of periods)
          for (const breakdown of options(page, 'breakdown'))
            combinations.push({
              path: `/programmes/${programme.id}${query({ area, period, breakdown })}`,
              user,
            });
    }
    const firstProgramme = programmes[0]!;
    pages.push(
      {
        label: 'programme overview, one URL',
        asks: [{ path: `/programmes/${firstProgramme.programme.id}`, user: firstProgramme.user }],
      },
      {
        label: 'programme overview (commissioner)',
        asks: defaultThen(
          { path: `/programmes/${firstProgramme.programme.id}`, user: firstProgramme.user },
          combinations,
        ),
      },
      {
        label: 'programme measures (commissioner)',
        asks: defaultThen(
          {
            path: `/programmes/${firstProgramme.programme.id}/measures`,
            user: firstProgramme.user,
          },
          programmes.flatMap(({ programme, user }) =>
            allBreakdowns.map((breakdown) => ({
              path: `/programmes/${programme.id}/measures${query({ breakdown })}`,
              user,
            })),
          ),
        ),
      },
    );
  }
  const analysts = [...managers, ...commissioners];
  if (analysts.length)
    pages.push({
      label: 'analytics page (manager, commissioner)',
      asks: analysts.map((u) => ({ path: '/analytics', user: u.id })),
    });
  return pages.filter((p, i) => i === 0 || wanted(p.label));
}

try {
  const pages = await pagesToLoad();
  // Warm each page once (the first request opens the marts), then measure.
  for (const page of pages) await ask(page.asks[0]!);
  const rssAtStart = await serverRss();
  let overallPeak = rssAtStart;
  const sampler = setInterval(() => {
    void serverRss().then((mb) => {
      rssPeak = Math.max(rssPeak, mb);
      overallPeak = Math.max(overallPeak, mb);
    });
  }, 100);
  const results: Result[] = [];
  for (const page of pages) {
    const waited = await quiet();
    process.stderr.write(
      `${page.label}… (after ${waited.toFixed(1)} s for the server to go quiet)\n`,
    );
    results.push(await load(page));
  }

  // A build switched in; then the first view of each page under it.
  process.stderr.write('Switching in a new build…\n');
  const switched = reference.contracts[0]!.id;
  await rebuild(store, { contracts: [switched] });
  const firstViews: { label: string; ms: number; status: number }[] = [];
  for (const page of pages) {
    const { ms, status } = await ask(page.asks[0]!);
    firstViews.push({ label: page.label, ms, status });
  }
  clearInterval(sampler);
  const rssAtEnd = await serverRss();

  const baseline = results[0]!;
  const b50 = pct(baseline.latencies, 50);
  const b99 = pct(baseline.latencies, 99);
  console.log(
    `bench/web: ${reference.contracts.length} contracts, ${clients} concurrent clients × ${perClient} requests per page, store ${dir}`,
  );
  for (const r of results) {
    const p50 = pct(r.latencies, 50);
    const p99 = pct(r.latencies, 99);
    console.log(
      `  ${r.label.padEnd(40)} ${String(r.variants).padStart(5)} URLs  p50 ${p50.toFixed(0).padStart(5)} ms  p99 ${p99.toFixed(0).padStart(5)} ms` +
        (r === baseline
          ? ''
          : ` (${(p50 / b50).toFixed(1)}×, ${(p99 / b99).toFixed(1)}× /health)`) +
        `  ${Math.round(r.latencies.length / r.seconds)} req/s  errors ${r.errors}  peak ${r.rssPeak.toFixed(0)} MB`,
    );
  }
  const slowest = firstViews.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(
    `  first view after switch: slowest ${slowest.ms.toFixed(0)} ms (${slowest.label}, ${(slowest.ms / b99).toFixed(1)}× /health p99); ` +
      firstViews
        .slice(1)
        .map(
          (v) =>
            `${v.label.split(' (')[0]} ${v.ms.toFixed(0)}${v.status === 200 ? '' : ` [${v.status}]`}`,
        )
        .join(', ') +
      ' ms',
  );
  console.log(
    `  server memory: ${rssAtStart.toFixed(0)} MB after warming, peak ${overallPeak.toFixed(0)} MB (${(overallPeak / rssAtStart).toFixed(2)}×), ${rssAtEnd.toFixed(0)} MB at the end`,
  );
  console.log(
    '  aim: p99 under 300 ms with 50 concurrent clients on every page, zero errors, memory bounded; first view after a switch under 1 s',
  );
} finally {
  server.kill();
}
