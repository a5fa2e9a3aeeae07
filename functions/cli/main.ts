/**
 * The one command-line entry: `npm run outturn -- <command> [options]`. Each command lives in
 * its own module under commands/ and returns an exit code; what each is called, its usage and
 * help live in catalogue.ts; this file only dispatches and turns known failures into one plain
 * message.
 */
import { CalendarCoverageError } from '../../pipelines/calendar/working-days.js';
import { OutturnError, type Failure } from '../../pipelines/errors.js';
import { plainStoreError } from '../../pipelines/store/plain-error.js';
import { NoMartsYetError } from '../../pipelines/transform/query.js';
import { processIo, UsageError, type Io } from './args.js';
import { catalogue, commandHelp, overviewHelp, usageLine, type CommandName } from './catalogue.js';
import { demoCommand } from './commands/demo.js';
import { docsCommand } from './commands/docs.js';
import { ingestCommand } from './commands/ingest.js';
import { queryCommand } from './commands/query.js';
import { rebuildCommand } from './commands/rebuild.js';
import { notifyCommand } from './commands/notify.js';
import { referenceCommand } from './commands/reference.js';
import { startCommand } from './commands/start.js';
import { templateCommand } from './commands/template.js';
import { validateCommand } from './commands/validate.js';
import { versionCommand } from './commands/version.js';

type Command = (argv: string[], io: Io) => Promise<number>;

const commands: Record<CommandName, Command> = {
  docs: docsCommand,
  template: templateCommand,
  validate: validateCommand,
  demo: demoCommand,
  reference: referenceCommand,
  ingest: ingestCommand,
  version: versionCommand,
  rebuild: rebuildCommand,
  notify: notifyCommand,
  query: queryCommand,
  publish: async (argv, io) => (await import('./commands/publish.js')).publishCommand(argv, io),
  start: startCommand,
};

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

/** How the command line words each kind of failure from below: the one place they are mapped. */
const prefixes: Partial<Record<Failure, string>> = { forbidden: 'Refused: ' };
const BUILD_THE_MARTS = 'Ingest a return, or run `npm run outturn -- rebuild`.';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || isHelp(name)) {
    const entry = catalogue.find((c) => c.name === rest[0]);
    io.out(entry ? commandHelp(entry) : overviewHelp());
    return name ? 0 : 2;
  }
  const entry = catalogue.find((c) => c.name === name);
  if (!entry) {
    io.err(`There is no command "${name}".\n\n${overviewHelp()}`);
    return 2;
  }
  if (rest.some(isHelp)) {
    io.out(commandHelp(entry));
    return 0;
  }
  try {
    return await commands[entry.name](rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(
        `${e.message}\n\nUsage: ${usageLine(entry)}\n("npm run outturn -- ${entry.name} --help" says more.)\n`,
      );
      return 2;
    }
    if (e instanceof OutturnError) {
      const hint = e instanceof NoMartsYetError ? ` ${BUILD_THE_MARTS}` : '';
      io.err(`${prefixes[e.failure] ?? ''}${e.message}${hint}\n`);
      return 1;
    }
    if (e instanceof CalendarCoverageError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    const store = plainStoreError(e);
    if (store !== null) {
      io.err(`${store}\n`);
      return 1;
    }
    throw e;
  }
}

const invokedDirectly =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
