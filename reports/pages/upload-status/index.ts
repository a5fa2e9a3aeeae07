/**
 * The page a provider watches while a queued upload (AWS) is checked: it refreshes itself every
 * few seconds (no script needed) until the outcome exists, when the route sends the browser on
 * to the receipt; a refused upload is shown here, with what to do.
 */
import type { UploadIntent, UploadOutcome } from '../../../pipelines/ingest/queued-upload.js';
import type { Contract, ReferenceData } from '../../../pipelines/reference/schema.js';
import { formatPeriod } from '../../format.js';
import { html } from '../../html.js';
import { layout } from '../../layout.js';
import { contractTitle } from '../../names.js';
import { returnsPaths } from '../returns/index.js';

export const REFRESH_SECONDS = 3;

export const uploadPaths = {
  status: (contractId: string, uploadId: string) =>
    `/contracts/${encodeURIComponent(contractId)}/uploads/${encodeURIComponent(uploadId)}`,
  api: (contractId: string, uploadId: string) =>
    `/api/uploads/${encodeURIComponent(contractId)}/${encodeURIComponent(uploadId)}`,
};

function navigation(contract: Contract) {
  return [
    { text: 'Your contracts', href: '/' },
    { text: 'Contract', href: returnsPaths.contract(contract) },
    { text: 'Returns sent', href: returnsPaths.history(contract) },
  ];
}

/**
 * "We have your file; checking it…", refreshing itself every few seconds unless `refresh` is
 * false. A timed refresh is a time limit (WCAG 2.2.1), so the page offers to stop it
 * (`?refresh=off`), which shows the same page with a link to check again instead.
 */
export function checkingPage(
  contract: Contract,
  reference: ReferenceData,
  intent: UploadIntent,
  refresh = true,
): string {
  const here = uploadPaths.status(contract.id, intent.upload_id);
  const page = layout({
    title: `Checking your return – ${contract.id}`,
    navigation: navigation(contract),
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<span class="govuk-caption-l">${contractTitle(contract, reference)}</span>
<h1 class="govuk-heading-l">We have your file; checking it…</h1>
<p class="govuk-body">${intent.file_name}, the return for ${formatPeriod(intent.period)}.</p>
<p class="govuk-body">This usually takes a few seconds. ${
      refresh
        ? `This page refreshes itself every ${REFRESH_SECONDS} seconds and takes you to the receipt when the check is done.`
        : 'Check again to see the receipt once the check is done.'
    } If nothing has changed after a few minutes, send the return again: sending the same file twice does no harm.</p>
<p class="govuk-body"><a class="govuk-link" href="${refresh ? here : `${here}?refresh=off`}">Check again now</a></p>
${refresh && html`<p class="govuk-body"><a class="govuk-link" href="${here}?refresh=off">Stop this page refreshing itself</a></p>`}
</div></div>`,
  }).toString();
  return refresh
    ? page.replace('</head>', `<meta http-equiv="refresh" content="${REFRESH_SECONDS}">\n</head>`)
    : page;
}

/** A refused upload: nothing was read into Outturn, and why. */
export function refusedPage(
  contract: Contract,
  reference: ReferenceData,
  outcome: UploadOutcome,
  maySubmit: boolean,
): string {
  return layout({
    title: `Return not taken – ${contract.id}`,
    navigation: navigation(contract),
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<span class="govuk-caption-l">${contractTitle(contract, reference)}</span>
<h1 class="govuk-heading-l">Your file was not taken</h1>
<p class="govuk-body">${outcome.message ?? 'The file could not be taken.'}</p>
<p class="govuk-body">Nothing from it has been added to Outturn.</p>
${maySubmit && html`<p class="govuk-body"><a class="govuk-button" href="${returnsPaths.upload(contract)}">Send a return</a></p>`}
</div></div>`,
  }).toString();
}
