/**
 * `outturn start`: the newcomer's first run. Writes the demo data set into the local store
 * when it is empty, then checks every return in it and prints what it found. (The web app
 * takes this command over once it exists.)
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDemo } from '../../../pipelines/demo/index.js';
import { validateBatch } from '../../../pipelines/validate/validate-batch.js';
import { parse, type Io } from '../args.js';
import { dataDir } from '../data-dir.js';
import { progressLine } from '../progress.js';

export async function startCommand(argv: string[], io: Io): Promise<number> {
  parse(argv, {});
  const dir = dataDir();
  const hasData = await access(join(dir, 'returns', 'manifest.json')).then(() => true, () => false);
  if (!hasData) {
    io.out(`The store at ${dir} is empty: writing the demo data set…\n`);
    const summary = await writeDemo(dir);
    io.out(`Wrote ${summary.files} files (${summary.rows.toLocaleString('en-GB')} participant rows).\n`);
  }
  const results = await validateBatch(dir, progressLine('Checking returns'));
  const accepted = results.filter((r) => r.report.status === 'accepted');
  const warnings = results.reduce((n, r) => n + r.report.warningCount, 0);
  const rows = accepted.reduce((n, r) => n + r.report.rowCount, 0);
  io.out(`\n${results.length} returns checked: ${accepted.length} accepted, ${results.length - accepted.length} rejected, ${warnings} warnings.\n`);
  io.out(`${rows.toLocaleString('en-GB')} participant rows in accepted returns.\n`);
  for (const r of results.filter((x) => x.report.warningCount > 0).slice(0, 5))
    io.out(`  ${r.entry.contract_id} ${r.entry.period}: ${r.report.warningCount} warning(s), e.g. ${r.report.problems.find((p) => p.severity === 'warning')?.message}\n`);
  io.out(`\nNext: npm run outturn -- validate ${join(dir, results[0]?.entry.file ?? '')} --contract ${results[0]?.entry.contract_id} --period ${results[0]?.entry.period}\n`);
  return results.length === accepted.length ? 0 : 1;
}
