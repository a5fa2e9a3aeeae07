import { describe, expect, it } from 'vitest';
import { dataTable } from '../../reports/components/data-table.js';
import { errorSummary } from '../../reports/components/error-summary.js';
import { headlineFigures } from '../../reports/components/headline-figures.js';
import { ragTag } from '../../reports/components/rag-tag.js';
import { validationReport } from '../../reports/components/validation-report.js';
import { ProblemLog, type ValidationReport } from '../../pipelines/validate/report.js';
import { assertWellFormed, tableRows, textOf } from './markup.js';

describe('ragTag', () => {
  it('says the word as well as showing the colour', () => {
    expect(ragTag('green').toString()).toBe(
      '<strong class="govuk-tag govuk-tag--green">Green</strong>',
    );
    expect(ragTag('amber').toString()).toBe(
      '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>',
    );
    expect(ragTag('red').toString()).toBe('<strong class="govuk-tag govuk-tag--red">Red</strong>');
    expect(ragTag(null).toString()).toBe(
      '<strong class="govuk-tag govuk-tag--grey">No profile</strong>',
    );
  });
});

describe('headlineFigures', () => {
  const out = headlineFigures([
    {
      label: 'Referrals',
      value: 6 / 7,
      format: 'percent',
      of: { numerator: 6, denominator: 7, numeratorLabel: 'actual', denominatorLabel: 'profiled' },
      rag: 'amber',
    },
    { label: 'Fees <due>', value: 1234.5, format: 'money' },
    { label: 'Job entries', value: null, rag: null },
  ]).toString();

  it('puts the numerator and denominator beside a rate, and the RAG word', () => {
    assertWellFormed(out);
    expect(out).toMatch(
      /<dt[^>]*>Referrals<\/dt>\s*<dd[^>]*>85\.7%<\/dd>\s*<dd[^>]*>6 actual of 7 profiled<\/dd>\s*<dd[^>]*><strong class="govuk-tag govuk-tag--yellow">Amber<\/strong>/,
    );
  });

  it('formats money in pounds, escapes labels, and says "No data" rather than 0', () => {
    expect(out).toContain('Fees &lt;due&gt;');
    expect(out).toContain('£1,234.50');
    expect(textOf(out)).toContain('Job entries No data No profile');
  });
});

describe('dataTable', () => {
  const columns = [
    { key: 'provider', label: 'Provider' },
    { key: 'period', label: 'Month', format: 'period' as const },
    { key: 'date', label: 'Received', format: 'date' as const },
    { key: 'count', label: 'Job entries', format: 'number' as const },
    { key: 'rate', label: 'Rate', format: 'percent' as const },
    { key: 'fee', label: 'Fees', format: 'money' as const },
    { key: 'rag', label: 'RAG', format: 'rag' as const },
  ];
  const rows = [
    {
      provider: '<b>Acme</b>',
      period: '2025-03',
      date: '2025-04-05',
      count: 12345,
      rate: 0.25,
      fee: 1200,
      rag: 'red',
    },
    {
      provider: 'North',
      period: '2025-02',
      date: null,
      count: null,
      rate: null,
      fee: 0.5,
      rag: null,
    },
  ];
  const out = dataTable({
    caption: 'Job entries by provider',
    columns,
    rows,
    downloads: { csv: '/d.csv?x=1&y=2', xlsx: '/d.xlsx' },
  }).toString();

  it('has a caption, column headers with scope, and numeric columns right-aligned', () => {
    assertWellFormed(out);
    expect(out).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Job entries by provider</caption>',
    );
    expect(out.match(/<th scope="col"/g)).toHaveLength(7);
    expect(out).toContain(
      '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Job entries</th>',
    );
    expect(out).toContain('<th scope="col" class="govuk-table__header">Provider</th>');
    expect(out).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">12,345</td>');
  });

  it('formats figures in en-GB and escapes text', () => {
    expect(tableRows(out)).toEqual([
      ['<b>Acme</b>', 'March 2025', '5 April 2025', '12,345', '25%', '£1,200', 'Red'],
      ['North', 'February 2025', '– none', '– none', '– none', '£0.50', 'No profile'],
    ]);
    expect(out).toContain('&lt;b&gt;Acme&lt;/b&gt;');
  });

  it('links to CSV and XLSX downloads of the same table', () => {
    expect(out).toContain('href="/d.csv?x=1&amp;y=2" download>Download this table as CSV');
    expect(out).toContain('href="/d.xlsx" download>Download this table as XLSX');
  });

  it('says so when there are no rows, instead of an empty grid', () => {
    const empty = dataTable({
      caption: 'Returns',
      columns,
      rows: [],
      empty: 'No returns have been received.',
    }).toString();
    expect(empty).not.toContain('<table');
    expect(empty).toContain('No returns have been received.');
    expect(empty).toContain('Returns');
  });
});

