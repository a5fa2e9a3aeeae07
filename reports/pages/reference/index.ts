/**
 * The reference data pages: what is in force (programmes with their measures, standards and RAG
 * thresholds; contracts; a summary of the profiles) with every upload kept, the upload form, and
 * the report for an upload that was not accepted. Pure functions of what the route looked up.
 */
import { errorMessage, fileUploadField } from '../../components/form-fields.js';
import type { ReferenceVersion } from '../../../pipelines/reference/upload/versions.js';
import type { UploadKind } from '../../../pipelines/reference/upload/parse.js';
import { uploadColumns } from '../../../pipelines/reference/upload/parse.js';
import type { Programme, ReferenceData, Standard } from '../../../pipelines/reference/schema.js';
import type { ValidationReport } from '../../../pipelines/validate/report.js';
import { errorSummary } from '../../components/error-summary.js';
import { validationReport } from '../../components/validation-report.js';
import { formatMoney, formatNumber, formatPercent, formatPeriod } from '../../format.js';
import type { Column } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { ragThreshold, ragWord } from '../../components/rag-tag.js';
import { html, type Html, type HtmlValue } from '../../html.js';
import { layout, type NavItem } from '../../layout.js';
import { formatReceived } from '../returns/index.js';

export const referencePaths = {
  view: '/reference',
  upload: '/reference/upload',
  download: { contracts: '/reference/contracts.csv', profiles: '/reference/profiles.csv' },
  xlsx: { contracts: '/reference/contracts.xlsx', profiles: '/reference/profiles.xlsx' },
} as const;

const kindNames: Record<UploadKind, string> = {
  contracts: 'Contracts',
  profiles: 'Monthly profiles',
};

function navigation(current: 'view' | 'upload'): NavItem[] {
  return [
    { text: 'Your contracts', href: '/' },
    { text: 'Reference data', href: referencePaths.view, current: current === 'view' },
    { text: 'Upload reference data', href: referencePaths.upload, current: current === 'upload' },
  ];
}

/** A heading of one of these tables; its cells take its alignment. */
const th = (text: string, numeric = false): Pick<Column, 'label' | 'numeric'> => ({
  label: text,
  numeric,
});
const td = (value: Html | string, _numeric = false): HtmlValue => value;

/** A table of reference data through the one data-table component. */
function table(
  caption: string,
  head: Pick<Column, 'label' | 'numeric'>[],
  rows: HtmlValue[][],
  size: 's' | 'm' = 's',
): Html {
  return dataTable({
    caption,
    captionSize: size,
    columns: head.map((h, i) => ({
      ...h,
      key: String(i),
      render: (row) => row[String(i)] as HtmlValue,
    })),
    rows: rows.map((r) => Object.fromEntries(r.map((v, i) => [String(i), v]))),
  });
}

const milestoneName = (m: string) => m.replace(/_date$/, '').replaceAll('_', ' ');

function standardRule(s: Standard): string {
  switch (s.kind) {
    case 'within_days':
      return `At least ${formatPercent(s.min_rate)} reach ${milestoneName(s.to)} within ${s.days} days of ${milestoneName(s.from)}`;
    case 'max_share':
      return `At most ${formatPercent(s.max_rate)} of those with ${milestoneName(s.denominator)} have ${s.numerator.map(milestoneName).join(' or ')}`;
    case 'min_share':
      return `At least ${formatPercent(s.min_rate)} of those with ${milestoneName(s.denominator)} have ${milestoneName(s.numerator)}`;
  }
}

function programmeSection(p: Programme): Html {
  return html`<h3 class="govuk-heading-m">${p.name} <span class="govuk-caption-m">${p.id}, ${p.return_kind} returns${p.has_cmp ? ', with a Condition Management Programme' : ''}</span></h3>
${table(
  `Measures of ${p.name}`,
  [th('Measure'), th('Id'), th('Counts in the month of'), th('Has a monthly profile')],
  p.measures.map((m) => [
    td(m.label),
    td(html`<code>${m.id}</code>`),
    td(
      m.milestone
        ? milestoneName(m.milestone)
        : (() => {
            const counted = p.journey_measures?.find((j) => j.id === m.journey_measure);
            return `${counted?.label ?? m.journey_measure ?? ''} (the programme’s own measure)`;
          })(),
    ),
    td(m.profiled ? 'Yes' : 'No'),
  ]),
)}
${
  p.standards.length === 0
    ? html`<p class="govuk-body">${p.name} has no service standards.</p>`
    : table(
        `Service standards of ${p.name}`,
        [th('Standard'), th('Id'), th('What it asks')],
        p.standards.map((s) => [td(s.label), td(html`<code>${s.id}</code>`), td(standardRule(s))]),
      )
}
${table(
  `RAG thresholds of ${p.name}: outturn as a share of profile`,
  [th('Rating'), th('Actual to date')],
  (['green', 'amber', 'red'] as const).map((rag) => [
    td(ragWord[rag]),
    td(ragThreshold(rag, p.rag)),
  ]),
)}`;
}

