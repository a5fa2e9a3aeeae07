/**
 * `outturn version list|confirm|discard|withdraw --contract ID --period YYYY-MM [--version N]
 * [--as USER] [--reason TEXT]`: shows a return's versions and their states, or confirms or
 * discards a held version, or withdraws the version in force (ADR 023), then rebuilds the marts
 * for the contract when the version in force changed.
 */
import { audit } from '../../../pipelines/audit/audit-log.js';
import { listSubmissions } from '../../../pipelines/ingest/ingest.js';
import { loadReference } from '../../../pipelines/ingest/reference-store.js';
import {
  actionMessage,
  actOnVersion,
  VersionActionError,
} from '../../../pipelines/ingest/version-action.js';
import { returnVersionsOf, stateNames } from '../../../pipelines/ingest/versions.js';
import { openStore } from '../../../pipelines/store/open-store.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { parse, UsageError, type Io } from '../args.js';

const actions = ['confirm', 'discard', 'withdraw'] as const;

export async function versionCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    contract: { type: 'string' },
    period: { type: 'string' },
    version: { type: 'string' },
    as: { type: 'string', default: 'admin' },
    reason: { type: 'string', default: '' },
    'as-of': { type: 'string' },
  });
  const what = positionals[0];
  if (positionals.length !== 1 || !(what === 'list' || actions.includes(what as never)))
    throw new UsageError('Say what to do: list, confirm, discard or withdraw');
  if (!values.contract || !values.period)
    throw new UsageError('Give the return: --contract ID --period YYYY-MM');
  const store = openStore();
  if (what === 'list') {
    const { receipts, actions: done } = await listSubmissions(store, {
      contractId: values.contract,
      period: values.period,
    });
    for (const rv of returnVersionsOf(receipts, done))
      for (const v of rv.versions)
        io.out(
          `version ${v.receipt.version}  ${stateNames[v.state]}  ${v.receipt.counts.rows.toLocaleString('en-GB')} rows  sent ${v.receipt.submitted_at} by ${v.receipt.submitted_by}${v.receipt.restores ? `  (restores version ${v.receipt.restores.version})` : ''}\n`,
        );
    for (const a of done) io.out(`${a.at}  ${a.by}: ${actionMessage(a)}\n`);
    return 0;
  }
  const version = Number(values.version);
  if (!Number.isInteger(version) || version < 1)
    throw new UsageError('Give the version to act on: --version N');
  const reference = await loadReference(store);
  const now = new Date();
  let result;
  try {
    result = await actOnVersion({
      store,
      reference,
      action: what as (typeof actions)[number],
      contractId: values.contract,
      period: values.period,
      version,
      by: values.as,
      reason: values.reason,
      now,
    });
  } catch (e) {
    if (e instanceof VersionActionError) {
      io.err(`Refused: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const message = actionMessage(result.action);
  await audit(
    store,
    {
      who: values.as,
      action: `${result.action.action}_version`,
      target: result.action.receipt_id,
      detail: message,
      from: 'cli',
    },
    now,
  );
  io.out(`${message}\n`);
  if (result.action.in_force_before !== result.action.in_force_after) {
    const { manifest } = await rebuild(store, {
      contracts: [values.contract],
      asOf: values['as-of'],
    });
    io.out(`Marts rebuilt for ${values.contract} (build ${manifest.build_id}).\n`);
  }
  return 0;
}
