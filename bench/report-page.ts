/**
 * bench/report-page: how many bytes the provider's error report sends for a bad 40 MB return
 * (every reference with a space, every date written 2023/04/06), for the whole list of problems
 * on one page as it was, and for one page of the paged report. Sizes, not times, so one run is
 * enough; the ratio is the point.
 *
 *   npx tsx bench/report-page.ts [-- --mb 40]
 */
import { parseArgs } from 'node:util';
import { validationReport } from '../reports/components/validation-report.js';
import { validateReturn } from '../pipelines/validate/validate-return.js';
import { badCsv, period } from './returns.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '40' } } });
const bytes = new TextEncoder().encode(badCsv(Number(values.mb) * 1048576));
const { report } = validateReturn(bytes, 'bad.csv', { period });
const size = (html: { toString(): string }) => Buffer.byteLength(html.toString());
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

const all = size(validationReport(report, { pageSize: Infinity }));
const paged = size(validationReport(report, { page: 1, href: (p) => `?page=${p}` }));
console.log(
  `bench/report-page: ${(bytes.length / 1048576).toFixed(0)} MB bad return, ${report.errorCount.toLocaleString('en-GB')} errors (${report.problems.length.toLocaleString('en-GB')} listed)`,
);
console.log(`  every listed problem on one page (before)  ${kb(all).padStart(8)}`);
console.log(
  `  page 1 of the paged report (after)         ${kb(paged).padStart(8)}  ×${(paged / all).toFixed(3)}`,
);