function statusTag(v: ReferenceVersion): Html {
  return v.status === 'accepted'
    ? html`<strong class="govuk-tag govuk-tag--green">Accepted</strong>`
    : html`<strong class="govuk-tag govuk-tag--red">Not accepted</strong>`;
}

export interface ReferenceBanner {
  uploaded?: UploadKind;
  rebuildFailed?: boolean;
  /** The rebuild was asked for, not done (AWS): the dashboards catch up in a minute or two. */
  rebuildQueued?: boolean;
}

/** The reference data in force, and every upload kept. */
export function referencePage(
  reference: ReferenceData,
  versions: readonly ReferenceVersion[],
  banner: ReferenceBanner = {},
): Html {
  const names = new Map<string, string>([
    ...reference.providers.map((p) => [p.id, p.name] as const),
  ]);
  const programmes = new Map(reference.programmes.map((p) => [p.id, p.name]));
  const users = new Map(reference.users.map((u) => [u.id, u.name]));
  const profiles = new Map<string, { measure: string; periods: string[]; total: number }>();
  for (const p of reference.profiles) {
    const key = `${p.contract_id}|${p.measure_id}`;
    const s = profiles.get(key) ?? { measure: p.measure_id, periods: [], total: 0 };
    s.periods.push(p.period);
    s.total += p.target;
    profiles.set(key, s);
  }
  const profileRows = [...profiles]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, s]) => {
      const sorted = [...s.periods].sort();
      return [
        td(key.split('|')[0]!),
        td(s.measure),
        td(formatNumber(sorted.length), true),
        td(formatPeriod(sorted[0]!)),
        td(formatPeriod(sorted.at(-1)!)),
        td(formatNumber(s.total), true),
      ];
    });
  const single = reference.profiles.length <= 24 ? reference.profiles : [];
  const content = html`${
    banner.uploaded &&
    html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="banner-title">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="banner-title">Success</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${kindNames[banner.uploaded]} updated. The new ${banner.uploaded} are now in force${banner.rebuildFailed ? '' : banner.rebuildQueued ? '; the dashboards are being rebuilt and will show them in a few minutes' : ' and the dashboards have been rebuilt'}.</p></div>
</div>`
  }
${
  banner.rebuildFailed &&
  html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> The dashboards could not be rebuilt yet, so they still show figures against the old reference data. They will catch up at the next rebuild; you do not need to upload the file again.</strong></div>`
}
<h1 class="govuk-heading-l">Reference data</h1>
<p class="govuk-body">The programmes, contracts and monthly profiles Outturn measures returns against. To change the contracts or the profiles, upload a new file: it is checked first, and only replaces what is in force if it has no errors.</p>
<p class="govuk-body">To make a change, download the <a class="govuk-link" href="${referencePaths.download.contracts}">contracts in force (CSV)</a> (<a class="govuk-link" href="${referencePaths.xlsx.contracts}">or XLSX</a>) or the <a class="govuk-link" href="${referencePaths.download.profiles}">monthly profiles in force (CSV)</a> (<a class="govuk-link" href="${referencePaths.xlsx.profiles}">or XLSX</a>), edit the file in your spreadsheet, and upload it back.</p>
<p class="govuk-body"><a class="govuk-button" href="${referencePaths.upload}">Upload contracts or profiles</a></p>
<h2 class="govuk-heading-l">Programmes</h2>
${reference.programmes.map(programmeSection)}
<h2 class="govuk-heading-l">Contracts</h2>
${table(
  'Contracts in force',
  [
    th('Contract'),
    th('Programme'),
    th('Provider'),
    th('Area'),
    th('Portfolio'),
    th('Term'),
    th('Service fee per start', true),
    th('Job outcome payment', true),
    th('Sustained payment', true),
    th('Return due by working day', true),
  ],
  reference.contracts.map((c) => [
    td(html`<code>${c.id}</code>`),
    td(programmes.get(c.programme_id) ?? c.programme_id),
    td(names.get(c.provider_id) ?? c.provider_id),
    td(`${c.area.name} (${c.area.code})`),
    td(c.portfolio),
    td(`${formatPeriod(c.start_period)} to ${formatPeriod(c.end_period)}`),
    td(formatMoney(c.payment.service_fee_per_start), true),
    td(formatMoney(c.payment.job_outcome_payment), true),
    td(
      `${formatMoney(c.payment.sustained_payment)} after ${c.payment.sustained_weeks} weeks`,
      true,
    ),
    td(String(c.return_deadline_working_day), true),
  ]),
  'm',
)}
<h2 class="govuk-heading-l">Monthly profiles</h2>
${
  profileRows.length === 0
    ? html`<p class="govuk-body">No contract has a monthly profile yet.</p>`
    : table(
        'Profiles in force, per contract and measure',
        [
          th('Contract'),
          th('Measure'),
          th('Months profiled', true),
          th('First month'),
          th('Last month'),
          th('Total target', true),
        ],
        profileRows,
        'm',
      )
}
${
  single.length > 0 &&
  table(
    'Every monthly target',
    [th('Contract'), th('Measure'), th('Month'), th('Target', true)],
    [...single]
      .sort((a, b) =>
        `${a.contract_id}|${a.measure_id}|${a.period}`.localeCompare(
          `${b.contract_id}|${b.measure_id}|${b.period}`,
        ),
      )
      .map((p) => [
        td(p.contract_id),
        td(p.measure_id),
        td(formatPeriod(p.period)),
        td(formatNumber(p.target), true),
      ]),
  )
}
<h2 class="govuk-heading-l">Uploads</h2>
${
  versions.length === 0
    ? html`<p class="govuk-body">No reference data has been uploaded here yet.</p>`
    : table(
        'Reference data uploaded, newest first',
        [
          th('Uploaded'),
          th('By'),
          th('File'),
          th('Name'),
          th('Rows', true),
          th('Status'),
          th('Errors', true),
        ],
        versions.map((v) => [
          td(formatReceived(v.at)),
          td(users.get(v.who) ?? v.who),
          td(kindNames[v.kind]),
          td(v.file_name),
          td(formatNumber(v.rows), true),
          td(statusTag(v)),
          td(formatNumber(v.errors), true),
        ]),
        'm',
      )
}`;
  return layout({ title: 'Reference data', navigation: navigation('view'), content });
}

