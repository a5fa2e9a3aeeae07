/**
 * The one command-line entry: `npm run outturn -- <command> [options]`. Each command lives in
 * its own module under commands/ and returns an exit code; this file only dispatches.
 */
import { ReferenceDataError } from '../../pipelines/reference/load.js';
import { processIo, UsageError, type Io } from './args.js';
import { demoCommand } from './commands/demo.js';
import { docsCommand } from './commands/docs.js';
import { ingestCommand } from './commands/ingest.js';
import { queryCommand } from './commands/query.js';
import { rebuildCommand } from './commands/rebuild.js';
import { startCommand } from './commands/start.js';
import { templateCommand } from './commands/template.js';
import { validateCommand } from './commands/validate.js';
import { versionCommand } from './commands/version.js';

type Command = (argv: string[], io: Io) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  template: {
    run: templateCommand,
    summary:
      'template --format csv|xlsx|json-schema|markdown [--kind participant|aggregate] [--out FILE]',
  },
  validate: {
    run: validateCommand,
    summary: 'validate FILE [--contract ID --period YYYY-MM] [--reference DIR] [--json]',
  },
  demo: {
    run: demoCommand,
    summary: 'demo --out DIR [--seed N] [--scale N] [--contracts N] [--months N] | demo --ingest',
  },
  ingest: {
    run: ingestCommand,
    summary:
      'ingest FILE --contract ID --period YYYY-MM [--as USER] [--as-of YYYY-MM-DD] [--confirm-removal]',
  },
  version: {
    run: versionCommand,
    summary:
      'version list|confirm|discard|withdraw --contract ID --period YYYY-MM [--version N] [--as USER] [--reason TEXT]',
  },
  rebuild: { run: rebuildCommand, summary: 'rebuild [--as-of YYYY-MM-DD]' },
  query: { run: queryCommand, summary: 'query "SQL" [--csv|--json]' },
  docs: {
    run: docsCommand,
    summary: 'docs [--out DIR] (writes the data dictionary and the marts reference)',
  },
  publish: {
    run: async (argv, io) => (await import('./commands/publish.js')).publishCommand(argv, io),
    summary:
      'publish --out DIR [--base-path /PATH/] (writes the commissioner pages as a static site)',
  },
  start: {
    run: startCommand,
    summary:
      'start [--no-serve] (loads the demo into the store if it has no marts, then serves the web app)',
  },
};

function usage(): string {
  return [
    'Usage: npm run outturn -- <command> [options]',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`There is no command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\nUsage: npm run outturn -- ${command.summary}\n`);
      return 2;
    }
    if (e instanceof ReferenceDataError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

const invokedDirectly =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
