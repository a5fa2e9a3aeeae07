/**
 * `outturn ingest FILE --contract ID --period YYYY-MM [--as USER] [--confirm-removal]`: keeps
 * the file, validates it, writes a receipt, stages it when accepted, and rebuilds the marts for
 * its contract. A file that would remove much of the caseload is held (ADR 023) unless
 * `--confirm-removal` is given; `outturn version confirm|discard|withdraw` acts on it later.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { auditIngest } from '../../../pipelines/audit/upload-audit.js';
import { caseloadMessage } from '../../../pipelines/ingest/caseload.js';
import { ingestReturn } from '../../../pipelines/ingest/ingest.js';
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import { currentLag, describeMissing } from '../../../pipelines/transform/lag.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { formatProblem } from '../../../pipelines/validate/report.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';
import { progressLine } from '../progress.js';

/**
 * When a historical return was really received: a day (taken as noon UTC, inside office hours
 * all year) or a full ISO timestamp; never in the future. Undefined means now.
 */
function receivedAt(value: string | undefined, now = new Date()): Date | undefined {
  if (value === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T12:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? new Date(value)
      : new Date(NaN);
  if (
    Number.isNaN(at.getTime()) ||
    (value.length === 10 && at.toISOString().slice(0, 10) !== value)
  )
    throw new UsageError(
      `--received must be the day the return was received, YYYY-MM-DD (or an ISO timestamp), not "${value}"`,
    );
  if (at.getTime() > now.getTime())
    throw new UsageError(`--received ${value} is in the future: give the day the return came in`);
  return at;
}

export async function ingestCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    contract: { type: 'string' },
    period: { type: 'string' },
    as: { type: 'string', default: 'admin' },
    'as-of': { type: 'string' },
    'confirm-removal': { type: 'boolean', default: false },
    received: { type: 'string' },
  });
  const received = receivedAt(values.received);
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

  const store = openStoreFor(io);
  const reference = await loadReference(store);
  // A refusal (IngestRefusedError) is an OutturnError: functions/cli/main.ts prints it.
  const now = new Date();
  const outcome = await ingestReturn({
    store,
    bytes: new Uint8Array(await readFile(file)),
    fileName: basename(file),
    contractId: values.contract,
    period: values.period,
    submittedBy: values.as,
    reference,
    now: received,
    confirmRemoval: values['confirm-removal'],
  });
  await auditIngest(store, values.as, outcome, 'cli', now);
  const { receipt, duplicate } = outcome;
  // Every contract whose marts lag its receipts: this one after a new receipt, and any left
  // behind by a build that failed earlier, here or in another process (ADR 027).
  const lag = await currentLag(store);
  if (duplicate)
    io.out(
      outcome.outcome === 'unchanged'
        ? `This file is the version in force for ${receipt.contract_id} ${receipt.period}: receipt ${receipt.id}, version ${receipt.status === 'accepted' ? receipt.version : ''}.${lag.contracts.length ? '' : ' Nothing changed.'}\n`
        : `This file was already received for ${receipt.contract_id} ${receipt.period}: receipt ${receipt.id} (${receipt.status}${outcome.receipt.status === 'accepted' && outcome.receipt.caseload?.held ? ', held' : ''}).${lag.contracts.length ? '' : ' Nothing changed.'}\n`,
    );
  else
    io.out(
      `Receipt ${receipt.id}${received ? ` (received ${receipt.submitted_at})` : ''}: ${receipt.status}${receipt.status === 'accepted' ? `, version ${receipt.version}` : ''}${receipt.status === 'accepted' && receipt.restores ? `, restoring version ${receipt.restores.version}` : ''} (${receipt.counts.rows.toLocaleString('en-GB')} rows, ${receipt.counts.errors} errors, ${receipt.counts.warnings} warnings)\n`,
    );
  if (receipt.status === 'accepted' && receipt.caseload && !duplicate) {
    const message = caseloadMessage(receipt.caseload);
    if (message) io.out(`${message}\n`);
    if (receipt.caseload.held)
      io.out(
        `Held, not in force. To put it in force: npm run outturn -- version confirm --contract ${receipt.contract_id} --period ${receipt.period} --version ${receipt.version} --as ${values.as}\n` +
          `(or send it again with --confirm-removal); to discard it: version discard with the same options.\n`,
      );
  }
  for (const p of receipt.report.problems.slice(0, 50)) io.out(`  ${formatProblem(p)}\n`);
  if (receipt.report.problems.length > 50)
    io.out(
      `  …and ${receipt.report.errorCount + receipt.report.warningCount - 50} more: see the receipt.\n`,
    );

  // Held versions are not in force, but their receipts still count towards the lag: the build
  // records them as included (their marts do not change), so they do not leave the marts behind.
  const behind = lag.missing.filter((r) => r.receipt_id !== receipt.id);
  if (behind.length)
    io.out(
      `The marts did not yet include ${describeMissing(behind)}: an earlier build did not finish. Rebuilding them too.\n`,
    );
  if (lag.contracts.length) {
    const names = lag.contracts.join(', ');
    const progress = progressLine(`Rebuilding marts for ${names}`);
    const { manifest, seconds, attempts } = await rebuild(store, {
      contracts: lag.contracts,
      asOf: values['as-of'],
      onProgress: (_, d, t) => progress(d, t),
    });
    io.out(
      `Marts rebuilt for ${names} in ${seconds.toFixed(1)} s (build ${manifest.build_id}${attempts > 1 ? `; built ${attempts} times, as other builds switched in first` : ''}).\n`,
    );
  }
  // A held file is not an error, but the caller must know it is not in force: exit code 3.
  return outcome.outcome === 'held' ? 3 : receipt.status === 'accepted' ? 0 : 1;
}
