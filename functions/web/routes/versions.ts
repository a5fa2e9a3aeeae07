/**
 * Confirming or discarding a held version of a return, and withdrawing the version in force
 * (ADR 023), as pages (a form on the receipt page) and as the API. Thin: the rules are in
 * pipelines/ingest/version-action.ts; here the request is read, the step audited, the
 * contract's marts brought up to date, and the answer shaped.
 */
import { requestFields } from '../request-fields.js';
import type { Context } from 'hono';
import { audit } from '../../../pipelines/audit/audit-log.js';
import { listReceipts, readReceipt } from '../../../pipelines/ingest/ingest.js';
import type { AcceptedReceipt } from '../../../pipelines/ingest/receipt.js';
import {
  actionMessage,
  actOnVersion,
  VersionActionError,
  type VersionActionResult,
} from '../../../pipelines/ingest/version-action.js';
import type { VersionActionKind } from '../../../pipelines/ingest/versions.js';
import type { Contract } from '../../../pipelines/reference/schema.js';
import { route, type Caller } from '../auth/guard.js';
import type { Deps } from '../deps.js';
import { WebError } from '../errors.js';
import { returnsPaths } from '../../../reports/pages/returns/index.js';
import { clientAddress } from './audit-hooks.js';

const accessFor: Record<VersionActionKind, 'submit-return' | 'withdraw-version'> = {
  confirm: 'submit-return',
  discard: 'submit-return',
  withdraw: 'withdraw-version',
};

const statusFor = {
  not_allowed: 403,
  no_such_version: 404,
  wrong_state: 409,
  locked: 409,
} as const;

async function act(
  c: Context,
  deps: Deps,
  caller: Caller,
  contract: Contract,
  receipt: AcceptedReceipt,
  action: VersionActionKind,
  reason: unknown,
): Promise<{ result: VersionActionResult; marts: unknown }> {
  const now = deps.now();
  let result: VersionActionResult;
  try {
    result = await actOnVersion({
      store: deps.store,
      reference: caller.reference,
      action,
      contractId: contract.id,
      period: receipt.period,
      version: receipt.version,
      by: caller.user.id,
      reason: typeof reason === 'string' ? reason : '',
      now,
    });
  } catch (e) {
    if (e instanceof VersionActionError) throw new WebError(statusFor[e.problem], e.message);
    throw e;
  }
  const message = actionMessage(result.action);
  await audit(
    deps.store,
    {
      who: caller.user.id,
      action: `${action}_version`,
      target: receipt.id,
      detail: message,
      from: clientAddress(c),
    },
    now,
  );
  const marts =
    result.action.in_force_before === result.action.in_force_after
      ? null
      : await deps.intake.rebuildContract(
          deps.store,
          contract.id,
          `${action} version ${receipt.version} of ${receipt.period}`,
          now,
        );
  return { result, marts };
}

function accepted(
  receipt: Awaited<ReturnType<typeof readReceipt>>,
  contract: Contract,
  id: string,
) {
  if (!receipt || receipt.status !== 'accepted')
    throw new WebError(
      404,
      `There is no accepted version with receipt "${id}" for contract "${contract.id}". Check the address, or find it in the returns sent for the contract.`,
    );
  return receipt;
}

function pageRoute(action: VersionActionKind) {
  return route(
    'POST',
    `/contracts/:id/returns/:receipt/${action}`,
    { access: accessFor[action], from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      // The body first: a malformed one is a 400 whatever state the version is in.
      const body = await requestFields(c);
      const id = c.req.param('receipt') ?? '';
      const receipt = accepted(
        (await listReceipts(deps.store, { contractId: contract.id })).find((r) => r.id === id) ??
          null,
        contract,
        id,
      );
      await act(c, deps, caller, contract, receipt, action, body['reason']);
      return c.redirect(`${returnsPaths.receipt(receipt)}?done=${action}`, 303);
    },
  );
}

function apiRoute(action: VersionActionKind) {
  return route(
    'POST',
    `/api/returns/:contract/:period/:id/${action}`,
    { access: accessFor[action], from: { param: 'contract' } },
    async (c, { deps, caller, contract }) => {
      const body = c.req.header('content-type') ? await requestFields(c) : {};
      const id = c.req.param('id') ?? '';
      const receipt = accepted(
        await readReceipt(deps.store, contract.id, c.req.param('period') ?? '', id),
        contract,
        id,
      );
      const { result, marts } = await act(c, deps, caller, contract, receipt, action, body.reason);
      return c.json({
        action: result.action,
        message: actionMessage(result.action),
        version_in_force: result.versions.inForce?.version ?? null,
        marts,
      });
    },
  );
}

export const versionRoutes = [
  pageRoute('confirm'),
  pageRoute('discard'),
  pageRoute('withdraw'),
  apiRoute('confirm'),
  apiRoute('discard'),
  apiRoute('withdraw'),
];
