/** GOV.UK form pieces shared by every form page: the inline error message and the file upload field. */
import { html, type Html } from '../html.js';

/** The message under a field in error, tied to it by `<id>-error`; nothing when there is no error. */
export function errorMessage(id: string, text: string | undefined): Html | undefined {
  return text
    ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${text}</p>`
    : undefined;
}

/** A file upload for a CSV or XLSX file, with its label, hint and error. */
export function fileUploadField(options: {
  id: string;
  label: string;
  hint: string;
  error?: string;
}): Html {
  const { id, label, hint, error } = options;
  return html`<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="${id}">${label}</label>
<div id="${id}-hint" class="govuk-hint">${hint}</div>
${errorMessage(id, error)}
<input class="govuk-file-upload${error ? ' govuk-file-upload--error' : ''}" id="${id}" name="${id}" type="file" accept=".csv,.xlsx" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}">
</div>`;
}
