/**
 * Loads the demo into a store the way real returns arrive: the demo is written to a scratch
 * folder, every return in its manifest is ingested in submission order (validated, receipted,
 * staged), and the marts are built. Running it again changes nothing: every upload is
 * recognised as one already received.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestDemoFolder } from '../ingest/ingest-batch.js';
import type { ObjectStore } from '../store/object-store.js';
import { rebuild } from '../transform/rebuild.js';
import { DEMO_MARKER } from '../notify/send.js';
import type { BuildResult } from '../transform/build.js';
import { writeDemo, type DemoOptions } from './index.js';

export interface LoadDemoOptions extends DemoOptions {
  asOf?: string;
  onProgress?: (stage: 'ingest' | 'build', done: number, total: number) => void;
}

export async function loadDemo(
  store: ObjectStore,
  options: LoadDemoOptions = {},
): Promise<{ ingested: Awaited<ReturnType<typeof ingestDemoFolder>>; build: BuildResult }> {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-demo-'));
  try {
    await writeDemo(dir, options);
    const ingested = await ingestDemoFolder(store, dir, {
      onProgress: (done: number, total: number) => options.onProgress?.('ingest', done, total),
    });
    // Nothing is sent from the demo's data unless asked (ADR 025).
    await store.put(DEMO_MARKER, JSON.stringify({ loaded: 'demo' }) + '\n', {
      contentType: 'application/json',
    });
    const build = await rebuild(store, {
      asOf: options.asOf,
      onProgress: (_, done, total) => options.onProgress?.('build', done, total),
    });
    return { ingested, build };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