describe('errorSummary', () => {
  it('is a GOV.UK error summary linking to each problem', () => {
    const out = errorSummary({
      errors: [{ text: 'Enter a date', href: '#date' }, { text: 'No link <here>' }],
    }).toString();
    assertWellFormed(out);
    expect(out).toMatch(
      /<div class="govuk-error-summary"[^>]*>\s*<div role="alert">\s*<h2 class="govuk-error-summary__title">There is a problem<\/h2>/,
    );
    expect(out).toContain('<li><a href="#date">Enter a date</a></li>');
    expect(out).toContain('<li>No link &lt;here&gt;</li>');
  });
});

describe('validationReport', () => {
  function rejected(): ValidationReport {
    const log = new ProblemLog(4);
    log.error(
      'cell.date',
      2,
      'referral_date',
      '31/13/2025',
      'This is not a date.',
      'Enter the date as YYYY-MM-DD, for example 2025-01-31.',
    );
    log.error(
      'cell.date',
      5,
      'start_date',
      '<script>x</script>',
      'This is not a date.',
      'Enter the date as YYYY-MM-DD.',
    );
    log.error(
      'cell.required',
      3,
      'participant_id',
      '',
      'A participant id is needed.',
      'Enter the provider’s participant id.',
    );
    log.warning(
      'row.long_wait',
      4,
      'start_date',
      '2025-06-01',
      'The wait from referral to start is 140 days.',
      'Check the dates.',
    );
    log.error(
      'cell.date',
      9,
      'start_date',
      'soon',
      'This is not a date.',
      'Enter the date as YYYY-MM-DD.',
    );
    return {
      status: 'rejected',
      file: { name: 'acme-march.csv', bytes: 1000, format: 'csv' },
      kind: 'participant',
      contractId: 'plp-test',
      period: '2025-03',
      rowCount: 8,
      errorCount: log.errorCount,
      warningCount: log.warningCount,
      rules: log.rules(),
      problems: log.sorted(),
      unlisted: log.unlisted,
    };
  }
  const out = validationReport(rejected()).toString();

  it('opens with an error summary linking to each failed rule, with counts', () => {
    assertWellFormed(out);
    expect(out.indexOf('govuk-error-summary')).toBeLessThan(out.indexOf('<h1'));
    expect(out).toContain('<a href="#rule-cell-date">A value is not a date (3 times)</a>');
    expect(out).toContain('<a href="#rule-cell-required">A required value is blank (1 time)</a>');
    expect(out).not.toContain('href="#rule-row-long-wait"');
    expect(textOf(out)).toContain('4 errors must be fixed before the return can be accepted');
  });

  it('groups problems by rule, each with row, column, value and fix', () => {
    const dateSection = /<section id="rule-cell-date">([\s\S]*?)<\/section>/.exec(out)?.[1] ?? '';
    expect(textOf(dateSection)).toContain('A value is not a date 3 times (2 listed)');
    expect(tableRows(dateSection)).toEqual([
      [
        '2',
        'referral_date',
        '31/13/2025',
        'This is not a date.',
        'Enter the date as YYYY-MM-DD, for example 2025-01-31.',
      ],
      [
        '5',
        'start_date',
        '<script>x</script>',
        'This is not a date.',
        'Enter the date as YYYY-MM-DD.',
      ],
    ]);
    expect(out).not.toContain('<script>');
    const warning = /<section id="rule-row-long-wait">([\s\S]*?)<\/section>/.exec(out)?.[1] ?? '';
    expect(tableRows(warning)).toEqual([
      [
        '4',
        'start_date',
        '2025-06-01',
        'The wait from referral to start is 140 days.',
        'Check the dates.',
      ],
    ]);
    expect(out.indexOf('>Errors</h2>')).toBeLessThan(out.indexOf('>Warnings</h2>'));
  });

  it('says how many problems were not listed', () => {
    expect(textOf(out)).toContain('1 more problem was found but not listed');
  });

  it('shows an accepted return as a confirmation with its warnings', () => {
    const accepted = {
      ...rejected(),
      status: 'accepted' as const,
      errorCount: 0,
      rules: rejected().rules.filter((r) => r.severity === 'warning'),
      problems: rejected().problems.filter((p) => p.severity === 'warning'),
      unlisted: 0,
    };
    const a = validationReport(accepted).toString();
    assertWellFormed(a);
    expect(a).not.toContain('govuk-error-summary');
    expect(a).toContain('<h1 class="govuk-panel__title">Return accepted</h1>');
    expect(a).toContain('id="rule-row-long-wait"');
  });
});
