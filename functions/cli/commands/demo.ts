/**
 * `outturn demo --out DIR [options]` writes the demo data set to a folder;
 * `outturn demo --ingest [options]` loads it into the store (ingest every return, build the marts).
 */
import { loadDemo } from '../../../pipelines/demo/load.js';
import { writeDemo } from '../../../pipelines/demo/index.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';
import { progressLine } from '../progress.js';

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}

export async function demoCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    out: { type: 'string' },
    ingest: { type: 'boolean', default: false },
    seed: { type: 'string' },
    scale: { type: 'string' },
    contracts: { type: 'string' },
    months: { type: 'string' },
  });
  const options = {
    seed: positiveNumber('seed', values.seed),
    scale: positiveNumber('scale', values.scale),
    contracts: positiveNumber('contracts', values.contracts),
    months: positiveNumber('months', values.months),
  };
  if (!values.out && !values.ingest)
    throw new UsageError(
      'Give --out DIR to write the demo data to a folder, or --ingest to load it into the store',
    );
  const started = Date.now();
  if (values.out) {
    const summary = await writeDemo(values.out, options);
    io.out(
      `Wrote ${summary.files.toLocaleString('en-GB')} files (${summary.rows.toLocaleString('en-GB')} participant rows, ` +
        `${(summary.bytes / 1048576).toFixed(1)} MB) to ${summary.dir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
  if (values.ingest) {
    const store = openStoreFor(io);
    const ingestProgress = progressLine('Ingesting returns');
    const buildProgress = progressLine('Building marts');
    const { ingested, build } = await loadDemo(store, {
      ...options,
      onProgress: (stage, done, total) =>
        (stage === 'ingest' ? ingestProgress : buildProgress)(done, total),
    });
    io.out(
      `Loaded the demo into ${store.description}: ${ingested.total} returns, ${ingested.accepted} accepted, ${ingested.rejected} rejected, ${ingested.duplicates} already received (${ingested.rows.toLocaleString('en-GB')} rows).\n`,
    );
    io.out(
      `Built ${Object.keys(build.manifest.models).length} marts in ${build.seconds.toFixed(1)} s.\n`,
    );
  }
  return 0;
}
