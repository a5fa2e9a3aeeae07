/**
 * Returns over the API: upload one (multipart: file, contract, period), list receipts, read one.
 * An accepted upload is followed by an incremental rebuild of the marts for its contract.
 */
import { isoDate, today } from '../../../pipelines/calendar/days.js';
import { IngestRefusedError, ingestReturn, listReceipts } from '../../../pipelines/ingest/ingest.js';
import type { Receipt } from '../../../pipelines/ingest/receipt.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { route } from '../auth/guard.js';
import { AccessError, canSeeParticipantRows, visibleContracts } from '../auth/policy.js';
import { WebError } from '../errors.js';
import { auditUpload } from './audit-hooks.js';
import { readReceipt, receiptPath, receiptSummary, withoutRowValues } from '../receipts.js';

export const returnApiRoutes = [
  route('GET', '/api/returns', { who: 'contract', may: 'see', from: { query: 'contract', optional: true } }, async (c, { deps, caller, contract }) => {
    const contracts = contract ? [contract] : visibleContracts(caller.user, caller.reference);
    const receipts = (await Promise.all(contracts.map((x) => listReceipts(deps.store, { contractId: x.id })))).flat();
    return c.json({ receipts: receipts.map(receiptSummary) });
  }),

  route('GET', '/api/returns/:contract/:period/:id', { who: 'contract', may: 'see', from: { param: 'contract' } }, async (c, { deps, caller, contract }) => {
    const receipt = await readReceipt(deps.store, contract.id, c.req.param('period') ?? '', c.req.param('id') ?? '');
    if (!receipt) throw new WebError(404, `There is no such receipt for contract "${contract.id}". Check the period and receipt id.`);
    return c.json({ receipt: canSeeParticipantRows(caller.user) ? receipt : withoutRowValues(receipt) });
  }),

  route('POST', '/api/returns', { who: 'contract', may: 'submit', from: { form: 'contract' } }, async (c, { deps, caller, contract }) => {
    const body = await c.req.parseBody();
    const file = body['file'];
    const period = body['period'];
    if (!(file instanceof File)) throw new WebError(400, 'Choose the file to upload: send it as the "file" field of a multipart form.');
    if (typeof period !== 'string' || period.trim() === '') throw new WebError(400, 'Say which month the return is for: give "period" as YYYY-MM, for example 2025-04.');
    const now = deps.now();
    let result;
    try {
      result = await ingestReturn({
        store: deps.store,
        bytes: new Uint8Array(await file.arrayBuffer()),
        fileName: file.name,
        contractId: contract.id,
        period: period.trim(),
        submittedBy: caller.user.id,
        reference: caller.reference,
        now,
      });
    } catch (e) {
      if (e instanceof IngestRefusedError) throw e.reason === 'invalid_period' ? new WebError(400, e.message) : new AccessError(403, e.message);
      throw e;
    }
    await auditUpload(deps.store, c, caller.user.id, result, now);
    const { receipt, duplicate } = result;
    c.header('Location', receiptPath(receipt));
    if (duplicate) return c.json({ receipt, duplicate: true, marts: null }, 200);
    if (receipt.status === 'rejected') return c.json({ receipt, duplicate: false, marts: null }, 422);
    return c.json({ receipt, duplicate: false, marts: await rebuildFor(receipt, now, deps.store) }, 201);
  }),
];

/**
 * The receipt is the commit point, so a failed rebuild does not undo the upload: the answer
 * says so, the previous marts keep serving, and the next build picks the return up.
 */
async function rebuildFor(receipt: Receipt, now: Date, store: Parameters<typeof rebuild>[0]) {
  try {
    const built = await rebuild(store, { contracts: [receipt.contract_id], asOf: isoDate(today(now)) });
    return { rebuilt: true as const, build_id: built.manifest.build_id };
  } catch (e) {
    console.error(`Rebuilding the marts after receipt ${receipt.id} failed:`, e);
    return { rebuilt: false as const, error: 'The return was accepted, but the dashboards could not be updated yet; they will include it after the next rebuild.' };
  }
}
