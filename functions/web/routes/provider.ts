/**
 * The provider portal: a contract's returns as pages. The history of every upload, the upload
 * form, and each receipt with its validation report. The same actions as POST /api/returns,
 * for people with a browser and no script.
 */
import { IngestRefusedError, listSubmissions } from '../../../pipelines/ingest/ingest.js';
import { changeSummary } from '../../../pipelines/ingest/changes.js';
import { returnVersionsOf, versionStatesOf } from '../../../pipelines/ingest/versions.js';
import { periodSchema, type Contract } from '../../../pipelines/reference/schema.js';
import { newestReviews, reviewsFor } from '../../../pipelines/review/review.js';
import { returnStateOf, returnStatesOf } from '../../../pipelines/review/approval.js';
import { route, type Caller } from '../auth/guard.js';
import {
  AccessRefusedError,
  canReview,
  canSeeParticipantRows,
  canSubmitFor,
  canWithdrawFor,
} from '../../../pipelines/access/index.js';
import { fileSizeRule } from '../body-limits.js';
import type { Deps } from '../deps.js';
import { today } from '../../../pipelines/calendar/days.js';
import { returnsOwed, type OwedReturn } from '../../../pipelines/returns/due.js';
import { notifyNow } from '../notify.js';
import { rejectedNotices } from '../../../pipelines/notify/due.js';
import { WebError } from '../errors.js';
import { problemsDownload } from '../../../reports/components/validation-report.js';
import { attachment } from './downloads.js';
import { clientAddress } from './audit-hooks.js';
import { uploadPaths } from '../../../reports/pages/upload-status/index.js';
import {
  historyPage,
  receiptPage,
  returnsPaths,
  uploadPage,
  type ReturnsContext,
  type UploadForm,
} from '../../../reports/pages/returns/index.js';

const see = { access: 'read-contract', from: { param: 'id' } } as const;
const submit = { access: 'submit-return', from: { param: 'id' } } as const;

function context(caller: Caller, contract: Contract): ReturnsContext {
  return { contract, reference: caller.reference, maySubmit: canSubmitFor(caller.user, contract) };
}

