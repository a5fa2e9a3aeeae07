/**
 * Everything the stack deploys as code, built before the stack is defined: the four function
 * bundles, the key-pair custom resource's bundle and the DuckDB layer directory. The stack
 * then points `Code.fromAsset` at finished directories (no bundling inside synth, no Docker).
 */
import { join } from 'node:path';
import {
  bundleAllFunctions,
  bundleEntry,
  REPO_ROOT,
  type BundleOptions,
  type FunctionName,
} from './bundling.js';
import { buildDuckdbLayer } from './duckdb-layer.js';

export interface OutturnAssets {
  functions: Record<FunctionName, string>;
  siteKeyPair: string;
  duckdbLayer: string;
}

export const SITE_KEY_PAIR_ENTRY = join(REPO_ROOT, 'infra', 'handlers', 'site-key-pair.ts');

/** Builds every asset under `root` (`<root>/functions/<name>`, `<root>/site-key-pair`, `<root>/duckdb-layer`). */
export async function prepareAssets(
  root: string,
  options: BundleOptions = {},
): Promise<OutturnAssets> {
  const [functions, keyPair, layer] = await Promise.all([
    bundleAllFunctions(join(root, 'functions'), options),
    bundleEntry(SITE_KEY_PAIR_ENTRY, join(root, 'site-key-pair'), options),
    buildDuckdbLayer(join(root, 'duckdb-layer')),
  ]);
  return {
    functions: Object.fromEntries(
      Object.entries(functions).map(([name, r]) => [name, r.outDir]),
    ) as Record<FunctionName, string>,
    siteKeyPair: keyPair.outDir,
    duckdbLayer: layer,
  };
}
