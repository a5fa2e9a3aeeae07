/**
 * Returns over the API: upload one (multipart: file, contract, period), list receipts, read one.
 * Locally an accepted upload is followed by an incremental rebuild of the marts for its contract;
 * in AWS the upload is queued (202, with where to ask for the outcome).
 */
import { caseloadMessage } from '../../../pipelines/ingest/caseload.js';
import { listReceipts, readReceipt } from '../../../pipelines/ingest/ingest.js';
import { route } from '../auth/guard.js';
import { canSeeParticipantRows, visibleContracts } from '../../../pipelines/access/index.js';
import { WebError } from '../errors.js';
import { clientAddress } from './audit-hooks.js';
import { uploadPaths } from '../../../reports/pages/upload-status/index.js';
import type { UploadResult } from '../api-shapes.js';
import { receiptPath, receiptSummary, withoutRowValues } from '../receipts.js';

export const returnApiRoutes = [
  route(
    'GET',
    '/api/returns',
    { access: 'read-contract', from: { query: 'contract', optional: true } },
    async (c, { deps, caller, contract }) => {
      const contracts = contract ? [contract] : visibleContracts(caller.user, caller.reference);
      const receipts = (
        await Promise.all(contracts.map((x) => listReceipts(deps.store, { contractId: x.id })))
      ).flat();
      return c.json({ receipts: receipts.map(receiptSummary) });
    },
  ),

  route(
    'GET',
    '/api/returns/:contract/:period/:id',
    { access: 'read-contract', from: { param: 'contract' } },
    async (c, { deps, caller, contract }) => {
      const receipt = await readReceipt(
        deps.store,
        contract.id,
        c.req.param('period') ?? '',
        c.req.param('id') ?? '',
      );
      if (!receipt)
        throw new WebError(
          404,
          `There is no such receipt for contract "${contract.id}". Check the period and receipt id.`,
        );
      return c.json({
        receipt: canSeeParticipantRows(caller.user) ? receipt : withoutRowValues(receipt),
      });
    },
  ),

  route(
    'POST',
    '/api/returns',
    { access: 'submit-return', from: { form: 'contract' } },
    async (c, { deps, caller, contract }) => {
      const body = await c.req.parseBody();
      const file = body['file'];
      const period = body['period'];
      if (!(file instanceof File))
        throw new WebError(
          400,
          'Choose the file to upload: send it as the "file" field of a multipart form.',
        );
      if (typeof period !== 'string' || period.trim() === '')
        throw new WebError(
          400,
          'Say which month the return is for: give "period" as YYYY-MM, for example 2025-04.',
        );
      const now = deps.now();
      const submitted = await deps.intake.submitReturn(deps.store, {
        contract,
        period: period.trim(),
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
        submittedBy: caller.user.id,
        reference: caller.reference,
        from: clientAddress(c),
        now,
        confirmRemoval: body['confirm_removal'] === 'yes' || body['confirm_removal'] === 'true',
      });
      if (submitted.queued) {
        // Queued (AWS): 202, and where to ask for the outcome.
        const status = uploadPaths.api(contract.id, submitted.uploadId);
        c.header('Location', status);
        return c.json({ upload_id: submitted.uploadId, status: 'checking', location: status }, 202);
      }
      const { result, marts } = submitted;
      const { receipt, duplicate } = result;
      c.header('Location', receiptPath(receipt));
      const outcome = result.outcome;
      const caseload =
        receipt.status === 'accepted' && receipt.caseload
          ? caseloadMessage(receipt.caseload)
          : null;
      const answer = (body: UploadResult, status: 200 | 201 | 422) => c.json(body, status);
      if (duplicate) return answer({ receipt, duplicate: true, outcome, marts: null }, 200);
      if (receipt.status === 'rejected')
        return answer({ receipt, duplicate: false, outcome, marts: null }, 422);
      // A held version (ADR 023) is created too: outcome "held", not in force until confirmed.
      return answer({ receipt, duplicate: false, outcome, message: caseload, marts }, 201);
    },
  ),
];
