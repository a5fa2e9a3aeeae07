/** `outturn demo --out DIR [--seed N] [--scale N] [--contracts N] [--months N]` */
import { writeDemo } from '../../../pipelines/demo/index.js';
import { parse, UsageError, type Io } from '../args.js';

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}

export async function demoCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    out: { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    contracts: { type: 'string' },
    months: { type: 'string' },
  });
  if (!values.out) throw new UsageError('Give the folder to write the demo data to with --out DIR');
  const started = Date.now();
  const summary = await writeDemo(values.out, {
    seed: positiveNumber('seed', values.seed),
    scale: positiveNumber('scale', values.scale),
    contracts: positiveNumber('contracts', values.contracts),
    months: positiveNumber('months', values.months),
  });
  io.out(
    `Wrote ${summary.files.toLocaleString('en-GB')} files (${summary.rows.toLocaleString('en-GB')} participant rows, ` +
      `${(summary.bytes / 1048576).toFixed(1)} MB) to ${summary.dir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}
