/**
 * `outturn start`: the newcomer's first run. Loads the demo data set into the store when it
 * has no marts yet (every return ingested, the marts built), shows what is there, and serves
 * the web app on 127.0.0.1 (`--no-serve` to stop after the summary).
 */
import { loadDemo } from '../../../pipelines/demo/load.js';
import { builtByTheseModels } from '../../../pipelines/transform/build.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { currentLag, describeMissing } from '../../../pipelines/transform/lag.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { startServer } from '../../web/server.js';
import { openStoreFor, parse, type Io } from '../args.js';
import { progressLine } from '../progress.js';

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { 'no-serve': { type: 'boolean', default: false } });
  const store = openStoreFor(io);
  const current = await readCurrentManifest(store);
  if (current && !builtByTheseModels(current)) {
    // The marts were built by an older version of Outturn: rebuild them before serving.
    io.out(`The marts in ${store.description} were built by an older version: rebuilding them…\n`);
    const progress = progressLine('Building marts');
    await rebuild(store, { onProgress: (_, d, t) => progress(d, t) });
  }
  if (current && builtByTheseModels(current)) {
    // A build that failed after its receipt was written: catch up before serving (ADR 027).
    const lag = await currentLag(store);
    if (lag.contracts.length) {
      io.out(
        `The marts in ${store.description} do not yet include ${describeMissing(lag.missing)}: rebuilding ${lag.contracts.join(', ')}…\n`,
      );
      const progress = progressLine('Building marts');
      await rebuild(store, { contracts: lag.contracts, onProgress: (_, d, t) => progress(d, t) });
    }
  }
  if (!current) {
    io.out(
      `No marts in ${store.description} yet: loading the demo data set (three years of returns for 12 contracts)…\n`,
    );
    const ingestProgress = progressLine('Ingesting returns');
    const buildProgress = progressLine('Building marts');
    const { ingested } = await loadDemo(store, {
      onProgress: (stage, d, t) => (stage === 'ingest' ? ingestProgress : buildProgress)(d, t),
    });
    io.out(
      `Ingested ${ingested.total} returns: ${ingested.accepted} accepted, ${ingested.rejected} rejected, ${ingested.duplicates} already received (${ingested.rows.toLocaleString('en-GB')} rows).\n`,
    );
  }
  const db = await openCurated(store);
  try {
    const { rows } = await db.query(`
      with latest as (
        select contract_id, max(period) as period from performance group by contract_id
      )
      select p.contract_id, p.measure_label as measure, p.cumulative_actual as actual, p.cumulative_profile as profile,
             round(100 * p.cumulative_pct_of_profile)::integer as pct, p.rag
      from performance p join latest using (contract_id, period)
      where p.measure_id = 'job_entries'
      order by p.contract_id`);
    io.out(
      `\nMarts in force: build ${db.manifest.build_id}, as at ${db.manifest.as_of}.\nJob entries against profile, contract to date:\n`,
    );
    for (const r of rows)
      io.out(
        `  ${String(r.contract_id).padEnd(24)} ${String(r.actual).padStart(6)} of ${String(r.profile).padStart(6)}  ${String(r.pct).padStart(4)}%  ${r.rag}\n`,
      );
    io.out(
      `\nTry: npm run outturn -- query "select * from performance where contract_id = '${rows[0]?.contract_id}' order by period desc limit 5"\n`,
    );
  } finally {
    db.close();
  }
  if (values['no-serve']) return 0;
  const { url } = await startServer(process.env, (line) => io.out(`${line}\n`));
  io.out(
    `Open ${url}sign-in and choose a demo user (a provider, a contract manager, a commissioner or the admin). Stop with Ctrl+C.\n`,
  );
  // Keep serving until stopped.
  await new Promise<never>(() => {});
  return 0;
}
