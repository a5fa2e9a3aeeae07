/**
 * `outturn reference load DIR [--as USER]`: loads one's own reference data (the five JSON files
 * a demo folder's reference/ holds) into the store. Everything is checked before anything is
 * written; the change is audited, and the marts are rebuilt when there are any.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { audit } from '../../../pipelines/audit/audit-log.js';
import { putReference } from '../../../pipelines/ingest/reference-store.js';
import { loadReferenceData } from '../../../pipelines/reference/load.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';
import { progressLine } from '../progress.js';

export async function referenceCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { as: { type: 'string', default: 'admin' } });
  const [action, dir, ...extra] = positionals;
  if (action !== 'load')
    throw new UsageError(
      action === undefined
        ? 'Say what to do: reference load DIR'
        : `"${action}" is not something reference does: use reference load DIR`,
    );
  if (!dir || extra.length) throw new UsageError('Give one folder of reference data to load');
  if (
    !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    throw new UsageError(`There is no folder at ${dir}`);

  // Checked as a whole before the store is touched: a ReferenceDataError names each bad value.
  const data = await loadReferenceData(dir);
  const store = openStoreFor(io);
  await putReference(store, data);
  const counts = `${data.programmes.length} programmes, ${data.providers.length} providers, ${data.contracts.length} contracts, ${data.profiles.length.toLocaleString('en-GB')} profile rows, ${data.users.length} users`;
  await audit(store, {
    who: values.as,
    action: 'reference_change',
    target: 'reference/',
    detail: `reference data loaded from ${resolve(dir)} (${counts})`,
    from: 'cli',
  });
  io.out(`Loaded the reference data from ${resolve(dir)} into ${store.description}: ${counts}.\n`);
  if (await readCurrentManifest(store)) {
    const progress = progressLine('Rebuilding marts');
    const { manifest, seconds } = await rebuild(store, {
      onProgress: (_, d, t) => progress(d, t),
    });
    io.out(`Marts rebuilt in ${seconds.toFixed(1)} s (build ${manifest.build_id}).\n`);
  } else io.out('There are no marts yet: they are built when the first return is ingested.\n');
  return 0;
}
