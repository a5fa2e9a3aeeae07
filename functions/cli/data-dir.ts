/** Where the local data store lives: OUTTURN_DATA_DIR, or ./data. */
import { join, resolve } from 'node:path';

export function dataDir(): string {
  return resolve(process.env.OUTTURN_DATA_DIR ?? 'data');
}

export function referenceDir(): string {
  return join(dataDir(), 'reference');
}
