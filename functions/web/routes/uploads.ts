/**
 * Queued uploads (AWS, ADR 015): where to watch an upload being checked, as a page and as JSON,
 * and presigned URLs for sending a file straight to the raw bucket. Uploads are found only under
 * their own contract, after the policy has allowed the caller that contract.
 */
import { IngestRefusedError } from '../../../pipelines/ingest/ingest.js';
import { uploadStatus, type UploadStatus } from '../../../pipelines/ingest/queued-upload.js';
import type { Contract } from '../../../pipelines/reference/schema.js';
import { route } from '../auth/guard.js';
import { canSubmitFor } from '../../../pipelines/access/index.js';
import { WebError } from '../errors.js';
import { requestFields } from '../request-fields.js';
import { returnsPaths } from '../../../reports/pages/returns/index.js';
import {
  checkingPage,
  refusedPage,
  REFRESH_SECONDS,
  uploadPaths,
} from '../../../reports/pages/upload-status/index.js';
import { receiptPath } from '../receipts.js';
import { clientAddress } from './audit-hooks.js';

const notFound = (contract: Contract, id: string) =>
  new WebError(
    404,
    `There is no upload "${id}" for contract "${contract.id}". Check the address, or find the return in the returns sent for the contract.`,
  );

/** The upload's status, if it belongs to the contract. */
async function statusFor(
  store: Parameters<typeof uploadStatus>[0],
  contract: Contract,
  id: string,
): Promise<Exclude<UploadStatus, { state: 'unknown' }>> {
  const status = await uploadStatus(store, id);
  if (status.state === 'unknown') throw notFound(contract, id);
  const contractId =
    status.state === 'done' ? status.outcome.contract_id : status.intent.contract_id;
  if (contractId !== contract.id) throw notFound(contract, id);
  return status;
}

export const uploadRoutes = [
  route(
    'GET',
    '/contracts/:id/uploads/:upload',
    { access: 'read-contract', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const id = c.req.param('upload') ?? '';
      const status = await statusFor(deps.store, contract, id);
      if (status.state === 'checking')
        return c.html(
          checkingPage(contract, caller.reference, status.intent, c.req.query('refresh') !== 'off'),
        );
      const { outcome } = status;
      if (outcome.status === 'refused' || outcome.receipt_id === null)
        return c.html(
          refusedPage(contract, caller.reference, outcome, canSubmitFor(caller.user, contract)),
        );
      const receipt = returnsPaths.receipt({ contract_id: contract.id, id: outcome.receipt_id });
      // Whether it refreshed itself or not, the check is done: on to the receipt.
      return c.redirect(outcome.status === 'duplicate' ? `${receipt}?duplicate=yes` : receipt, 303);
    },
  ),

  route(
    'GET',
    '/api/uploads/:contract/:upload',
    { access: 'read-contract', from: { param: 'contract' } },
    async (c, { deps, contract }) => {
      const id = c.req.param('upload') ?? '';
      const status = await statusFor(deps.store, contract, id);
      if (status.state === 'checking') {
        c.header('Retry-After', String(REFRESH_SECONDS));
        return c.json({
          upload_id: id,
          contract_id: contract.id,
          period: status.intent.period,
          status: 'checking',
          receipt: null,
          message: null,
        });
      }
      const { outcome } = status;
      const receipt =
        outcome.receipt_id && outcome.period
          ? receiptPath({
              contract_id: contract.id,
              period: outcome.period,
              id: outcome.receipt_id,
            })
          : null;
      return c.json({
        upload_id: id,
        contract_id: contract.id,
        period: outcome.period,
        status: outcome.status,
        version: outcome.version,
        counts: outcome.counts,
        receipt,
        message: outcome.message,
      });
    },
  ),

  route(
    'POST',
    '/api/returns/upload-url',
    { access: 'submit-return', from: { form: 'contract' } },
    async (c, { deps, caller, contract }) => {
      const body = await requestFields(c);
      const period = typeof body['period'] === 'string' ? body['period'].trim() : '';
      const fileName = typeof body['file_name'] === 'string' ? body['file_name'].trim() : '';
      // A number in JSON, text in a form.
      const size = body['file_size'];
      const fileBytes =
        typeof size === 'number' || (typeof size === 'string' && /^\d{1,15}$/.test(size.trim()))
          ? Number(size)
          : NaN;
      if (period === '')
        throw new WebError(
          400,
          'Say which month the return is for: give "period" as YYYY-MM, for example 2025-04.',
        );
      if (fileName === '')
        throw new WebError(
          400,
          'Give the name of the file you will upload as "file_name", for example april.csv: it tells CSV from XLSX.',
        );
      if (!Number.isSafeInteger(fileBytes) || fileBytes < 1)
        throw new WebError(
          400,
          'Give the size in bytes of the file you will upload as "file_size", for example 52311: the link takes exactly that many bytes.',
        );
      const upload = await deps.pipeline.uploadUrl(deps.store, {
        contract,
        period,
        fileName,
        fileBytes,
        submittedBy: caller.user.id,
        reference: caller.reference,
        from: clientAddress(c),
        now: deps.now(),
      });
      const status = uploadPaths.api(contract.id, upload.upload_id);
      c.header('Location', status);
      return c.json({ ...upload, status }, 201);
    },
  ),
];