export interface UploadForm {
  kind?: string;
  errors?: { kind?: string; file?: string };
}

function columnsHint(): Html {
  return html`<ul class="govuk-list govuk-list--bullet">
<li>Contracts: one row per contract, with the columns ${uploadColumns.contracts.join(', ')}. A contract keeps its health subcontractors.</li>
<li>Monthly profiles: one row per contract, measure and month, with the columns ${uploadColumns.profiles.join(', ')}.</li>
</ul>`;
}

/** The upload form: which file, the file, one button. */
export function uploadPage(form: UploadForm = {}, status: 'form' | 'retry' = 'form'): Html {
  const errors = form.errors ?? {};
  const summary = [
    errors.kind && { text: errors.kind, href: '#kind' },
    errors.file && { text: errors.file, href: '#file' },
  ].filter((e): e is { text: string; href: string } => Boolean(e));
  const radio = (value: UploadKind, first: boolean) => html`<div class="govuk-radios__item">
<input class="govuk-radios__input" id="${first ? 'kind' : `kind-${value}`}" name="kind" type="radio" value="${value}"${form.kind === value ? html` checked` : ''}>
<label class="govuk-label govuk-radios__label" for="${first ? 'kind' : `kind-${value}`}">${kindNames[value]}</label>
</div>`;
  return layout({
    title: `${summary.length ? 'Error: ' : ''}Upload reference data`,
    navigation: navigation('upload'),
    beforeContent: html`<a href="${referencePaths.view}" class="govuk-back-link">Back to reference data</a>`,
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${summary.length > 0 && errorSummary({ errors: summary })}
<h1 class="govuk-heading-l">${status === 'retry' ? 'Upload a corrected file' : 'Upload reference data'}</h1>
<p class="govuk-body">The file replaces all the contracts, or all the monthly profiles, in force. Save it from your spreadsheet as CSV UTF-8 or as an Excel workbook, with the column names in row 1:</p>
${columnsHint()}
<form method="post" action="${referencePaths.upload}" enctype="multipart/form-data" novalidate>
<div class="govuk-form-group${errors.kind ? ' govuk-form-group--error' : ''}">
<fieldset class="govuk-fieldset"${errors.kind ? html` aria-describedby="kind-error"` : ''}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Which file are you uploading?</legend>
${errorMessage('kind', errors.kind)}
<div class="govuk-radios" data-module="govuk-radios">
${radio('contracts', true)}
${radio('profiles', false)}
</div>
</fieldset>
</div>
${fileUploadField({ id: 'file', label: 'Upload the file', hint: 'A CSV or XLSX file', error: errors.file })}
<button type="submit" class="govuk-button" data-module="govuk-button">Check and upload</button>
</form>
</div></div>`,
  });
}

/** An upload that was not accepted: its report, and nothing changed. */
export function rejectedPage(kind: UploadKind, report: ValidationReport): Html {
  return layout({
    title: `Error: ${kindNames[kind]} not accepted – ${report.file.name}`,
    navigation: navigation('upload'),
    beforeContent: html`<a href="${referencePaths.upload}" class="govuk-back-link">Back to the upload form</a>`,
    content: html`<span class="govuk-caption-l">${kindNames[kind]} upload</span>
${validationReport(report)}
<p class="govuk-body">The ${kind} in force have not changed. The file has been kept, marked as not accepted, in the list of uploads.</p>
<p class="govuk-body"><a class="govuk-link" href="${referencePaths.upload}">Upload a corrected file</a></p>
<p class="govuk-body"><a class="govuk-link" href="${referencePaths.view}">See the reference data in force</a></p>`,
  });
}
