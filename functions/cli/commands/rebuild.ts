/** `outturn rebuild [--as-of YYYY-MM-DD] [--timings]`: recomputes every mart from staged data and switches it in. */
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';
import { progressLine } from '../progress.js';

export async function rebuildCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    'as-of': { type: 'string' },
    timings: { type: 'boolean' },
  });
  const asOf = values['as-of'];
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new UsageError('--as-of must be a date, YYYY-MM-DD');
  const store = openStoreFor(io);
  const progress = progressLine('Building marts');
  const { manifest, seconds, timings } = await rebuild(store, {
    asOf,
    onProgress: (_, done, total) => progress(done, total),
  });
  io.out(
    `Built ${Object.keys(manifest.models).length} marts (build ${manifest.build_id}, as at ${manifest.as_of}) in ${seconds.toFixed(1)} s, in ${store.description}\n`,
  );
  for (const [name, m] of Object.entries(manifest.models))
    io.out(`  ${name.padEnd(24)} ${m.rows.toLocaleString('en-GB').padStart(12)} rows\n`);
  if (values.timings) {
    io.out('Where the time went:\n');
    for (const t of timings) io.out(`  ${t.seconds.toFixed(2).padStart(8)} s  ${t.step}\n`);
  }
  return 0;
}
