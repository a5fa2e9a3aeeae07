/**
 * The object store as a directory on this machine: Outturn's default, and the form DuckDB reads
 * without help. Each key is a file under the root. Every write goes to a temporary file beside
 * its target and is then renamed (or linked) into place, so neither a reader nor a crash ever
 * meets half an object.
 */
import { constants } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  checkKey,
  checkPrefix,
  holdsExactly,
  noSuchObject,
  ObjectStoreError,
  storeFailure,
  type ObjectStore,
  type PutFileOptions,
  type PutOptions,
} from './object-store.js';
import { isTempFileName, lockPathBeside, tempPathBeside } from './temp-file.js';

export class LocalStore implements ObjectStore {
  readonly root: string;
  readonly description: string;

  /**
   * A store over `root`, which need not exist yet: it is created by the first write.
   *
   * @example const store = new LocalStore('./data'); await store.put('reference/programmes.json', '[]');
   */
  constructor(root: string) {
    this.root = resolve(root);
    this.description = `local directory ${this.root}`;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const path = this.pathOf(key);
    try {
      const bytes = await readFile(path);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      if (isMissing(err)) return null;
      throw this.failure('read', key, err);
    }
  }

  /** Writes a temporary file, flushes it to disk, then renames it over the key in one step. */
  async put(key: string, body: Uint8Array | string, _options?: PutOptions): Promise<void> {
    const path = this.pathOf(key);
    try {
      const temp = await writeBeside(path, (t) => writeBytes(t, body));
      await settle(temp, rename(temp, path));
    } catch (err) {
      throw this.failure('write', key, err);
    }
  }

  /**
   * `link()` refuses to replace an existing name, so of any number of racing writers (threads or
   * processes) exactly one gets true, and the object is always one writer's bytes whole.
   */
  async putIfAbsent(
    key: string,
    body: Uint8Array | string,
    _options?: PutOptions,
  ): Promise<boolean> {
    const path = this.pathOf(key);
    // Only a shortcut that saves writing bytes already there; the link below is the real guard.
    if (await this.exists(key)) return false;
    try {
      const temp = await writeBeside(path, (t) => writeBytes(t, body));
      try {
        await link(temp, path);
        return true;
      } catch (err) {
        if (errorCode(err) === 'EEXIST') return false;
        throw err;
      } finally {
        await removeQuietly(temp);
      }
    } catch (err) {
      throw this.failure('write', key, err);
    }
  }

  /**
   * Writes the new bytes to a temporary file, then, holding a lock file beside the key (created
   * with `wx`, so one holder at a time across processes), reads the object, compares and renames
   * over it. The lock is held only for that read and rename.
   */
  async putIfUnchanged(
    key: string,
    expected: Uint8Array | string | null,
    body: Uint8Array | string,
    _options?: PutOptions,
  ): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      const temp = await writeBeside(path, (t) => writeBytes(t, body));
      try {
        return await holdingLock(lockPathBeside(path), async () => {
          const current = await readFile(path).then(
            (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
            (err: unknown) => (isMissing(err) ? null : Promise.reject(err)),
          );
          if (!holdsExactly(current, expected)) return false;
          await rename(temp, path);
          return true;
        });
      } finally {
        await removeQuietly(temp);
      }
    } catch (err) {
      throw this.failure('write', key, err);
    }
  }

  async exists(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw this.failure('check', key, err);
    }
  }

  /** Reads only the directories the prefix can reach, so listing one provider's receipts stays cheap. */
  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const cut = prefix.lastIndexOf('/') + 1;
    const folder = prefix.slice(0, cut);
    const keys: string[] = [];
    try {
      await walk(
        join(this.root, ...folder.split('/').filter(Boolean)),
        folder,
        prefix.slice(cut),
        keys,
      );
    } catch (err) {
      throw this.failure('list', prefix, err);
    }
    return keys.sort();
  }

  /** Deleting what is not there succeeds, as on S3, so a clean-up can be run again after a failure. */
  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (err) {
      if (!isMissing(err)) throw this.failure('delete', key, err);
    }
  }

  /** The object's own file: DuckDB reads it in place, with no copy. */
  async localFile(key: string): Promise<string> {
    if (!(await this.exists(key))) throw noSuchObject(key, this.description);
    return this.pathOf(key);
  }

  /**
   * Copies the file in through a temporary file, or with `move` renames it straight into place,
   * which is just as atomic and skips copying a large mart (falling back to a copy across disks).
   */
  async putFile(key: string, path: string, options?: PutFileOptions): Promise<void> {
    const target = this.pathOf(key);
    try {
      if (options?.move && (await moveInto(path, target))) return;
      const temp = await writeBeside(target, (t) => copyInto(t, path));
      await settle(temp, rename(temp, target));
      if (options?.move) await unlink(path);
    } catch (err) {
      throw this.failure('upload', key, err);
    }
  }

  /** The file for a key. `checkKey` rules out `..`, `.`, empty segments and a leading `/`, so it stays under the root. */
  private pathOf(key: string): string {
    checkKey(key);
    if (isTempFileName(basename(key)))
      throw new ObjectStoreError(
        `"${key}" is not a valid object key: names like it are kept for temporary files`,
        key,
      );
    return join(this.root, ...key.split('/'));
  }

  private failure(action: string, key: string, err: unknown): ObjectStoreError {
    return storeFailure(action, key, this.description, err);
  }
}

