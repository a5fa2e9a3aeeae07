/**
 * `outturn ingest FILE --contract ID --period YYYY-MM [--as USER]`: keeps the file, validates
 * it, writes a receipt, stages it when accepted, and rebuilds the marts for its contract.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ingestReturn } from '../../../pipelines/ingest/ingest.js';
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import { openStore } from '../../../pipelines/store/open-store.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { formatProblem } from '../../../pipelines/validate/report.js';
import { parse, UsageError, type Io } from '../args.js';
import { progressLine } from '../progress.js';

export async function ingestCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    contract: { type: 'string' },
    period: { type: 'string' },
    as: { type: 'string', default: 'admin' },
    'as-of': { type: 'string' },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('Give one file to ingest');
  if (!values.contract || !values.period)
    throw new UsageError(
      'Give the contract and period the return is for: --contract ID --period YYYY-MM',
    );
  const size = await stat(file).then(
    (s) => s.size,
    () => -1,
  );
  if (size < 0) throw new UsageError(`There is no file at ${file}`);

  const store = openStore();
  const reference = await loadReference(store);
  const outcome = await ingestReturn({
    store,
    bytes: new Uint8Array(await readFile(file)),
    fileName: basename(file),
    contractId: values.contract,
    period: values.period,
    submittedBy: values.as,
    reference,
  });
  const { receipt, duplicate } = outcome;
  if (duplicate)
    io.out(
      `This file was already received for ${receipt.contract_id} ${receipt.period}: receipt ${receipt.id} (${receipt.status}). Nothing changed.\n`,
    );
  else
    io.out(
      `Receipt ${receipt.id}: ${receipt.status}${receipt.status === 'accepted' ? `, version ${receipt.version}` : ''} (${receipt.counts.rows.toLocaleString('en-GB')} rows, ${receipt.counts.errors} errors, ${receipt.counts.warnings} warnings)\n`,
    );
  for (const p of receipt.report.problems.slice(0, 50)) io.out(`  ${formatProblem(p)}\n`);
  if (receipt.report.problems.length > 50)
    io.out(
      `  …and ${receipt.report.errorCount + receipt.report.warningCount - 50} more: see the receipt.\n`,
    );

  if (receipt.status === 'accepted' && !duplicate) {
    const progress = progressLine(`Rebuilding marts for ${receipt.contract_id}`);
    const { manifest, seconds } = await rebuild(store, {
      contracts: [receipt.contract_id],
      asOf: values['as-of'],
      onProgress: (_, d, t) => progress(d, t),
    });
    io.out(
      `Marts rebuilt for ${receipt.contract_id} in ${seconds.toFixed(1)} s (build ${manifest.build_id}).\n`,
    );
  }
  return receipt.status === 'accepted' ? 0 : 1;
}