export const providerRoutes = [
  route('GET', '/contracts/:id/returns', see, async (c, { deps, caller, contract }) => {
    const [{ receipts, actions }, reviews] = await Promise.all([
      listSubmissions(deps.store, { contractId: contract.id }),
      reviewsFor(deps.store, contract.id),
    ]);
    const months = await returnStatesOf(
      deps.store,
      caller.reference,
      contract,
      [...new Set(receipts.map((r) => r.period))],
      deps.now(),
    );
    return c.html(
      historyPage(
        context(caller, contract),
        receipts,
        newestReviews(reviews),
        versionStatesOf(receipts, actions),
        months,
      ).toString(),
    );
  }),

  // Registered before /returns/:receipt so "new" is never read as a receipt id.
  route('GET', '/contracts/:id/returns/new', submit, async (c, { deps, caller, contract }) => {
    const asked = c.req.query('period');
    return c.html(
      uploadPage(
        context(caller, contract),
        asked !== undefined && periodSchema.safeParse(asked).success ? { period: asked } : {},
        fileSizeRule(deps.intake.uploadLimits),
        await monthsOf(deps, contract),
      ).toString(),
    );
  }),

  route('POST', '/contracts/:id/returns/new', submit, async (c, { deps, caller, contract }) => {
    const body = await c.req.parseBody();
    const checked = checkForm(body['period'], body['file']);
    if (!checked.ok)
      return c.html(
        uploadPage(
          context(caller, contract),
          checked.form,
          fileSizeRule(deps.intake.uploadLimits),
          await monthsOf(deps, contract),
        ).toString(),
        400,
      );
    const now = deps.now();
    let submitted;
    try {
      submitted = await deps.intake.submitReturn(deps.store, {
        contract,
        period: checked.period,
        fileName: checked.file.name,
        bytes: new Uint8Array(await checked.file.arrayBuffer()),
        submittedBy: caller.user.id,
        reference: caller.reference,
        from: clientAddress(c),
        now,
      });
    } catch (e) {
      if (e instanceof IngestRefusedError) {
        if (e.reason === 'locked' || e.reason === 'closed')
          return c.html(
            uploadPage(
              context(caller, contract),
              { period: checked.period, errors: { period: e.message } },
              fileSizeRule(deps.intake.uploadLimits),
            ).toString(),
            409,
          );
        if (e.reason === 'invalid_period')
          return c.html(
            uploadPage(
              context(caller, contract),
              { period: checked.period, errors: { period: e.message } },
              fileSizeRule(deps.intake.uploadLimits),
              await monthsOf(deps, contract),
            ).toString(),
            400,
          );
      }
      throw e;
    }
    // Queued (AWS): the page to watch while the ingest function checks the file.
    if (submitted.queued)
      return c.redirect(uploadPaths.status(contract.id, submitted.uploadId), 303);
    const { result, marts } = submitted;
    if (!result.duplicate)
      await notifyNow(
        deps,
        caller.reference,
        rejectedNotices(caller.reference, result.receipt),
        now,
        caller.user.id,
      );
    const { receipt, duplicate } = result;
    const flag = duplicate
      ? result.outcome === 'unchanged'
        ? '?duplicate=in-force'
        : '?duplicate=yes'
      : marts && !marts.rebuilt
        ? '?rebuild=failed'
        : '';
    return c.redirect(`${returnsPaths.receipt(receipt)}${flag}`, 303);
  }),

  route('GET', '/contracts/:id/returns/:receipt', see, async (c, { deps, caller, contract }) => {
    const id = c.req.param('receipt') ?? '';
    const { receipts, actions } = await listSubmissions(deps.store, { contractId: contract.id });
    const receipt = receipts.find((r) => r.id === id);
    if (!receipt)
      throw new WebError(
        404,
        `There is no receipt "${id}" for contract "${contract.id}". Check the address, or find it in the returns sent for the contract.`,
      );
    const review =
      newestReviews(await reviewsFor(deps.store, contract.id, receipt.period)).get(receipt.id) ??
      null;
    const showProblems = canSeeParticipantRows(caller.user);
    const mayReview = canReview(caller.user, contract);
    if (c.req.query('format') !== undefined) {
      if (c.req.query('format') !== 'csv')
        throw new WebError(400, 'The problems download as CSV only: use ?format=csv.');
      if (!showProblems)
        throw new AccessRefusedError(
          'forbidden',
          'The problems quote cells of the return, so only the provider and the contract manager may download them.',
        );
      return attachment(c, problemsDownload(receipt.report), `problems-${receipt.id}`);
    }
    return c.html(
      receiptPage(context(caller, contract), receipt, {
        page: pageNumber(c.req.query('page')),
        showProblems,
        review,
        mayReview,
        ...(mayReview && receipt.status === 'accepted' && receipt.kind === 'participant'
          ? { changes: await changeSummary(deps.store, receipt) }
          : {}),
        duplicate: c.req.query('duplicate') === 'yes',
        unchanged: c.req.query('duplicate') === 'in-force',
        versions:
          returnVersionsOf(receipts, actions).find((rv) =>
            rv.versions.some((v) => v.receipt.id === receipt.id),
          ) ?? null,
        mayWithdraw: canWithdrawFor(caller.user, contract),
        done: c.req.query('done') ?? null,
        rebuildFailed: c.req.query('rebuild') === 'failed' && receipt.status === 'accepted',
        returnState: await returnStateOf(
          deps.store,
          caller.reference,
          contract,
          receipt.period,
          deps.now(),
        ),
        mayReopen: canReview(caller.user, contract),
        reopened: c.req.query('done') === 'reopened',
      }).toString(),
    );
  }),
];

/** The contract's ended months and how each stands, for the month picker. */
async function monthsOf(deps: Deps, contract: Contract): Promise<OwedReturn[]> {
  const { receipts } = await listSubmissions(deps.store, { contractId: contract.id });
  return returnsOwed(contract, receipts, today(deps.now()));
}

/** `?page=N`: a whole number from 1, else the first page. */
function pageNumber(query: string | undefined): number {
  const n = query === undefined ? 1 : Number(query);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

type Checked = { ok: true; period: string; file: File } | { ok: false; form: UploadForm };

/** The form's two answers, or what to say about each one that is missing or wrong. */
export function checkForm(periodField: unknown, fileField: unknown): Checked {
  const period = typeof periodField === 'string' ? periodField.trim() : '';
  const errors: NonNullable<UploadForm['errors']> = {};
  if (period === '') errors.period = 'Select the month the return is for';
  else if (!periodSchema.safeParse(period).success)
    errors.period = 'Select the month the return is for from the list';
  // A browser sends an empty, nameless file when none was chosen.
  if (!(fileField instanceof File) || (fileField.size === 0 && fileField.name === ''))
    errors.file = 'Select the file to upload';
  else if (fileField.size === 0) errors.file = 'The selected file is empty';
  if (errors.period || errors.file || !(fileField instanceof File))
    return { ok: false, form: { period, errors } };
  return { ok: true, period, file: fileField };
}