/** Collects the keys under `dir` whose names start with `start` (only checked at the top level). */
async function walk(dir: string, folder: string, start: string, keys: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  await Promise.all(
    entries.map(async (entry) => {
      if (!entry.name.startsWith(start)) return;
      if (entry.isDirectory())
        await walk(join(dir, entry.name), `${folder}${entry.name}/`, '', keys);
      else if (entry.isFile() && !isTempFileName(entry.name)) keys.push(folder + entry.name);
    }),
  );
}

/** A lock older than this was left by a crash: no holder keeps one for more than a rename. */
const STALE_LOCK_MS = 30_000;
/** How long to wait for another holder before giving up. */
const LOCK_WAIT_MS = 60_000;

/**
 * Runs `task` holding the lock file `lock`: created with `wx` (O_EXCL), so of any number of
 * processes one holds it at a time. A lock whose holder has died (its pid is gone) or that is
 * older than STALE_LOCK_MS is taken as left by a crash and removed.
 */
async function holdingLock<T>(lock: string, task: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      const file = await open(lock, 'wx');
      try {
        await file.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      } finally {
        await file.close();
      }
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    if (await lockIsStale(lock)) await removeQuietly(lock);
    else if (Date.now() - started > LOCK_WAIT_MS)
      throw new Error(`the lock ${lock} was held for over ${LOCK_WAIT_MS / 1000} s`);
    else await new Promise((resolve) => setTimeout(resolve, wait));
  }
  try {
    return await task();
  } finally {
    await removeQuietly(lock);
  }
}

async function lockIsStale(lock: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    if (Date.now() - info.mtimeMs > STALE_LOCK_MS) return true;
    const pid = Number(text.split(' ')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return false; // still being written
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return errorCode(err) === 'ESRCH';
    }
  } catch (err) {
    // Gone already (its holder finished): not stale, just try again.
    if (isMissing(err)) return false;
    throw err;
  }
}

/** Creates a temporary file beside `path` with `write`, removing it again if writing fails. */
async function writeBeside(path: string, write: (temp: string) => Promise<void>): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathBeside(path);
  await settle(temp, write(temp));
  return temp;
}

/** Waits for `step`; if it fails, removes the temporary file before passing the failure on. */
async function settle(temp: string, step: Promise<void>): Promise<void> {
  try {
    await step;
  } catch (err) {
    await removeQuietly(temp);
    throw err;
  }
}

/** Flushes to disk before the rename, so that after a power cut the new name never holds a short file. */
async function writeBytes(path: string, body: Uint8Array | string): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function copyInto(temp: string, source: string): Promise<void> {
  await copyFile(source, temp, constants.COPYFILE_EXCL);
  await syncFile(temp);
}

/** Renames `source` onto `target`; false when they are on different disks and a copy is needed. */
async function moveInto(source: string, target: string): Promise<boolean> {
  if (!(await stat(source)).isFile()) throw new Error(`${source} is not a file`);
  await syncFile(source);
  await mkdir(dirname(target), { recursive: true });
  try {
    await rename(source, target);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EXDEV') return false;
    throw err;
  }
}

async function syncFile(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** A key that names nothing, or names a folder of other keys rather than an object. */
function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
