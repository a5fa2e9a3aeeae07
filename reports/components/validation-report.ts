/**
 * A validation report as a page section, in the same voice as the command line: the verdict,
 * an error summary linking to each rule that failed, then the problems grouped by rule with
 * how many there were, each naming the row, the column, the value sent and how to fix it.
 *
 * Grouped by rule because a return with 400 problems usually has three mistakes: one fix to a
 * date format clears 380 rows, and the user should see that before the long tail. Within a
 * rule, problems of one kind are summed up first ("250 times in referral_date, rows 2 to 251").
 * Each problem names the participant reference of its row, which is what a provider looks up
 * in its own system. A long list is paged (`href` makes the page links), so a bad file's page
 * stays small; `csvHref` offers every listed problem as a download.
 *
 * @example
 *   validationReport(receipt.report, { page: 2, href: (n) => `?page=${n}`, csvHref: '?format=csv' })
 */
import {
  ruleDescriptions,
  type Problem,
  type ProblemGroup,
  type RuleCount,
  type ValidationReport,
} from '../../pipelines/validate/report.js';
import type { Column, Row } from '../columns.js';
import { toCsvDownload, type Download } from '../export.js';
import { formatNumber } from '../format.js';
import { html, type Html } from '../html.js';
import { dataTable } from './data-table.js';
import { errorSummary } from './error-summary.js';

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** A fragment id for a rule's section: `cell.date` → `rule-cell-date`. */
export function ruleAnchor(rule: string): string {
  return `rule-${rule.replace(/[^a-z0-9]+/gi, '-')}`;
}

export interface ReportPaging {
  /** The page shown, from 1. */
  page?: number;
  /** Problems a page; every problem on one page when there are no page links. */
  pageSize?: number;
  /** The address of page `n`; without it the report is one page. */
  href?: (page: number) => string;
  /** Where every listed problem downloads as CSV. */
  csvHref?: string;
}

/** Problems on one page of a paged report. */
export const PROBLEMS_PER_PAGE = 100;
/** Groups shown for one rule, largest first. */
const GROUPS_SHOWN = 10;

/** How many pages a report's problems take. */
export function pageCount(report: ValidationReport, pageSize = PROBLEMS_PER_PAGE): number {
  return Math.max(1, Math.ceil(report.problems.length / pageSize));
}

export function validationReport(report: ValidationReport, paging: ReportPaging = {}): Html {
  const size = paging.pageSize ?? (paging.href ? PROBLEMS_PER_PAGE : Infinity);
  const pages = Number.isFinite(size) ? pageCount(report, size) : 1;
  const page = Math.min(Math.max(1, Math.floor(paging.page ?? 1)), pages);
  const onPage = Number.isFinite(size)
    ? report.problems.slice((page - 1) * size, page * size)
    : report.problems;
  const withParticipant = onPage.some((p) => p.participant != null);
  const section = (r: RuleCount) =>
    ruleSection(r, report.problems, onPage, report.groups ?? [], withParticipant, pages > 1);
  const errors = report.rules.filter((r) => r.severity === 'error');
  const warnings = report.rules.filter((r) => r.severity === 'warning');
  const about = [
    report.contractId && `contract ${report.contractId}`,
    report.period && `period ${report.period}`,
  ]
    .filter(Boolean)
    .join(', ');
  return html`${
    errors.length > 0 &&
    errorSummary({
      title: 'There is a problem with this return',
      description: `${plural(report.errorCount, 'error')} must be fixed before the return can be accepted. Nothing has been changed.`,
      errors: errors.map((r) => ({
        text: `${r.description} (${plural(r.count, 'time')})`,
        href: `#${ruleAnchor(r.rule)}`,
      })),
    })
  }
${verdict(report, about)}
${
  paging.csvHref &&
  report.problems.length > 0 &&
  html`<p class="govuk-body"><a class="govuk-link" href="${paging.csvHref}" download>Download the problems as CSV</a> (${plural(report.problems.length, 'problem')}, with row, participant, column, value and how to fix each)</p>
`
}
${
  pages > 1 &&
  html`<p class="govuk-body">Page ${formatNumber(page)} of ${formatNumber(pages)}: problems ${formatNumber((page - 1) * size + 1)} to ${formatNumber((page - 1) * size + onPage.length)} of ${formatNumber(report.problems.length)} listed.</p>
`
}
${
  errors.length > 0 &&
  html`<h2 class="govuk-heading-l">Errors</h2>
${errors.map(section)}`
}
${
  warnings.length > 0 &&
  html`<h2 class="govuk-heading-l">Warnings</h2>
<p class="govuk-body">Warnings do not stop a return being accepted. Check them, and correct the return if they are mistakes.</p>
${warnings.map(section)}`
}
${pages > 1 && paging.href && pagination(page, pages, paging.href)}
${
  report.unlisted > 0 &&
  html`<p class="govuk-body">${plural(report.unlisted, 'more problem')} ${report.unlisted === 1 ? 'was' : 'were'} found but not listed. Fix the ones above and upload the return again to see them.</p>
`
}`;
}

function verdict(report: ValidationReport, about: string): Html {
  const file = html`<p class="govuk-body">${report.file.name}${about ? `, ${about}` : ''}: ${plural(report.rowCount, 'row')} read, ${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}.</p>
