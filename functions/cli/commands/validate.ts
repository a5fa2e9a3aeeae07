/** `outturn validate FILE [--contract ID --period YYYY-MM] [--reference DIR] [--json]`: exit 0 accepted, 1 rejected. */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import { loadReferenceData, ReferenceDataError } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { formatProblem } from '../../../pipelines/validate/report.js';
import { oversizedReport, validateReturn } from '../../../pipelines/validate/validate-return.js';
import { defaultLimits } from '../../../pipelines/validate/limits.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';

/** The store's reference data, or a usage error: a contract that cannot be checked is not passed. */
async function loadStoreReference(io: Io, contract: string): Promise<ReferenceData> {
  const store = openStoreFor(io);
  try {
    return await loadReference(store);
  } catch (e) {
    if (!(e instanceof ReferenceDataError)) throw e;
    throw new UsageError(
      `Cannot check the return against contract "${contract}": ${store.description} has no usable reference data (${e.problems[0]?.message ?? e.message}). ` +
        'Load it with "outturn reference load DIR", give --reference DIR, or leave out --contract to check the file alone.',
    );
  }
}

export async function validateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    contract: { type: 'string' },
    period: { type: 'string' },
    reference: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError(
      'Give one file to validate: outturn validate FILE [--contract ID --period YYYY-MM] [--json]',
    );

  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new UsageError(`There is no file at ${file}`);
  }
  // With --contract, the contract and period are checked against the reference data: from
  // --reference DIR, or else from the store (OUTTURN_DATA_DIR or S3).
  const reference = !values.contract
    ? null
    : values.reference
      ? await loadReferenceData(values.reference)
      : await loadStoreReference(io, values.contract);

  const ctx = { contractId: values.contract ?? null, period: values.period ?? null, reference };
  // An oversized file is refused from its size, before it is read into memory.
  const result =
    size > defaultLimits.maxFileBytes
      ? { status: 'rejected' as const, report: oversizedReport(basename(file), size, ctx) }
      : validateReturn(new Uint8Array(await readFile(file)), basename(file), ctx);
  const r = result.report;
  if (values.json) io.out(JSON.stringify(r, null, 2) + '\n');
  else {
    const verdict = result.status === 'accepted' ? 'Accepted' : 'Rejected';
    io.out(
      `${verdict}: ${r.file.name} (${r.file.format}, ${r.kind ?? 'unknown kind'} return, ${r.rowCount.toLocaleString('en-GB')} rows)\n`,
    );
    io.out(
      `${r.errorCount} error${r.errorCount === 1 ? '' : 's'}, ${r.warningCount} warning${r.warningCount === 1 ? '' : 's'}\n`,
    );
    for (const p of r.problems) io.out(`  ${formatProblem(p)}\n`);
    if (r.unlisted)
      io.out(
        `  …and ${r.unlisted.toLocaleString('en-GB')} more problems not listed. Counts by rule:\n`,
      );
    if (r.unlisted)
      for (const c of r.rules)
        io.out(`    ${c.count.toLocaleString('en-GB')} × ${c.description} (${c.rule})\n`);
  }
  return result.status === 'accepted' ? 0 : 1;
}
