/** Command-line arguments, and the one error type a command throws to stop with a message. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { openStore, type Env } from '../../pipelines/store/open-store.js';

/** A mistake in how a command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The store this process's settings name, announced on stderr so the user knows which it is. */
export function openStoreFor(io: Io, env: Env = process.env): ObjectStore {
  const store = openStore(env);
  io.err(`Store: ${store.description}\n`);
  return store;
}
