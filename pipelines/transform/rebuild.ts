/**
 * The two ways the marts are built: in full (`outturn rebuild`), or for the contracts a new
 * return touched (after each ingest). Both give the same tables.
 */
import { isoDate, today } from '../calendar/days.js';
import type { ObjectStore } from '../store/object-store.js';
import { buildCurated, type BuildResult } from './build.js';
import { inputsFromStore } from './store-inputs.js';

export interface RebuildOptions {
  /** ISO date the marts are as at; default today. */
  asOf?: string;
  contracts?: readonly string[];
  onProgress?: (step: string, done: number, total: number) => void;
}

export async function rebuild(store: ObjectStore, options: RebuildOptions = {}): Promise<BuildResult> {
  const inputs = await inputsFromStore(store);
  return buildCurated({
    store,
    inputs,
    asOf: options.asOf ?? isoDate(today()),
    scope: options.contracts ? { contracts: options.contracts } : 'full',
    onProgress: options.onProgress,
  });
}
