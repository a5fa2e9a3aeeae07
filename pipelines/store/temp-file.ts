/**
 * Temporary files written beside their final name and renamed into place: how both stores make
 * a file appear whole or not at all. One naming rule, so a listing can always tell them apart.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** `.<name>.<16 hex digits>.tmp`: hidden, and unlike any key Outturn writes. */
const tempFileName = /^\..*\.[0-9a-f]{16}\.tmp$/;

/**
 * A fresh temporary path in the same folder as `path` (a rename is only atomic within one file
 * system). The name is cut short so the temporary name stays within the file system's limit.
 *
 * @example tempPathBeside('/data/raw/ab12.csv') // '/data/raw/.ab12.csv.3f9c0a1b2c3d4e5f.tmp'
 */
export function tempPathBeside(path: string): string {
  return join(
    dirname(path),
    `.${basename(path).slice(0, 100)}.${randomBytes(8).toString('hex')}.tmp`,
  );
}

/** `.<name>.lock`: held by a local compare-and-swap while it checks and renames (ADR 027). */
const lockFileName = /^\..*\.lock$/;

/** The lock file beside `path`, hidden and never a key. */
export function lockPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path).slice(0, 100)}.lock`);
}

/** Whether a file name is one of ours: a write that never finished, or a compare-and-swap's lock. */
export function isTempFileName(name: string): boolean {
  return tempFileName.test(name) || lockFileName.test(name);
}