`;
  if (report.status === 'accepted') {
    return html`<div class="govuk-panel govuk-panel--confirmation">
<h1 class="govuk-panel__title">Return accepted</h1>
</div>
${file}`;
  }
  return html`<h1 class="govuk-heading-xl">Return not accepted</h1>
${file}`;
}

function ruleSection(
  rule: RuleCount,
  problems: readonly Problem[],
  onPage: readonly Problem[],
  groups: readonly ProblemGroup[],
  withParticipant: boolean,
  paged: boolean,
): Html {
  const listed = problems.filter((p) => p.rule === rule.rule);
  const here = paged ? onPage.filter((p) => p.rule === rule.rule) : listed;
  const kinds = groups.filter((g) => g.rule === rule.rule);
  const repeated = kinds.filter((g) => g.count > 1).slice(0, GROUPS_SHOWN);
  const shown = listed.length < rule.count ? ` (${formatNumber(listed.length)} listed)` : '';
  const rows = (g: ProblemGroup) =>
    g.firstRow === null
      ? ''
      : g.firstRow === g.lastRow
        ? `, row ${formatNumber(g.firstRow)}`
        : `, rows ${formatNumber(g.firstRow)} to ${formatNumber(g.lastRow ?? g.firstRow)}`;
  return html`<section id="${ruleAnchor(rule.rule)}">
<h3 class="govuk-heading-m">${rule.description} <span class="govuk-caption-m">${plural(rule.count, 'time')}${shown}</span></h3>
${
  repeated.length > 0 &&
  rule.count > 1 &&
  html`<ul class="govuk-list govuk-list--bullet">
${repeated.map(
  (g) =>
    html`<li><strong>${plural(g.count, 'time')}</strong>${g.column ? ` in ${g.column}` : ''}${rows(g)}. For example: ${g.message} ${g.fix}</li>
`,
)}${kinds.length > repeated.length && html`<li>and ${plural(kinds.length - repeated.length, 'other kind')} of this problem, listed below</li>`}
</ul>
`
}
${
  here.length > 0 &&
  dataTable({
    caption: `${rule.description}: each ${rule.severity}`,
    captionSize: 'hidden',
    columns: withParticipant ? shownColumns : shownColumns.filter((c) => c.key !== 'participant'),
    rows: here.map(problemRow),
  })
}
${paged && here.length < listed.length && html`<p class="govuk-body">${plural(here.length, 'problem')} of this kind on this page; see the other pages for the rest.</p>`}
</section>
`;
}

/** GOV.UK pagination: previous, the first, last and nearby pages, next. */
function pagination(page: number, pages: number, href: (page: number) => string): Html {
  const near = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const items: Html[] = [];
  near.forEach((n, i) => {
    if (i > 0 && n - near[i - 1]! > 1)
      items.push(
        html`<li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>`,
      );
    items.push(
      n === page
        ? html`<li class="govuk-pagination__item govuk-pagination__item--current"><a class="govuk-link govuk-pagination__link" href="${href(n)}" aria-label="Page ${n}" aria-current="page">${n}</a></li>`
        : html`<li class="govuk-pagination__item"><a class="govuk-link govuk-pagination__link" href="${href(n)}" aria-label="Page ${n}">${n}</a></li>`,
    );
  });
  return html`<nav class="govuk-pagination" aria-label="Pages of problems">
${page > 1 && html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${href(page - 1)}" rel="prev"><span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>`}
<ul class="govuk-pagination__list">${items}</ul>
${page < pages && html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${href(page + 1)}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div>`}
</nav>
`;
}

/** A problem as a row of the report's table and of its download. */
function problemRow(p: Problem): Row {
  return {
    row: p.row ?? 'Whole file',
    participant: p.participant ?? null,
    column: p.column,
    value: p.value,
    severity: p.severity,
    description: ruleDescriptions[p.rule],
    message: p.message,
    fix: p.fix,
  };
}

const blankIfNone = (key: string) => (r: Row) => (r[key] == null ? '' : String(r[key]));

/** Every column of a problem, declared once: the page shows some, the download all. */
const problemColumns: readonly Column[] = [
  { key: 'row', label: 'Row', numeric: true, render: blankIfNone('row') },
  { key: 'participant', label: 'Participant', render: blankIfNone('participant') },
  { key: 'column', label: 'Column', render: blankIfNone('column') },
  {
    key: 'value',
    label: 'Value',
    render: (r) => (r.value == null ? '' : html`<code>${String(r.value)}</code>`),
  },
  { key: 'severity', label: 'Error or warning' },
  { key: 'description', label: 'Problem' },
  { key: 'message', label: 'What is wrong' },
  { key: 'fix', label: 'How to fix it' },
];

/** The columns a rule's table shows: its section already says the problem and its severity. */
const shownColumns = problemColumns.filter((c) => c.key !== 'severity' && c.key !== 'description');

/** Every listed problem as a CSV download, errors first, in row order, as on the page. */
export function problemsDownload(report: ValidationReport): Download {
  return toCsvDownload(problemColumns, report.problems.map(problemRow));
}
