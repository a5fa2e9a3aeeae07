/**
 * DuckDB's native module as one Lambda layer shared by the functions that query (ADR 015).
 *
 * The bundles leave `@duckdb/node-bindings` external; Lambda puts `/opt/nodejs/node_modules` on
 * `NODE_PATH`, so `require('@duckdb/node-bindings')` finds the copy here. `duckdb.js` requires
 * `@duckdb/node-bindings-linux-x64/duckdb.node` (which loads `libduckdb.so` beside it) and, to
 * tell glibc from musl, `detect-libc` — so all three packages go in, copied from node_modules.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { REPO_ROOT } from './bundling.js';

/** The packages the layer holds, as `require` names them. */
export const LAYER_PACKAGES: readonly string[] = [
  '@duckdb/node-bindings',
  '@duckdb/node-bindings-linux-x64',
  'detect-libc',
];

/**
 * Lays the packages out as `<outDir>/nodejs/node_modules/<package>`. Skips the copy when the
 * directory already holds the same versions (the native library is ~70 MB).
 */
export async function buildDuckdbLayer(outDir: string): Promise<string> {
  const versions = await packageVersions();
  const stamp = join(outDir, '.versions.json');
  const previous = await readFile(stamp, 'utf8').catch(() => null);
  if (previous === JSON.stringify(versions)) return outDir;
  await rm(outDir, { recursive: true, force: true });
  for (const name of LAYER_PACKAGES) {
    const target = join(outDir, 'nodejs', 'node_modules', name);
    await mkdir(target, { recursive: true });
    await cp(join(REPO_ROOT, 'node_modules', name), target, { recursive: true, dereference: true });
  }
  await writeFile(stamp, JSON.stringify(versions));
  return outDir;
}

async function packageVersions(): Promise<Record<string, string>> {
  const entries = await Promise.all(
    LAYER_PACKAGES.map(async (name) => {
      const pkg = JSON.parse(
        await readFile(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { version: string };
      return [name, pkg.version] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The layer resource over a directory made by `buildDuckdbLayer`. */
export class DuckdbLayer extends Construct {
  readonly layer: LayerVersion;

  constructor(scope: Construct, id: string, props: { directory: string; runtime: Runtime }) {
    super(scope, id);
    this.layer = new LayerVersion(this, 'Layer', {
      code: Code.fromAsset(props.directory, { exclude: ['.versions.json'] }),
      compatibleRuntimes: [props.runtime],
      compatibleArchitectures: [Architecture.X86_64],
      description:
        'DuckDB native binding (@duckdb/node-bindings-linux-x64) for the Outturn functions',
    });
  }
}
