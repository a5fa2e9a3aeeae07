/**
 * A validation report as a page section, in the same voice as the command line: the verdict,
 * an error summary linking to each rule that failed, then the problems grouped by rule with
 * how many there were, each naming the row, the column, the value sent and how to fix it.
 *
 * Grouped by rule because a return with 400 problems usually has three mistakes: one fix to a
 * date format clears 380 rows, and the user should see that before the long tail.
 *
 * @example
 *   validationReport(receipt.report)
 */
import type { Problem, RuleCount, ValidationReport } from '../../pipelines/validate/report.js';
import { formatNumber } from '../format.js';
import { html, type Html } from '../html.js';
import { errorSummary } from './error-summary.js';

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** A fragment id for a rule's section: `cell.date` → `rule-cell-date`. */
export function ruleAnchor(rule: string): string {
  return `rule-${rule.replace(/[^a-z0-9]+/gi, '-')}`;
}

export function validationReport(report: ValidationReport): Html {
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
  errors.length > 0 &&
  html`<h2 class="govuk-heading-l">Errors</h2>
${errors.map((r) => ruleSection(r, report.problems))}`
}
${
  warnings.length > 0 &&
  html`<h2 class="govuk-heading-l">Warnings</h2>
<p class="govuk-body">Warnings do not stop a return being accepted. Check them, and correct the return if they are mistakes.</p>
${warnings.map((r) => ruleSection(r, report.problems))}`
}
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

function ruleSection(rule: RuleCount, problems: readonly Problem[]): Html {
  const listed = problems.filter((p) => p.rule === rule.rule);
  const shown = listed.length < rule.count ? ` (${formatNumber(listed.length)} listed)` : '';
  return html`<section id="${ruleAnchor(rule.rule)}">
<h3 class="govuk-heading-m">${rule.description} <span class="govuk-caption-m">${plural(rule.count, 'time')}${shown}</span></h3>
${
  listed.length > 0 &&
  html`<table class="govuk-table">
<caption class="govuk-visually-hidden">${rule.description}: each ${rule.severity}</caption>
<thead class="govuk-table__head">
<tr class="govuk-table__row"><th scope="col" class="govuk-table__header govuk-table__header--numeric">Row</th><th scope="col" class="govuk-table__header">Column</th><th scope="col" class="govuk-table__header">Value</th><th scope="col" class="govuk-table__header">What is wrong</th><th scope="col" class="govuk-table__header">How to fix it</th></tr>
</thead>
<tbody class="govuk-table__body">
${listed.map(
  (
    p,
  ) => html`<tr class="govuk-table__row"><td class="govuk-table__cell govuk-table__cell--numeric">${p.row ?? 'Whole file'}</td><td class="govuk-table__cell">${p.column ?? ''}</td><td class="govuk-table__cell">${p.value === null ? '' : html`<code>${p.value}</code>`}</td><td class="govuk-table__cell">${p.message}</td><td class="govuk-table__cell">${p.fix}</td></tr>
`,
)}</tbody>
</table>`
}
</section>
`;
}
